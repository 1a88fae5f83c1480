"""Every URL × every actor (docs/architecture.md, "Who sees what"), and the same roles of another
region (ADR 0123, ADR 0147; the region axis in tests/helpers/matrix.py). Rows live in
tests/<app>/matrix.py."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.helpers.matrix import LIST, NATIONAL, all_cases, project_url_names
from tests.helpers.world import ACTORS

CASES = all_cases()


def test_every_url_pattern_has_a_row():
    covered = {case.name for case in CASES}
    missing = sorted(project_url_names() - covered)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.django_db
def test_permission_matrix(case, world, client):
    url = case.url(world)
    mismatches = []
    for actor in ACTORS:
        client.logout()
        user = world.user(actor)
        if user is not None:
            client.force_login(user)
        response = _fetch(client, case, world, url)
        expected = case.expected(actor)
        if response.status_code != expected:
            mismatches.append(f"{actor}: expected {expected}, got {response.status_code}")
    assert not mismatches, f"{case.id} {url}\n" + "\n".join(mismatches)


def test_every_url_has_a_region_case():
    decided = {case.name for case in CASES if case.region_kind()}
    undecided = sorted(project_url_names() - decided)
    assert not undecided, (
        "URL names without a region-axis case (say region=LIST with a seed, NONE or NATIONAL; "
        f"tests/helpers/matrix.py): {undecided}"
    )


def _fetch(client, case, world, url):
    data = case.data(world) if case.data else None
    method = getattr(client, case.method)
    return method(url, data) if data is not None else method(url)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.django_db
def test_region_axis(case, world, client):
    """The same roles of another region: a foreign object is 404, a list leaves out the first
    region's things, a national page shows their region."""
    kind = case.region_kind()
    assert kind, f"{case.id}: decide the region axis (tests/helpers/matrix.py)"
    abroad = world.abroad
    markers = [str(m) for m in case.seed(world)] if case.seed else []
    url = case.url(world)
    mismatches = []
    for actor in ACTORS:
        expected = case.expected_abroad(actor, kind)
        if expected is None:
            continue
        client.logout()
        client.force_login(abroad.user(actor))
        response = _fetch(client, case, world, url)
        if response.status_code not in expected:
            mismatches.append(
                f"{actor} of {abroad.region.name}: expected {'/'.join(map(str, sorted(expected)))}, "
                f"got {response.status_code}"
            )
            continue
        if response.status_code != 200:
            continue
        body = _body(response)
        if kind == LIST:
            shown = [m for m in markers if m in body]
            if shown:
                mismatches.append(f"{actor} of {abroad.region.name} sees {shown}")
        html = "html" in response.get("Content-Type", "")
        if kind == NATIONAL and html and world.region.name not in body:
            mismatches.append(f"{actor} of {abroad.region.name}: the page does not show the region")
    if kind == LIST and markers:
        mismatches += _markers_missing_at_home(case, world, client, url, markers)
    assert not mismatches, f"{case.id} {url} ({kind})\n" + "\n".join(mismatches)


def _body(response):
    """What a reader finds on the page: the HTML (links) and its text without tags (counts split
    over elements), or a PDF's text."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    html = raw.decode(errors="replace")
    return html + "\n" + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _markers_missing_at_home(case, world, client, url, markers):
    """The control of a LIST case: together, the first region's own actors who get the page see
    every seeded marker; otherwise "the other region does not see them" proves nothing."""
    readers = [actor for actor in ACTORS if world.user(actor) is not None and case.expected(actor) == 200]
    missing = set(markers)
    for actor in readers:
        client.logout()
        client.force_login(world.user(actor))
        body = _body(_fetch(client, case, world, url))
        missing = {m for m in missing if m not in body}
        if not missing:
            return []
    return [f"no actor of {world.region.name} sees the seeded {sorted(missing)}"] if readers else []

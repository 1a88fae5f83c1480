"""Every URL × every actor (docs/architecture.md, "Who sees what"). Rows live in tests/<app>/matrix.py."""

import pytest

from tests.helpers.matrix import all_cases, project_url_names
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
        data = case.data(world) if case.data else None
        response = (
            getattr(client, case.method)(url, data) if data is not None else getattr(client, case.method)(url)
        )
        expected = case.expected(actor)
        if response.status_code != expected:
            mismatches.append(f"{actor}: expected {expected}, got {response.status_code}")
    assert not mismatches, f"{case.id} {url}\n" + "\n".join(mismatches)

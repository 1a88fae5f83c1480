"""The yearly startfoto (ADR 0155): the snapshot's figures computed by hand on a small world,
freezing once and only once, region scoping, the page, the XLSX and the PDF section."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from contacts import demo as contacts_demo
from contacts.models import Region, SchoolType
from portal.models import AccessLog
from reporting import demo, generation, services
from reporting.figures import compute_figures
from reporting.models import StartPhoto
from reporting.pdf import render_html
from reporting.scopes import Scope
from reporting.startfoto import SchoolYear, compute_snapshot, frozen_pair
from tests.contacts.factories import SchoolFactory
from tests.helpers.queries import assert_queries_pinned
from tests.reporting.factories import add_domains, ams, referral

YEAR = SchoolYear(2025)
# Session and user, memberships, the regions read, both startfotos in one query, the access
# log entry (in a savepoint); no session save (ADR 0172).
EXPECTED_PAGE_QUERIES = 6


@pytest.fixture
def year_world(world):
    """School year 2025-2026 in subregion A: six po referrals submitted Friday 5 September 2025,
    decided 1..6 working days later (median 3.5), help started Friday 19 September (10 working
    days), all about behaviour, two also about the home situation; two vso referrals on the
    year's first and last evening (undecided). Subregion B: one referral. Outside the year: one
    on 31 July 2025 23:30 and one on 1 August 2026 00:30 (Amsterdam). world.school is a pilot
    school with collective funding and has a tandem."""
    world.school.collective_funding_pilot = True
    world.school.save()
    vso = SchoolFactory(
        brin="92VS",
        school_type=SchoolType.VSO,
        partnership=world.partnership,
        municipality=world.municipality,
    )
    for i, day in enumerate((8, 9, 10, 11, 12, 15)):
        ref = referral(
            world.school,
            submitted=ams(2025, 9, 5),
            decided=ams(2025, 9, day),
            help_started=ams(2025, 9, 19),
        )
        add_domains(ref, "behaviour", *(["home_situation"] if i < 2 else []))
    referral(vso, submitted=ams(2025, 8, 1, 0, 30))
    referral(vso, submitted=ams(2026, 7, 31, 23, 30))
    referral(world.other_school, submitted=ams(2025, 10, 1))
    referral(world.school, submitted=ams(2025, 7, 31, 23, 30))
    referral(world.school, submitted=ams(2026, 8, 1, 0, 30))
    return world


def _rows(snapshot, code):
    area = next(a for a in snapshot["areas"] if a["code"] == code)
    return {key: cell["display"] for key, cell in area["rows"].items()}


def test_school_year_runs_from_august_to_july():
    assert SchoolYear.containing(datetime.date(2025, 8, 1)) == SchoolYear(2025)
    assert SchoolYear.containing(datetime.date(2026, 7, 31)) == SchoolYear(2025)
    assert SchoolYear.containing(datetime.date(2026, 8, 1)) == SchoolYear(2026)
    assert YEAR.label == "2025-2026"
    assert YEAR.previous().label == "2024-2025"


def test_snapshot_figures_by_hand(year_world):
    w = year_world
    snapshot = compute_snapshot(w.region, YEAR)
    assert [a["code"] for a in snapshot["areas"]] == [w.region.code, w.subregion.code, w.other_subregion.code]

    region = _rows(snapshot, w.region.code)
    assert region["submitted"] == "9"  # 6 po + 2 vso + 1 in subregion B; the two outside the year not
    assert region["domain:behaviour"] == "6"
    assert region["domain:home_situation"] == "<5"
    assert region["domain:learning"] == "0"
    # 7 po and 2 vso: hiding the 7 with the 2 still leaves fewer than 10 hidden, so every
    # non-zero cell is "x" alike (portal/suppression.py); the zeros stay.
    assert region["type:vso"] == "x"
    assert region["type:po"] == "x"
    assert region["type:so"] == "0"
    assert region["decision_median"] == "3,5"
    assert region["help_median"] == "10,0"
    assert region["schools"] == "3"
    assert region["pilot_schools"] == "1"
    assert region["schools_with_tandem"] == "1"
    assert region["special_schools"] == "1"
    assert region["special_with_contact"] == "0"

    a = _rows(snapshot, w.subregion.code)
    # The region's 9 is shown, so subregion A's 8 would give subregion B's 1 back (9 − 8): both
    # subregions hide, and together they hold fewer than 10, so both are "x" (ADR 0070).
    assert a["submitted"] == "x"
    assert a["type:po"] == "x" and a["type:vso"] == "x"
    assert a["pilot_schools"] == "1"

    b = _rows(snapshot, w.other_subregion.code)
    assert b["submitted"] == "x"
    assert b["decision_median"] == "—"  # fewer than 5 measured: no median
    assert b["pilot_schools"] == "0"


def test_snapshot_holds_no_small_count(year_world):
    snapshot = compute_snapshot(year_world.region, YEAR)
    values = [cell["value"] for area in snapshot["areas"] for cell in area["rows"].values()]
    counts_about_children = [
        cell["value"]
        for area in snapshot["areas"]
        for key, cell in area["rows"].items()
        if key == "submitted" or key.startswith(("domain:", "type:"))
    ]
    assert all(v is None or v == 0 or v >= 5 for v in counts_about_children)
    assert values  # the snapshot is not empty


def test_steering_member_freezes_once(year_world):
    w = year_world
    steering = w.users["steering_member"]
    photo = services.freeze_startphoto(steering, w.region, YEAR)
    assert photo.frozen_by == steering
    assert photo.school_year == 2025
    assert _rows(photo.data, w.region.code)["submitted"] == "9"

    referral(w.school, submitted=ams(2025, 11, 3))
    with pytest.raises(services.StartPhotoFrozen):
        services.freeze_startphoto(steering, w.region, YEAR)
    photo.refresh_from_db()
    assert _rows(photo.data, w.region.code)["submitted"] == "9"  # unchanged
    assert StartPhoto.objects.count() == 1


@pytest.mark.parametrize("actor", ["partnership_director", "municipal_officer", "school_coordinator"])
def test_only_the_steering_group_freezes(year_world, actor):
    with pytest.raises(PermissionDenied):
        services.freeze_startphoto(year_world.users[actor], year_world.region, YEAR)
    assert not StartPhoto.objects.exists()


def test_steering_member_of_another_region_cannot_freeze(year_world):
    with pytest.raises(PermissionDenied):
        services.freeze_startphoto(year_world.abroad.users["steering_member"], year_world.region, YEAR)
    assert not StartPhoto.objects.exists()


def _freeze_both(w):
    steering = w.users["steering_member"]
    previous = services.freeze_startphoto(steering, w.region, YEAR.previous())
    current = services.freeze_startphoto(steering, w.region, YEAR)
    return current, previous


def _url(w, name="reporting:startfoto"):
    return f"{reverse(name)}?regio={w.region.code}&jaar={YEAR.year}"


def test_page_compares_with_the_previous_year(client, year_world):
    w = year_world
    _freeze_both(w)
    client.force_login(w.users["school_coordinator"])
    response = client.get(_url(w))
    assert response.status_code == 200
    areas = response.context["areas"]
    region = areas[0]
    submitted = next(line for line in region.lines if line.label == "Ingediende aanmeldingen")
    # 2024-2025 holds the one referral of 31 July 2025: "<5", so no difference is shown.
    assert (submitted.current, submitted.previous, submitted.difference) == ("9", "<5", "—")
    behaviour = next(line for line in region.lines if line.label == "Aanmeldingen in domein: gedrag")
    assert (behaviour.current, behaviour.previous, behaviour.difference) == ("6", "0", "+6")
    assert [a.name for a in areas] == [w.region.name, w.subregion.name, w.other_subregion.name]
    assert "Startfoto 2025-2026" in response.content.decode()
    assert b"Leg de startfoto" not in response.content  # read-only: no freeze button


def test_freeze_twice_over_http_is_refused_in_dutch(client, year_world):
    w = year_world
    client.force_login(w.users["steering_member"])
    data = {"regio": w.region.code, "jaar": YEAR.year}
    response = client.post(reverse("reporting:startfoto_freeze"), data, follow=True)
    assert "is vastgelegd" in response.content.decode()
    response = client.post(reverse("reporting:startfoto_freeze"), data, follow=True)
    assert response.status_code == 200
    assert "verandert nooit" in response.content.decode()
    assert StartPhoto.objects.count() == 1


@pytest.mark.parametrize("query", ["?regio=ELDERS", "?jaar=abc", "?jaar=1999", "?jaar=%00", "?jaar=%C2%B2"])
def test_bad_choice_is_404(client, year_world, query):
    client.force_login(year_world.users["steering_member"])
    assert client.get(reverse("reporting:startfoto") + query).status_code == 404


def test_future_year_cannot_be_frozen(year_world):
    """The service refuses it, whoever calls it (not only the view)."""
    future = SchoolYear(SchoolYear.current().year + 1)
    with pytest.raises(ValidationError) as refused:
        services.freeze_startphoto(year_world.users["steering_member"], year_world.region, future)
    assert list(refused.value.message_dict) == ["jaar"]
    assert not StartPhoto.objects.exists()


def test_future_year_over_http_is_a_message_at_the_school_year(client, year_world):
    client.force_login(year_world.users["steering_member"])
    future = SchoolYear(SchoolYear.current().year + 1)
    response = client.post(
        reverse("reporting:startfoto_freeze"), {"regio": year_world.region.code, "jaar": future.year}
    )
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<div class="[^"]*error[^"]*" id="startfoto-year_error">(.*?)</div>', html, re.S)
    assert error and f"Het schooljaar {future.label} is nog niet begonnen" in error.group(1)
    assert 'aria-describedby="startfoto-year_error"' in html
    assert b"Leg de startfoto" not in response.content  # no freeze button for it either
    assert not StartPhoto.objects.exists()
    assert not AccessLog.objects.filter(activity="freeze").exists()


def test_a_freeze_is_logged_once_and_its_page_is_not_a_read(client, year_world):
    steering = year_world.users["steering_member"]
    client.force_login(steering)
    data = {"regio": year_world.region.code, "jaar": YEAR.year}
    response = client.post(reverse("reporting:startfoto_freeze"), data, follow=True)
    assert response.status_code == 200 and "is vastgelegd" in response.content.decode()
    photo = StartPhoto.objects.get()
    entries = list(
        AccessLog.objects.filter(user=steering).values_list("action", "activity", "object_type", "object_id")
    )
    assert entries == [(AccessLog.Action.CHANGE, "freeze", "reporting.startphoto", str(photo.pk))]
    client.get(_url(year_world))  # a later visit is a read again
    assert AccessLog.objects.filter(user=steering, action=AccessLog.Action.VIEW).count() == 1


def test_page_query_count_does_not_grow_with_rows(client, year_world):
    w = year_world
    _freeze_both(w)
    client.force_login(w.users["steering_member"])

    def add_rows(n):
        # More referrals after freezing change nothing on the page: it reads the frozen data.
        for _i in range(n):
            referral(w.school, submitted=ams(2025, 11, 3))

    assert_queries_pinned(client, _url(w), add_rows, expected=EXPECTED_PAGE_QUERIES)


def test_xlsx_content(client, year_world):
    w = year_world
    _freeze_both(w)
    client.force_login(w.users["municipal_officer"])
    response = client.get(_url(w, "reporting:startfoto_xlsx"))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="startfoto-2025-2026-{w.region.code}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Gebied", "Maat", "2025-2026", "2024-2025", "Verschil"]
    assert [w.region.name, "Ingediende aanmeldingen", "9", "<5", "—"] in rows
    assert [w.region.name, "Aanmeldingen in domein: gedrag", "6", "0", 6] in rows  # a number cell
    assert [w.region.name, "Mediaan werkdagen van indienen tot besluit", "3,5", "—", "—"] in rows
    assert [
        w.subregion.name,
        "Aanmeldingen vanuit: voortgezet speciaal onderwijs (vso)",
        "x",
        "0",
        "—",
    ] in rows
    # Hidden as "x", not "<5": with the region's 9 shown, subregion A's 8 would give it back.
    assert [w.other_subregion.name, "Ingediende aanmeldingen", "x", "0", "—"] in rows
    assert AccessLog.objects.filter(
        action=AccessLog.Action.EXPORT, object_type="reporting.startphoto"
    ).exists()


def test_xlsx_without_startfoto_is_404(client, year_world):
    client.force_login(year_world.users["steering_member"])
    assert client.get(_url(year_world, "reporting:startfoto_xlsx")).status_code == 404


def test_half_year_pdf_has_the_startfoto_section(year_world):
    w = year_world
    _freeze_both(w)
    pdf = generation.render_report("2026-H1", Scope.for_region(w.subregion))
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Startfoto 2025-2026" in text
    assert f"Startfoto van {w.subregion.name}" in text
    assert "Pilotscholen met collectieve financiering" in text


def test_half_year_pdf_without_startfoto_has_no_section(year_world):
    html = render_html(compute_figures("2026-H1", Scope.for_region(year_world.subregion)))
    assert 'id="startfoto"' not in html


def test_demo_freezes_utrecht_this_year_and_last_once(db):
    contacts_demo.seed({"password": None})
    assert demo.seed_startfotos() == 2
    assert demo.seed_startfotos() == 0
    utrecht = Region.objects.get(code="UTR")
    years = sorted(StartPhoto.objects.filter(region=utrecht).values_list("school_year", flat=True))
    assert years == [SchoolYear.current().year - 1, SchoolYear.current().year]
    photo = StartPhoto.objects.get(region=utrecht, school_year=SchoolYear.current().year)
    assert [a["code"] for a in photo.data["areas"]][0] == "UTR"
    assert {"UTR-STAD", "UTR-LEK", "UTR-WEST"} <= {a["code"] for a in photo.data["areas"]}


def test_no_subregion_count_follows_from_the_region_by_subtraction(year_world):
    """Region 9 = subregion A 8 + subregion B 1: showing 9 and 8 would give the 1 back."""
    snapshot = compute_snapshot(year_world.region, YEAR)
    areas = snapshot["areas"]
    for key, cell in areas[0]["rows"].items():
        if not (key == "submitted" or key.startswith(("domain:", "type:"))) or cell["value"] is None:
            continue
        parts = [area["rows"][key]["value"] for area in areas[1:]]
        hidden = [v for v in parts if v is None]
        assert len(hidden) != 1, key  # one hidden subregion = the region minus the others


def test_the_pair_is_a_year_and_the_year_before_it(world):
    """One look-up for the page, the XLSX and the PDF (reporting.startfoto.frozen_pair)."""

    def photo(year):
        return StartPhoto.objects.create(
            region=world.region, school_year=year, frozen_on=datetime.date(year + 1, 7, 1), data={"areas": []}
        )

    y2021, y2023, y2024 = photo(2021), photo(2023), photo(2024)
    assert frozen_pair(world.region, 2024) == (y2024, y2023)
    assert frozen_pair(world.region, 2023) == (y2023, None)  # 2022 was not frozen
    assert frozen_pair(world.region, 2022) == (None, None)
    assert frozen_pair(world.region, 2025) == (None, None)
    # The PDF of a half-year takes the latest up to its school year.
    assert frozen_pair(world.region, 2026, latest=True) == (y2024, y2023)
    assert frozen_pair(world.region, 2022, latest=True) == (y2021, None)
    assert frozen_pair(world.region, 2020, latest=True) == (None, None)
    assert frozen_pair(world.abroad.region, 2024) == (None, None)

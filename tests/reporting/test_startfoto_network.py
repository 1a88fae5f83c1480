"""The startfoto's network rows (ADR 0162): tandems (school and district team pairs) and schools
with a fixed contact person, computed by hand, taken on the measuring day and frozen with the
rest, set against last year's, and the same on the page, in the XLSX and in the PDF."""

import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from contacts.models import ContactAssignment, SchoolType, Tandem
from reporting import generation, services
from reporting.scopes import Scope
from reporting.startfoto import SchoolYear, compute_snapshot
from tests.contacts.factories import ContactAssignmentFactory, SchoolFactory, TandemFactory

pytestmark = pytest.mark.django_db

YEAR = SchoolYear(2025)  # measured on 31 July 2026
D = datetime.date


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def network(world):
    """On 31 July 2026, subregion A: world.school's tandem (from 1 January 2026) and a vso school's
    (from 1 September 2024); world.school and the vso school have a fixed contact person. Not
    counted on that day: a tandem ended on 30 June 2026, one starting 1 August 2026, a contact
    ended on 1 March 2026. Subregion B: the other school with one tandem, no contact. On 31 July
    2025 (last year's measuring day) only the vso school's tandem and an older contact of
    world.school (1 January 2025 – 31 January 2026) held."""
    vso = SchoolFactory(
        brin="93VS",
        school_type=SchoolType.VSO,
        partnership=world.partnership,
        municipality=world.municipality,
    )
    po = SchoolFactory(brin="94PO", partnership=world.partnership, municipality=world.municipality)
    TandemFactory(school=vso, district_team=world.district_team, valid_from=D(2024, 9, 1))
    TandemFactory(
        school=po, district_team=world.district_team, valid_from=D(2025, 9, 1), valid_to=D(2026, 6, 30)
    )
    TandemFactory(school=po, district_team=world.district_team, valid_from=D(2026, 8, 1))
    TandemFactory(
        school=world.other_school, district_team=world.other_district_team, valid_from=D(2026, 2, 1)
    )
    ContactAssignmentFactory(school=world.school, valid_from=D(2025, 1, 1), valid_to=D(2026, 1, 31))
    ContactAssignmentFactory(school=world.school, valid_from=D(2026, 2, 1))
    ContactAssignmentFactory(school=vso, valid_from=D(2026, 1, 1))
    ContactAssignmentFactory(school=po, valid_from=D(2025, 9, 1), valid_to=D(2026, 3, 1))
    return world


def _rows(snapshot, code):
    area = next(a for a in snapshot["areas"] if a["code"] == code)
    return {key: cell["display"] for key, cell in area["rows"].items()}


def test_network_rows_by_hand(network):
    w = network
    snapshot = compute_snapshot(w.region, YEAR)
    region, a, b = (
        _rows(snapshot, code) for code in (w.region.code, w.subregion.code, w.other_subregion.code)
    )
    assert (region["tandems"], a["tandems"], b["tandems"]) == ("3", "2", "1")
    assert (region["schools_with_contact"], a["schools_with_contact"], b["schools_with_contact"]) == (
        "2",
        "2",
        "0",
    )
    # The (v)so row counts only the vso school; the new row every school type.
    assert region["special_with_contact"] == "1"
    # Last year's measuring day: the vso tandem, world.school's older contact.
    before = _rows(compute_snapshot(w.region, YEAR.previous()), w.region.code)
    assert (before["tandems"], before["schools_with_contact"]) == ("1", "1")


def test_frozen_on_the_freeze_day_later_changes_do_not_count(network):
    w = network
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False):
        photo = services.freeze_startphoto(w.users["steering_member"], w.region, YEAR)
    # Frozen on 10 March 2026: the tandem ended 30 June and the contact ended 1 March differ.
    rows = _rows(photo.data, w.subregion.code)
    assert photo.data["measured_on"] == "2026-03-10"
    assert (rows["tandems"], rows["schools_with_contact"]) == ("3", "2")
    Tandem.objects.all().delete()
    ContactAssignment.objects.all().delete()
    photo.refresh_from_db()
    assert _rows(photo.data, w.subregion.code)["tandems"] == "3"


def _freeze_both(w):
    steering = w.users["steering_member"]
    services.freeze_startphoto(steering, w.region, YEAR.previous())
    services.freeze_startphoto(steering, w.region, YEAR)


def _url(w, name="reporting:startfoto"):
    return f"{reverse(name)}?regio={w.region.code}&jaar={YEAR.year}"


def test_page_xlsx_and_pdf_compare_with_last_year(client, network):
    w = network
    _freeze_both(w)
    client.force_login(w.users["school_coordinator"])
    region = client.get(_url(w)).context["areas"][0]
    lines = {line.label: (line.current, line.previous, line.difference) for line in region.lines}
    assert lines["Tandems (school en wijkteam)"] == ("3", "1", "+2")
    assert lines["Scholen met een vaste contactpersoon"] == ("2", "1", "+1")

    sheet = load_workbook(io.BytesIO(client.get(_url(w, "reporting:startfoto_xlsx")).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [w.region.name, "Tandems (school en wijkteam)", "3", "1", 2] in rows
    assert [w.region.name, "Scholen met een vaste contactpersoon", "2", "1", 1] in rows

    pdf = generation.render_report("2026-H1", Scope.for_region(w.subregion))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Tandems (school en wijkteam) 2 1 +1" in text
    assert "Scholen met een vaste contactpersoon 2 1 +1" in text

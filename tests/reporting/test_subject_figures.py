"""The figure of requests by whom they are about (ADR 0154), computed by hand: first
submitted in the half-year, suppressed below 5; the dashboard and the PDF show the same."""

import pytest
from django.utils import translation

from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.reporting.agreement import dashboard_and_pdf
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db

NO_CHILD = {
    "child_first_name": "",
    "child_last_name": "",
    "child_date_of_birth": None,
    "child_group": "",
    "home_municipality": None,
}


def _requests(school, pupils, groups, whole_school, submitted):
    for _i in range(pupils):
        referral(school, submitted=submitted)
    for _i in range(groups):
        referral(
            school, submitted=submitted, subject_kind="group", group_name="6b", group_size=25, **NO_CHILD
        )
    for _i in range(whole_school):
        referral(school, submitted=submitted, subject_kind="school_wide", **NO_CHILD)


@pytest.fixture
def requests(world):
    # In 2026-H1: 7 about a pupil, 6 about a group, 5 about the whole school.
    _requests(world.school, 7, 6, 5, ams(2026, 3, 2))
    # Outside the half-year: not counted.
    _requests(world.school, 2, 2, 2, ams(2025, 12, 30))


def test_the_subject_figure_by_hand(world, requests):
    with translation.override("nl"):
        table = compute_figures("2026-H1", Scope.for_region(world.region)).table("subject_kinds")
    assert table.rows == [
        ["Over een leerling", "7"],
        ["Over een groep", "6"],
        ["Over de hele school", "5"],
    ]
    assert table.footer == ["Totaal", "18"]


def test_small_numbers_are_suppressed(world):
    _requests(world.school, 8, 3, 0, ams(2026, 3, 2))
    table = compute_figures("2026-H1", Scope.for_region(world.region)).table("subject_kinds")
    # 3 is below 5; the 8 is hidden too, or 11 − 8 − 0 would give the 3 back.
    cells = [row[1] for row in table.rows]
    assert cells[0] == "x" and cells[1] == "<5" and "3" not in cells and "8" not in cells
    assert table.footer[1] == "11"


def test_the_dashboard_and_the_pdf_show_the_same_subject_figures(world, requests, client):
    scope = Scope.for_region(world.region)
    with translation.override("nl"):
        table = compute_figures("2026-H1", scope).table("subject_kinds")
    html, text = dashboard_and_pdf(client, world.users["steering_member"], "2026-H1", scope)
    assert "Over wie de vragen gaan" in text and "Over wie de vragen gaan" in html
    for row in [*table.rows, table.footer]:
        assert " ".join(row) in text, row
        assert f">{row[0]}</th>" in html and f">{row[1]}</td>" in html, row

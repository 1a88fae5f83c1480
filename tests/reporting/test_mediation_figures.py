"""How many disputes mediation settled (ADR 0149): the escalation section's mediation table,
hand-computed, suppressed below 5, and the same in the dashboard and the PDF."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.escalations.fixtures import open_mediation, recorded_mediation, referral_in
from tests.reporting.agreement import dashboard_and_pdf
from tests.reporting.escalation_counts import unsuppressed

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _at(month, day):
    return time_machine.travel(datetime.datetime(2026, month, day, 10, tzinfo=AMS), tick=False)


def _mediation(world, month, day, outcome, foreign=False):
    """A mediation asked on `day` of `month` 2026; outcome "settled", "not_settled" or None."""
    kwargs = {}
    actor = "school_coordinator"
    if foreign:
        kwargs = {
            "school": world.other_school,
            "home_municipality": world.other_municipality,
            "routed_team": world.other_district_team,
            "created_by": world.user("other_school_coordinator"),
        }
        actor = "other_school_coordinator"
    with _at(month, day):
        mediation = open_mediation(world, referral_in(world, "in_triage", **kwargs), actor=actor)
        if outcome is not None:
            recorded_mediation(world, settled=outcome == "settled", mediation=mediation)
    return mediation


@pytest.fixture
def mediations(world):
    # In the first half-year of 2026, in the world's partnership: 6 settled, 5 not settled.
    for day in range(2, 8):
        _mediation(world, 3, day, "settled")
    for day in range(9, 14):
        _mediation(world, 4, day, "not_settled")
    _mediation(world, 8, 3, "settled")  # the second half-year: not counted
    _mediation(world, 5, 4, None, foreign=True)  # the other partnership, no outcome yet


def _cells(figures):
    table = figures.table("mediation_outcome")
    return [row[1] for row in table.rows], table.footer[1]


def test_mediations_by_outcome_hand_computed(world, mediations):
    region = Scope.for_region(world.region)
    with unsuppressed():
        assert _cells(compute_figures("2026-H1", region)) == (["6", "5", "1", "0"], "12")
        assert _cells(compute_figures("2026-H2", region)) == (["1", "0", "0", "0"], "1")
        mine = compute_figures("2026-H1", Scope.for_partnership(world.partnership))
        assert _cells(mine) == (["6", "5", "0", "0"], "11")


def test_small_numbers_are_suppressed(world, mediations):
    # Region: the one open mediation is "<5"; the smallest other cells are hidden with it.
    region = _cells(compute_figures("2026-H1", Scope.for_region(world.region)))
    assert region == (["x", "x", "<5", "0"], "12")
    # The partnership: nothing small, everything shown.
    assert _cells(compute_figures("2026-H1", Scope.for_partnership(world.partnership))) == (
        ["6", "5", "0", "0"],
        "11",
    )
    # The other partnership: one mediation; every non-zero cell hidden, the total "<5".
    theirs = _cells(compute_figures("2026-H1", Scope.for_partnership(world.other_partnership)))
    assert theirs == (["0", "0", "x", "0"], "<5")


def test_the_dashboard_and_the_pdf_agree(world, mediations, client):
    scope = Scope.for_region(world.subregion)  # the world's school: 6 settled, 5 not
    with translation.override("nl"):
        figures = compute_figures("2026-H1", scope)
        table = figures.table("mediation_outcome")
    assert [row[0] for row in table.rows][0] == "opgelost door de bemiddeling"
    html, text = dashboard_and_pdf(client, world.user("steering_member"), "2026-H1", scope)
    assert table.caption in text and table.caption in html
    for label, value in table.rows:
        assert f"{label} {value}" in text, label
        assert re.search(rf"{re.escape(label)}</th>\s*<td[^>]*>{value}</td>", html), label
    assert f"Totaal {table.footer[1]}" in text

"""Help through a collective arrangement against individual help (ADR 0161): the referral
section's route table computed by hand per region and subregion, suppressed below 5 (at 4, not
at 5), the same in the dashboard and the PDF; the startfoto's arrangement rows."""

import datetime
import re

import pytest
from django.utils import translation

from reporting.figures import compute_figures, route_cells
from reporting.scopes import Scope
from reporting.startfoto import SchoolYear, compute_snapshot
from reporting.suppression import primary
from tests.contacts import factories as f
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes(world):
    """2026-H1. Subregion A (world.school): 5 accepted through its arrangement, 7 individually.
    Subregion B (world.other_school): 4 through its arrangement, 6 individually. Another
    region: 6 through an arrangement (never counted here)."""
    ours = f.arrangement_of(world, name="Samen in Aan")
    theirs = f.arrangement_of(world, name="Samen in Bee", schools=[world.other_school])
    for school, arrangement, through, individual in (
        (world.school, ours, 5, 7),
        (world.other_school, theirs, 4, 6),
    ):
        for i in range(through + individual):
            referral(
                school,
                submitted=ams(2026, 2, 2),
                decided=ams(2026, 2, 4),
                collective_arrangement=arrangement if i < through else None,
            )
    abroad = world.abroad
    foreign = f.arrangement_of(abroad)
    for _i in range(6):
        referral(
            abroad.school, submitted=ams(2026, 2, 2), decided=ams(2026, 2, 4), collective_arrangement=foreign
        )
    referral(
        world.school, submitted=ams(2026, 8, 3), decided=ams(2026, 8, 5), collective_arrangement=ours
    )  # H2
    return world


def _route(figures):
    table = figures.table("by_route")
    return [row[1] for row in table.rows], table.footer[1]


def test_routes_by_hand_per_region_and_subregion(routes):
    w = routes
    assert _route(compute_figures("2026-H1", Scope.for_region(w.region))) == (["9", "13"], "22")
    # Exactly 5: shown.
    assert _route(compute_figures("2026-H1", Scope.for_region(w.subregion))) == (["5", "7"], "12")
    # 4: "<5", and the individual 6 is hidden with it, or 10 − 6 would give the 4 back.
    assert _route(compute_figures("2026-H1", Scope.for_region(w.other_subregion))) == (["<5", "x"], "10")
    # One accepted referral: the outcome table hides it ("x"), so does the route table.
    assert _route(compute_figures("2026-H2", Scope.for_region(w.region))) == (["x", "0"], "x")


@pytest.mark.parametrize(
    "accepted,through,expected",
    [
        (20, 4, ["<5", "x"]),  # 4 is suppressed …
        (20, 5, ["5", "15"]),  # … 5 is not
        (9, 5, ["x", "x"]),  # 5 shown would give the 4 individual ones back: too small a group
        (20, 0, ["0", "20"]),
    ],
)
def test_suppression_at_4_and_not_at_5(accepted, through, expected):
    cells = route_cells({"accepted": accepted, "arrangement": through}, primary("accepted", "", accepted))
    assert [c.display for c in cells] == expected
    assert all(c.value is None for c in cells if c.display in ("<5", "x"))


def test_a_hidden_accepted_total_hides_both_routes():
    hidden = primary("accepted", "", 3)
    cells = route_cells({"accepted": 30, "arrangement": 12}, type(hidden)("accepted", "", None, "x"))
    assert [c.display for c in cells] == ["x", "x"]


def test_the_dashboard_and_the_pdf_agree(routes, client):
    from tests.reporting.agreement import dashboard_and_pdf  # renders the PDF: only this test

    scope = Scope.for_region(routes.subregion)
    with translation.override("nl"):
        table = compute_figures("2026-H1", scope).table("by_route")
    assert [row[0] for row in table.rows] == [
        "via het collectieve arrangement van de school",
        "individueel (wijkteam of zorgaanbieder)",
    ]
    html, text = dashboard_and_pdf(client, routes.user("steering_member"), "2026-H1", scope)
    assert table.caption in text and table.caption in html
    for label, value in table.rows:
        assert f"{label} {value}" in text, label
        assert re.search(rf"{re.escape(label)}</th>\s*<td[^>]*>{value}</td>", html), label
    assert f"Totaal {table.footer[1]}" in text


def test_the_startfoto_counts_current_arrangements_schools_and_capacity(world):
    """Measured on 31 July 2026: two current arrangements (30 + 12 places), one that ended
    before, one that starts after; world.school in both current ones counts once."""
    f.arrangement_of(
        world, capacity=30, schools=[world.school, world.other_school], valid_from=datetime.date(2025, 8, 1)
    )
    f.arrangement_of(
        world, capacity=12, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 7, 31)
    )
    f.arrangement_of(
        world, capacity=99, valid_from=datetime.date(2025, 8, 1), valid_to=datetime.date(2026, 7, 30)
    )
    f.arrangement_of(world, capacity=99, valid_from=datetime.date(2026, 8, 1))
    f.arrangement_of(world.abroad, capacity=99, valid_from=datetime.date(2025, 8, 1))
    snapshot = compute_snapshot(world.region, SchoolYear(2025))
    rows = {a["code"]: {k: c["display"] for k, c in a["rows"].items()} for a in snapshot["areas"]}
    region, a, b = rows[world.region.code], rows[world.subregion.code], rows[world.other_subregion.code]
    assert (region["arrangements"], region["arrangement_schools"], region["arrangement_capacity"]) == (
        "2",
        "2",
        "42",
    )
    assert (a["arrangements"], a["arrangement_schools"], a["arrangement_capacity"]) == ("2", "1", "42")
    # The arrangement across both subregions counts in B too, with its whole capacity.
    assert (b["arrangements"], b["arrangement_schools"], b["arrangement_capacity"]) == ("1", "1", "30")
    # Both schools have a current arrangement: both are pilot schools (ADR 0161).
    assert region["pilot_schools"] == "2"

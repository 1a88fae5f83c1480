"""The figures on a crafted dataset, with expectations computed by hand."""

import datetime

import pytest
from django.db import connection
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.workdays import WorkingDays, percentile_cont
from referrals.models import Referral, Status
from reporting.figures import compute_figures
from reporting.periods import AMSTERDAM, InvalidPeriod, Period
from reporting.scopes import Scope
from reporting.suppression import suppress_group
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


# --- Periods ----------------------------------------------------------------------------------
def test_period_parsing_and_bounds():
    p = Period.parse("2026-h1")
    assert p == Period(2026, 1)
    assert p.start == datetime.datetime(2026, 1, 1, tzinfo=AMSTERDAM)
    assert p.end == datetime.datetime(2026, 7, 1, tzinfo=AMSTERDAM)
    assert p.end.utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert Period.parse("2026-H2").last_day == datetime.date(2026, 12, 31)
    assert Period.parse("2026-H1").previous().label == "2025-H2"
    assert Period.previous_completed(datetime.date(2026, 1, 10)).label == "2025-H2"
    assert Period.previous_completed(datetime.date(2026, 7, 10)).label == "2026-H1"
    for bad in ["", "2026", "2026-H3", "26-H1", "2026-H1; drop", "1999-H1", "2026-H1\x00"]:
        with pytest.raises(InvalidPeriod):
            Period.parse(bad)


# --- Working days -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (ams(2026, 3, 6), ams(2026, 3, 9), 1),  # Friday → Monday: the weekend does not count
        (ams(2026, 3, 7), ams(2026, 3, 9), 1),  # Saturday → Monday
        (ams(2026, 3, 6), ams(2026, 3, 6, 17), 0),  # same day
        (ams(2026, 3, 5), ams(2026, 3, 10), 3),  # Thursday → next Tuesday: Fri, Mon, Tue
        (ams(2026, 3, 2), ams(2026, 3, 16), 10),  # Monday → Monday two weeks later
        (ams(2026, 3, 6), ams(2026, 3, 8), 0),  # Friday → Sunday
        # 23:30 UTC on Friday is already Saturday in Amsterdam: Saturday → Monday = 1.
        (datetime.datetime(2026, 3, 6, 23, 30, tzinfo=datetime.UTC), ams(2026, 3, 9), 1),
    ],
)
def test_working_days_in_sql_across_weekends_and_time_zones(world, start, end, expected):
    ref = referral(world.school, submitted=start, decided=end)
    value = (
        Referral.objects.filter(pk=ref.pk)
        .annotate(
            days=WorkingDays(
                TruncDate("first_submitted_at", tzinfo=AMSTERDAM), TruncDate("decided_at", tzinfo=AMSTERDAM)
            )
        )
        .values_list("days", flat=True)
        .get()
    )
    assert value == expected


def test_python_percentile_matches_postgresql_interpolation():
    days = list(range(1, 11))
    assert percentile_cont(days, 0.5) == 5.5
    assert percentile_cont(days, 0.9) == pytest.approx(9.1)
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([4], 0.9) == 4


# --- Suppression ------------------------------------------------------------------------------
def test_primary_and_secondary_suppression():
    cells, total = suppress_group([("a", "A", 12), ("b", "B", 3), ("c", "C", 0), ("d", "D", 20)], total=35)
    shown = {c.key: c.display for c in cells}
    # B (3) is small; the total would reveal it from A, C and D, so the smallest other cell goes too.
    assert shown == {"a": "x", "b": "<5", "c": "0", "d": "20"}
    assert total.display == "35"
    assert all(c.value is None for c in cells if c.display in ("<5", "x"))


def test_secondary_suppression_keeps_going_until_hidden_cells_hold_ten():
    cells, total = suppress_group([("a", "A", 4), ("b", "B", 5), ("c", "C", 6), ("d", "D", 30)], total=45)
    assert [c.display for c in cells] == ["<5", "x", "x", "30"]
    assert total.display == "45"


def test_a_group_too_small_to_protect_hides_every_non_zero_cell_alike():
    # 3 + 5 = 8: showing "<5" next to "x" (which would mean 5 or more) gives the 3 away when the
    # total is known, so both are "x" and a reader only learns that they add up to 8.
    cells, total = suppress_group([("a", "A", 3), ("b", "B", 5), ("c", "C", 0)], total=8)
    assert [c.display for c in cells] == ["x", "x", "0"]
    assert total.display == "8"
    assert all(c.value is None for c in cells[:2])


def test_small_totals_and_non_additive_groups():
    cells, total = suppress_group([("a", "A", 3), ("b", "B", 0)], total=3)
    assert [c.display for c in cells] == ["x", "0"]
    assert total.display == "<5"
    cells, total = suppress_group([("a", "A", 3), ("b", "B", 7)], total=None)
    assert [c.display for c in cells] == ["<5", "7"]
    assert total is None


def _rows(table):
    return {row[0]: row[1:] for row in table.rows}


def test_referral_figures_for_a_subregion(world, dataset):
    figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    by_type = figures.table("by_school_type")
    # po 10, vso 3: the 3 is small; hiding it alone would be undone by the total 13, so po goes too.
    assert _rows(by_type)["basisschool (po)"] == ["x"]
    assert _rows(by_type)["voortgezet speciaal onderwijs (vso)"] == ["<5"]
    assert _rows(by_type)["voortgezet onderwijs (vo)"] == ["0"]
    assert by_type.footer == ["Totaal", "13"]
    outcome = _rows(figures.table("outcome"))
    # accepted 8, declined 2, undecided 3: the small ones hold 5 < 10, so accepted is hidden too.
    assert outcome == {
        "geaccepteerd": ["x"],
        "afgewezen": ["<5"],
        "beëindigd zonder besluit (ingetrokken of verlopen)": ["0"],
        "nog niet besloten": ["<5"],
    }
    assert figures.table("outcome").footer == ["Totaal", "13"]
    domains = _rows(figures.table("by_domain"))
    assert domains["gedrag"] == ["13"]
    assert domains["thuissituatie"] == ["<5"]
    assert figures.table("by_domain").footer is None
    other = _rows(figures.table("other"))
    assert other["ten minste één keer teruggestuurd naar de school"] == ["<5"]
    assert other["gezamenlijke inzet van onderwijs en jeugdhulp"] == ["5"]
    assert _rows(figures.table("by_home_municipality")) == {"Gemeente Aan": ["13"]}


def test_waiting_times_median_and_90th_percentile_in_working_days(world, dataset):
    figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    rows = figures.table("waiting_times").rows
    # Days 1..10: median 5,5; 90th percentile 1 + 0,9 × 9 = 9,1 → position 8,1 → 9 + 0,1 = 9,1.
    # 10 decided = 13 submitted − 3 undecided: the undecided cell is "<5", so the 10 is hidden too.
    assert rows[0][1:] == ["x", "5,5", "9,1", "5", "nee"]
    # No help started: nothing measured.
    assert rows[1][1:3] == ["0", "—"]
    assert figures.key_figures[3].display == "5,5"


def test_escalation_figures_and_total_suppression(world, dataset):
    figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    reason = figures.table("escalation_reason")
    # 3 + 5 = 8: too few to protect the 3 with a complementary cell, so both are "x".
    assert _rows(reason)["grijs gebied: financiering"] == ["x"]
    assert _rows(reason)["capaciteit / wachtlijst"] == ["x"]
    assert reason.footer == ["Totaal", "8"]
    outcome = figures.table("escalation_outcome")
    # shared 6, undecided 2: 6 + 2 < 10, so both are "x" alike; the total stays.
    assert _rows(outcome)["gedeeld"] == ["x"]
    assert _rows(outcome)["nog geen besluit"] == ["x"]
    assert _rows(outcome)["onderwijs"] == ["0"]
    assert outcome.footer == ["Totaal", "8"]
    # Raised Friday 3 April (Good Friday, a working day), decided Mon 6 .. Sat 11 April; Easter
    # Monday 6 April is not a working day (ADR 0090): 0, 1, 2, 3, 4, 4 working days.
    days = figures.table("escalation_days").rows[0]
    assert days[1:4] == ["x", "2,5", "4,0"]  # 6 decided = 8 − 2 undecided: hidden with the outcome


def test_scopes_region_partnership_municipality(world, dataset):
    region = compute_figures("2026-H1", Scope.for_region(world.region))
    assert region.key_figures[0].display == "14"  # + the referral in subregion B
    partnership = compute_figures("2026-H1", Scope.for_partnership(world.other_partnership))
    assert partnership.key_figures[0].display == "<5"
    municipality = compute_figures("2026-H1", Scope.for_municipality(world.municipality))
    assert municipality.key_figures[0].display == "13"
    h2 = compute_figures("2026-H2", Scope.for_region(world.region))
    assert h2.key_figures[0].display == "<5"


def test_network_coverage(world, dataset):
    figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    rows = _rows(figures.table("coverage"))
    assert rows["(v)so-scholen met een vaste contactpersoon"] == ["1", "1", "100%"]
    assert rows["Gemeenten met een vaste contactpersoon"] == ["1", "1", "100%"]
    assert rows["Scholen met een tandem"] == ["1", "2", "50%"]


def test_agenda_section_shows_target_actual_status_and_meetings(world):
    from decimal import Decimal

    from agenda.models import MeetingType, UpdateStatus
    from tests.agenda.factories import (
        ActivityFactory,
        AgendaFactory,
        AmbitionFactory,
        GoalFactory,
        MeetingFactory,
        ProgressUpdateFactory,
    )

    agenda = AgendaFactory(region=world.region)
    ambition = AmbitionFactory(agenda=agenda, number=2)
    goal = GoalFactory(
        ambition=ambition,
        number=3,
        indicator="practitioner_meetings",
        target_value=Decimal(2),
        target_unit="keer",
    )
    activity = ActivityFactory(ambition=ambition, goal=goal)
    ProgressUpdateFactory(activity=activity, status=UpdateStatus.ON_TRACK, date=datetime.date(2026, 2, 1))
    ProgressUpdateFactory(activity=activity, status=UpdateStatus.AT_RISK, date=datetime.date(2026, 3, 1))
    MeetingFactory(
        region=world.region, meeting_type=MeetingType.PRACTITIONER, date=datetime.date(2026, 3, 10)
    )
    MeetingFactory(region=world.region, meeting_type=MeetingType.INSPIRATION, date=datetime.date(2026, 4, 10))
    MeetingFactory(
        region=world.other_subregion, meeting_type=MeetingType.INSPIRATION, date=datetime.date(2025, 4, 10)
    )

    with translation.override("nl"):
        figures = compute_figures("2026-H1", Scope.for_region(world.region))
    section = figures.section("agenda")
    goals = section.tables[0]
    assert goals.key == "agenda_goals"
    (row,) = [list(map(str, r)) for r in goals.rows]
    assert row[0] == goal.code
    assert row[2] == "2 keer"
    assert row[3] == "1"  # one practitioner meeting held in 2026 so far
    assert row[4] == "loopt risico" or "risico" in row[4].lower()


def test_the_number_of_queries_does_not_grow_with_referrals(world, dataset):
    scope = Scope.for_region(world.region)
    with CaptureQueriesContext(connection) as first:
        compute_figures("2026-H1", scope)
    for _i in range(20):
        referral(world.school, submitted=ams(2026, 2, 2), decided=ams(2026, 2, 5))
    with CaptureQueriesContext(connection) as second:
        compute_figures("2026-H1", scope)
    assert len(first.captured_queries) == len(second.captured_queries)
    # One pass over both half-years (this one and the previous one it is set against, ADR 0146)
    # per kind of count (ADR 0167): the cohort's counts, its returns, domains, waiting times
    # (with the Holiday table), escalations, the 18-/18+ transitions (ADR 0153); then the norms
    # (ADR 0091), the mediations (ADR 0149), help closed, the cooperation check (ADR 0151),
    # coverage (2) and the agenda (2) of this half-year.
    assert len(first.captured_queries) <= 15


def test_number_measured_is_shown_when_it_reveals_nothing(world):
    # Six referrals, all decided: no hidden outcome, so the number measured can be shown.
    for day in (9, 10, 11, 12, 13, 16):
        referral(world.school, submitted=ams(2026, 3, 6), decided=ams(2026, 3, day))
    figures = compute_figures("2026-H1", Scope.for_region(world.region))
    assert figures.table("waiting_times").rows[0][1:4] == ["6", "3,5", "5,5"]
    assert _rows(figures.table("outcome")) == {
        "geaccepteerd": ["6"],
        "afgewezen": ["0"],
        "beëindigd zonder besluit (ingetrokken of verlopen)": ["0"],
        "nog niet besloten": ["0"],
    }


def test_withdrawn_and_lapsed_referrals_are_not_counted_as_undecided(world):
    # 6 accepted, 5 withdrawn before a decision, 5 lapsed while returned, 5 still waiting.
    for day in (9, 10, 11, 12, 13, 16):
        referral(world.school, submitted=ams(2026, 3, 6), decided=ams(2026, 3, day))
    for status in (Status.WITHDRAWN, Status.LAPSED):
        for _i in range(5):
            referral(world.school, submitted=ams(2026, 3, 6), status=status)
    for _i in range(5):
        referral(world.school, submitted=ams(2026, 3, 6))
    figures = compute_figures("2026-H1", Scope.for_region(world.region))
    assert _rows(figures.table("outcome")) == {
        "geaccepteerd": ["6"],
        "afgewezen": ["0"],
        "beëindigd zonder besluit (ingetrokken of verlopen)": ["10"],
        "nog niet besloten": ["5"],
    }
    assert figures.table("outcome").footer == ["Totaal", "21"]


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_suppression_never_leaves_a_small_cell_recomputable(counts):
    items = [(str(i), str(i), n) for i, n in enumerate(counts)]
    cells, total = suppress_group(items, total=sum(counts))
    for cell, n in zip(cells, counts, strict=True):
        assert cell.value is None or cell.value == n
        assert cell.value is None or not 0 < cell.value < 5
        if 0 < n < 5:
            assert cell.display in ("<5", "x")
    hidden = [(cell.display, n) for cell, n in zip(cells, counts, strict=True) if cell.value is None]
    if hidden:
        # Total − visible cells gives the sum of at least two hidden cells, never one cell.
        assert len(hidden) >= 2 or sum(counts) < 5
        small_marked = [n for display, n in hidden if display == "<5"]
        if small_marked:
            # "<5" cells sit next to "x" cells and the hidden cells hold at least 10 together.
            assert any(display == "x" for display, _n in hidden)
            assert sum(n for _d, n in hidden) >= 10

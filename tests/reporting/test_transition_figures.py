"""The 18-/18+ transition figure (ADR 0153), computed by hand: pupils who turned 18 in the
half-year while their referral was open, and how many were prepared before the birthday;
suppressed below 5; the dashboard and the PDF show the same."""

import datetime

import pytest
from django.utils import translation

from referrals.models import Status, Transition
from referrals.transition import latest_birth_for_adult_on
from reporting.figures import compute_figures, transition_counts
from reporting.periods import Period
from reporting.scopes import Scope
from tests.reporting.agreement import dashboard_and_pdf
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db

D = datetime.date
SUBMITTED = ams(2025, 9, 1)


def _pupil(school, birthday, prepared_on=None, with_transition=None, **kwargs):
    kwargs.setdefault("submitted", SUBMITTED)
    ref = referral(school, child_date_of_birth=latest_birth_for_adult_on(birthday), **kwargs)
    if prepared_on is not None or with_transition:
        Transition.objects.create(referral=ref, prepared_on=prepared_on)
    return ref


@pytest.fixture
def turning_18(world):
    """2026-H1, subregion A: 12 pupils turned 18 with an open referral, 7 prepared in time."""
    school = world.school
    # In time: prepared ten days before the birthday; 1 January and 30 June are in the period.
    for birthday in (
        D(2026, 1, 1),
        D(2026, 2, 10),
        D(2026, 3, 10),
        D(2026, 4, 10),
        D(2026, 5, 10),
        D(2026, 6, 10),
        D(2026, 6, 30),
    ):
        _pupil(school, birthday, prepared_on=birthday - datetime.timedelta(days=10))
    # Not in time (5): prepared on the birthday itself, prepared after it, never started, steps
    # only, and one closed after the birthday (it was open on the day).
    _pupil(school, D(2026, 3, 1), prepared_on=D(2026, 3, 1))
    _pupil(school, D(2026, 3, 2), prepared_on=D(2026, 3, 5))
    _pupil(school, D(2026, 3, 3))
    _pupil(school, D(2026, 3, 4), with_transition=True)
    _pupil(
        school, D(2026, 3, 15), decided=ams(2025, 9, 5), help_started=ams(2025, 9, 8), closed=ams(2026, 5, 1)
    )
    # Not counted: 18 before or after the period, closed or declined before the birthday,
    # submitted only after it, a draft, and a pupil of subregion B.
    _pupil(school, D(2025, 12, 31), prepared_on=D(2025, 12, 1))
    _pupil(school, D(2026, 7, 1), prepared_on=D(2026, 6, 1))
    _pupil(
        school, D(2026, 3, 15), decided=ams(2025, 9, 5), help_started=ams(2025, 9, 8), closed=ams(2026, 2, 1)
    )
    _pupil(school, D(2026, 3, 15), decided=ams(2026, 2, 1), status=Status.DECLINED)
    _pupil(school, D(2026, 3, 15), submitted=ams(2026, 4, 1))
    referral(
        school,
        submitted=None,
        status=Status.DRAFT,
        child_date_of_birth=latest_birth_for_adult_on(D(2026, 3, 15)),
    )
    _pupil(world.other_school, D(2026, 3, 10), prepared_on=D(2026, 3, 1))


def test_the_transition_figure_by_hand(world, turning_18):
    scope = Scope.for_region(world.subregion)
    assert transition_counts(Period(2026, 1), scope) == (12, 7)
    with translation.override("nl"):
        table = compute_figures("2026-H1", scope).table("transition_prepared")
    assert table.rows == [
        ["op tijd voorbereid (vóór de 18e verjaardag)", "7"],
        ["niet op tijd voorbereid", "5"],
    ]
    assert table.footer == ["Totaal", "12"]
    # The previous half-year: the pupil of 31 December, prepared in time.
    assert transition_counts(Period(2025, 2), scope) == (1, 1)


def test_small_numbers_are_suppressed(world):
    for day in (3, 4, 5):
        _pupil(world.school, D(2026, 3, day), prepared_on=D(2026, 2, 1))
    for day in (6, 7, 8, 9, 10, 11):
        _pupil(world.school, D(2026, 3, day))
    scope = Scope.for_region(world.subregion)
    assert transition_counts(Period(2026, 1), scope) == (9, 3)
    table = compute_figures("2026-H1", scope).table("transition_prepared")
    # 3 is below 5, and 6 is hidden too: otherwise 9 − 6 would give the 3 back; a group of two
    # is too small to tell which is the small one, so both show "x" (portal/suppression.py).
    assert [row[1] for row in table.rows] == ["x", "x"]
    assert table.footer[1] == "9"


def test_the_dashboard_and_the_pdf_show_the_same_transition_figures(world, turning_18, client):
    scope = Scope.for_region(world.subregion)
    with translation.override("nl"):
        table = compute_figures("2026-H1", scope).table("transition_prepared")
    html, text = dashboard_and_pdf(client, world.users["steering_member"], "2026-H1", scope)
    assert "Overgang naar 18+" in text and "Overgang naar 18+" in html
    for row in [*table.rows, table.footer]:
        assert " ".join(row) in text, row
        assert f">{row[0]}</th>" in html and f">{row[1]}</td>" in html, row


# --- This half-year against the previous one (ADR 0146, ADR 0162) -----------------------------


@pytest.fixture
def previous_half_year(world, turning_18):
    """2025-H2 as well: besides the pupil of 31 December (prepared in time), 5 more prepared in
    time and 5 not: 11 turned 18, 6 prepared in time (with 4 not, the 6 would be hidden: 11 − 6
    would give the 4 back)."""
    school = world.school
    for day in (1, 2, 3, 4, 5):
        _pupil(school, D(2025, 11, day), prepared_on=D(2025, 10, 1))
    for day in (6, 7, 8, 9, 10):
        _pupil(school, D(2025, 11, day))


def _row(figures):
    [row] = [r for r in figures.comparison.rows if r[0] == "Overgangen naar 18+ op tijd voorbereid"]
    return row[1:]


def test_the_comparison_sets_the_transitions_against_the_previous_half_year(world, previous_half_year):
    scope = Scope.for_region(world.subregion)
    assert transition_counts(Period(2025, 2), scope) == (11, 6)
    with translation.override("nl"):
        figures = compute_figures("2026-H1", scope)
    # 7 prepared in time now (of 12), 6 before (of 11): one more.
    assert _row(figures) == ["7", "6", "+1"]
    key = {kf.label: kf.display for kf in figures.key_figures}
    assert key["Overgangen naar 18+ op tijd voorbereid"] == "7"
    assert "Het aantal op tijd voorbereide overgangen naar 18+ steeg van 6 naar 7." in figures.changes


def test_the_comparison_hides_what_the_previous_half_years_table_hides(world, turning_18):
    scope = Scope.for_region(world.subregion)
    with translation.override("nl"):
        figures = compute_figures("2026-H1", scope)
        before = compute_figures("2025-H2", scope).table("transition_prepared")
    # 2025-H2: one pupil, prepared in time; the table hides it, so does the comparison.
    assert before.rows[0][1] in ("<5", "x")
    assert _row(figures) == ["7", before.rows[0][1], "—"]
    assert not any("overgangen" in change for change in figures.changes)


def test_the_dashboard_and_the_pdf_show_the_same_comparison_row(world, previous_half_year, client):
    scope = Scope.for_region(world.subregion)
    html, text = dashboard_and_pdf(client, world.users["steering_member"], "2026-H1", scope)
    assert "Overgangen naar 18+ op tijd voorbereid 7 6 +1" in text
    assert "Overgangen naar 18+ op tijd voorbereid" in html
    assert ">+1</td>" in html

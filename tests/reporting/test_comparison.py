"""This half-year against the previous one, and the three largest changes in words (ADR 0146).
Every expected value below is worked out by hand from the fixtures."""

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import summaries
from reporting.figures import Comparable, comparison_table, compute_figures, fmt_difference, largest_changes
from reporting.periods import Period
from reporting.scopes import Scope
from reporting.suppression import Cell, primary


def _cell(key, value, label=""):
    return primary(key, label, value)


def _comparable(
    submitted=0, accepted=0, joint=0, escalations=0, decision=(0, None, None), domains=None, transitions=0
):
    domains = domains or {}
    return Comparable(
        submitted=_cell("submitted", submitted),
        accepted=accepted if isinstance(accepted, Cell) else _cell("accepted", accepted),
        joint=_cell("joint", joint),
        escalations=_cell("escalations", escalations),
        decision=decision,
        domains=[_cell(key, n, label=key) for key, n in domains.items()],
        school_types=[],
        transition_prepared=transitions if isinstance(transitions, Cell) else _cell("prepared", transitions),
    )


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_difference_is_signed_with_a_real_minus_sign():
    assert fmt_difference(8) == "+8"
    assert fmt_difference(-3) == "\u22123"
    assert fmt_difference(0) == "0"
    assert fmt_difference(3.5, 1) == "+3,5"
    assert fmt_difference(1234) == "+1.234"


def test_the_largest_absolute_changes_come_first_and_at_most_three():
    now = _comparable(submitted=30, accepted=10, joint=9, escalations=6, domains={"gedrag": 20, "leren": 12})
    before = _comparable(
        submitted=20, accepted=22, joint=8, escalations=5, domains={"gedrag": 15, "leren": 9}
    )
    # Changes: submitted +10, accepted −12, joint +1, escalations +1, gedrag +5, leren +3.
    assert [c.sentence() for c in largest_changes(now, before)] == [
        "Het aantal door het wijkteam geaccepteerde aanmeldingen daalde van 22 naar 10.",
        "Het aantal aanmeldingen steeg van 20 naar 30.",
        "Het aantal aanmeldingen in het domein gedrag steeg van 15 naar 20.",
    ]


def test_ties_keep_the_fixed_order_of_the_figures():
    # Every change is +4: the order is submitted, accepted, joint, escalations, then the domains.
    now = _comparable(submitted=14, joint=9, escalations=9, domains={"gedrag": 11})
    before = _comparable(submitted=10, joint=5, escalations=5, domains={"gedrag": 7})
    changes = largest_changes(now, before)
    assert [c.subject for c in changes] == [
        "het aantal aanmeldingen",
        "het aantal gezamenlijke inzetten van onderwijs en jeugdhulp",
        "het aantal gestarte opschalingen",
    ]
    assert [c.difference for c in changes] == [4, 4, 4]


def test_a_count_below_five_or_hidden_on_either_side_is_not_described():
    hidden = Cell("accepted", "", None, "x")
    now = _comparable(
        submitted=40, accepted=hidden, joint=3, escalations=0, domains={"gedrag": 30, "leren": 6}
    )
    before = _comparable(submitted=4, accepted=30, joint=20, escalations=9, domains={"gedrag": 2, "leren": 5})
    # submitted: 4 before; accepted: hidden now; joint: 3 now; escalations: 0 now; gedrag: 2 before.
    assert [c.sentence() for c in largest_changes(now, before)] == [
        "Het aantal aanmeldingen in het domein leren steeg van 5 naar 6."
    ]
    rows = comparison_table(now, before, Period(2026, 1), Period(2025, 2)).rows
    assert [row[1:] for row in rows] == [
        ["40", "<5", "—"],
        ["x", "30", "—"],
        ["<5", "20", "—"],
        ["—", "—", "—"],  # no decision measured
        ["0", "9", "\u22129"],  # 0 is shown, so its difference is
        ["0", "0", "0"],  # transitions prepared in time
    ]


def test_no_change_at_all_gives_no_sentences():
    same = _comparable(submitted=12, joint=6, domains={"gedrag": 7})
    assert largest_changes(same, _comparable(submitted=12, joint=6, domains={"gedrag": 7})) == []


@pytest.mark.django_db
def test_the_comparison_of_the_crafted_half_years(world, dataset, previous_half_year):
    figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    assert figures.previous_period == Period(2025, 2)
    assert figures.comparison.headers == [
        "Cijfer",
        "Dit halfjaar (2026-H1)",
        "Vorig halfjaar (2025-H2)",
        "Verschil",
    ]
    assert figures.comparison.rows == [
        # 10 po + 3 vso now; 20 + the one of 31 December before.
        ["Aanmeldingen dit halfjaar", "13", "21", "\u22128"],
        # Now 8 accepted beside 2 declined and 3 undecided, before 20 beside 1 undecided: both "x".
        ["Door het wijkteam geaccepteerd", "x", "x", "—"],
        ["Gezamenlijke inzet van onderwijs en jeugdhulp", "5", "0", "+5"],
        ["Mediane wachttijd tot besluit (werkdagen)", "5,5", "2,0", "+3,5"],
        ["Gestarte opschalingen", "8", "0", "+8"],
        ["Overgangen naar 18+ op tijd voorbereid", "0", "0", "0"],
    ]
    # Joint deployments and escalations were 0 before, home situation 2 now, school types hidden
    # now (3 vso): only the total and the domain behaviour (13 now: 10 po + 3 vso) are described.
    assert figures.changes == [
        "Het aantal aanmeldingen daalde van 21 naar 13.",
        "Het aantal aanmeldingen in het domein gedrag daalde van 20 naar 13.",
    ]
    # The comparison's "this half-year" is the key figures' own value.
    key = {kf.label: kf.display for kf in figures.key_figures}
    for row in figures.comparison.rows:
        assert key[row[0]] == row[1]


@pytest.mark.django_db
def test_the_dashboard_shows_the_comparison_and_the_tables_behind_a_disclosure(
    world, dataset, previous_half_year, client
):
    client.force_login(world.users["steering_member"])
    html = client.get(
        reverse("reporting:dashboard"), {"period": "2026-H1", "scope": f"r-{world.subregion.pk}"}
    ).content.decode()
    assert "Dit halfjaar tegenover het vorige" in html
    assert "Het aantal aanmeldingen daalde van 21 naar 13." in html
    assert "Aanmeldingen die een school in dit halfjaar voor het eerst heeft ingediend." in html
    charts = html.count('role="img"')
    assert charts >= 4
    assert html.count("<summary>Tabel bij deze grafiek</summary>") == charts
    assert html.count("<details") == charts


def test_the_cache_key_names_the_new_shape():
    # Figures cached before the comparison existed have no comparison: never read them.
    assert summaries.VERSION >= 2
    assert summaries.PREFIX == f"tandem:figures:v{summaries.VERSION}"

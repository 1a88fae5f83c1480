"""The cooperation check in the figures (ADR 0151): per subregion and half-year, hidden below
5 answers, worked out by hand; the dashboard and the PDF show the same cells."""

import pytest
from django.urls import reverse
from django.utils import translation

from referrals.models import CooperationFeedback
from reporting import generation
from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.contacts.factories import RegionFactory, SubregionFactory
from tests.reporting.test_pdf import _text

pytestmark = pytest.mark.django_db


def _answers(region, period, cooperation, route_clear, times):
    CooperationFeedback.objects.bulk_create(
        CooperationFeedback(region=region, period=period, cooperation=cooperation, route_clear=route_clear)
        for _i in range(times)
    )


@pytest.fixture
def answers(world):
    """Subregion A, 2026-H1: 10 answers. Cooperation: 5 yes, 0 partly, 5 no. Route: 7 yes,
    3 partly. Subregion B: 3 answers. Not counted: 2025-H2 in A, and another region's."""
    a, b = world.subregion, world.other_subregion
    _answers(a, "2026-H1", "yes", "yes", 5)
    _answers(a, "2026-H1", "no", "yes", 2)
    _answers(a, "2026-H1", "no", "partly", 3)
    _answers(b, "2026-H1", "yes", "yes", 3)
    _answers(a, "2025-H2", "no", "no", 20)
    elsewhere = SubregionFactory(code="ELS-A", name="Elders", parent=RegionFactory(code="ELS", name="Elders"))
    _answers(elsewhere, "2026-H1", "yes", "yes", 9)


def _rows(period, scope):
    with translation.override("nl"):
        return compute_figures(period, scope).table("cooperation_by_subregion").rows


def test_hand_computed_rows_per_subregion(world, answers):
    rows = _rows("2026-H1", Scope.for_region(world.region))
    # A: route "partly" 3 is small (<5); hiding it alone would give it back (10 - 7), so "yes"
    # is hidden too (x). B: 3 answers, all cells hidden.
    assert rows == [
        ["Subregio A", "10", "5", "0", "5", "x", "<5", "0"],
        ["Subregio B", "<5", "x", "x", "x", "x", "x", "x"],
    ]
    assert _rows("2026-H1", Scope.for_region(world.subregion)) == [rows[0]]
    assert _rows("2025-H2", Scope.for_region(world.subregion)) == [
        ["Subregio A", "20", "0", "0", "20", "0", "0", "20"]
    ]


def test_not_shown_for_a_partnership_or_municipality(world, answers):
    with translation.override("nl"):
        for scope in (Scope.for_partnership(world.partnership), Scope.for_municipality(world.municipality)):
            assert "cooperation" not in [s.key for s in compute_figures("2026-H1", scope).sections]


def test_dashboard_and_pdf_agree(world, answers, client):
    scope = Scope.for_region(world.region)
    rows = _rows("2026-H1", scope)
    client.force_login(world.users["steering_member"])
    html = client.get(
        reverse("reporting:dashboard"), {"period": "2026-H1", "scope": scope.key}
    ).content.decode()
    _reader, text = _text(generation.render_report("2026-H1", scope))
    assert "Terugblik op de samenwerking" in html and "Terugblik op de samenwerking" in text
    for row in rows:
        assert " ".join(row) in text, row
        numeric = "utrecht-table__cell utrecht-table__cell--numeric-column utrecht-table__cell--numeric-data"
        cells = "".join(f'<td class="{numeric}">{c.replace("<", "&lt;")}</td>' for c in row[1:])
        assert cells in html, row

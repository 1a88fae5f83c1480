"""The demo's cooperation answers (ADR 0151): `make run` shows the figure with counts and a
subregion below 5 answers; seeding twice adds nothing."""

import pytest
from django.utils import translation

from contacts import demo as contacts_demo
from contacts.models import Region
from reporting import demo
from reporting.figures import compute_figures
from reporting.periods import Period
from reporting.scopes import Scope

pytestmark = pytest.mark.django_db


def test_demo_answers_show_in_the_figure_and_seed_once():
    contacts_demo.seed({"password": None})
    assert demo.seed_feedback() == 2 * (23 + 11 + 3)
    assert demo.seed_feedback() == 0
    with translation.override("nl"):
        figures = compute_figures(Period.current(), Scope.for_region(Region.objects.get(code="UTR")))
    rows = {row[0]: row for row in figures.table("cooperation_by_subregion").rows}
    assert rows["Utrecht Stad"] == ["Utrecht Stad", "23", "12", "6", "5", "18", "5", "0"]
    assert rows["Lekstroom"] == ["Lekstroom", "11", "11", "0", "0", "6", "5", "0"]
    assert rows["Utrecht West"][1:] == ["<5"] + ["x"] * 6

"""Every page and export that shows a figure derived from referrals suppresses small numbers
the same way (ADR 0070, 0099). A data set of three referrals: the count (3), the median waiting
time over three and every breakdown of them must come out as "<5" (or hidden), on the work
agenda as in the dashboard, the exports and the progress report's figures."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reporting.figures import compute_figures
from reporting.scopes import Scope as ReportScope
from tests.agenda import factories as af
from tests.reporting.factories import referral

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=AMS)
SMALL = {"1", "2", "3", "4"}
REFERRAL_SECTIONS = {"referrals", "waiting", "escalations", "closed", "agenda"}


def ams(month, day):
    return datetime.datetime(2026, month, day, 9, 0, tzinfo=AMS)


@pytest.fixture
def three(world):
    """Three referrals submitted on Monday 2 November 2026, decided 3, 5 and 7 working days
    later; an agenda whose goals point at the two referral indicators."""
    with time_machine.travel(TODAY, tick=False):
        for decided in (ams(11, 5), ams(11, 9), ams(11, 11)):
            referral(world.school, submitted=ams(11, 2), decided=decided)
        agenda = af.AgendaFactory(slug="klein", region=world.region, title="Kleine agenda")
        ambition = af.AmbitionFactory(agenda=agenda, number=1, text="Ambitie")
        af.GoalFactory(
            ambition=ambition, number=1, text="Aanmeldingen", target_value=20, indicator="referrals_submitted"
        )
        af.GoalFactory(
            ambition=ambition,
            number=2,
            text="Snel besluiten",
            target_value=10,
            indicator="median_days_to_decision",
        )
        return agenda


@pytest.fixture
def steering(client, world):
    client.force_login(world.user("steering_member"))
    return client


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_work_agenda_page_suppresses_its_referral_indicators(three, steering):
    html = steering.get(reverse("agenda:detail", args=[three.slug])).content.decode()
    cells = re.findall(r'<td class="utrecht-table__cell agenda-actual">(.*?)</td>', html, re.S)
    assert len(cells) == 2
    for cell in cells:
        assert "<strong>&lt;5</strong>" in cell
        assert "doel gehaald" not in cell and "onder doel" not in cell  # no badge tells the number
    assert "<strong>3</strong>" not in html and "<strong>5</strong>" not in html


def test_the_report_figures_show_no_small_number_from_referrals(world, three):
    figures = compute_figures("2026-H2", ReportScope.for_region(world.region))
    for kf in figures.key_figures:
        assert kf.display not in SMALL, kf.label
    for section in figures.sections:
        if section.key not in REFERRAL_SECTIONS:
            continue  # the network coverage counts schools and persons, not referrals
        for table in section.tables:
            for row in [*table.rows, *([table.footer] if table.footer else [])]:
                for value in row[1:]:
                    assert str(value) not in SMALL, (section.key, table.key, row)
    waiting = figures.section("waiting").tables[0]
    assert all(row[2] == "—" for row in waiting.rows)  # no median over three referrals
    goals = figures.section("agenda").tables[0]
    assert [row[3] for row in goals.rows] == ["<5", "<5"]


def test_dashboard_and_exports_show_the_same_suppressed_figures(world, three, steering):
    params = {"period": "2026-H2", "scope": f"r-{world.region.pk}"}
    with translation.override("nl"):
        network = str(
            compute_figures("2026-H2", ReportScope.for_region(world.region)).section("network").title
        )
    html = steering.get(reverse("reporting:dashboard"), params).content.decode()
    assert "&lt;5" in html
    csv = steering.get(reverse("reporting:export", args=["csv"]), params).content.decode("utf-8-sig")
    xlsx = steering.get(reverse("reporting:export", args=["xlsx"]), params).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    for rows in (
        [line.split(";") for line in csv.splitlines()[1:]],
        [[str(c.value) for c in row] for row in sheet.iter_rows(min_row=2)],
    ):
        referral_rows = [r for r in rows if r[2] != network]
        assert referral_rows
        assert not [r for r in referral_rows if r[-1] in SMALL]
        assert any(r[-1] == "<5" for r in referral_rows)

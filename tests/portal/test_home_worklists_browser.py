"""Browser journeys of the home worklists (ADR 0140): per role, the count on the home page is
a link that lands on the list filtered to exactly those; axe-core on the home page and the list."""

import datetime
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from contacts.selectors import coverage
from referrals.workflow import transition
from reporting.models import ProgressReport
from reporting.periods import Period
from tests.agenda import factories as af
from tests.escalations.fixtures import open_escalation, past_the_norm, referral_in
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.security.factories import request_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def _click_count(page, live_server, user, label, count, lands_on):
    login(page, live_server, user.email)
    page.goto(f"{live_server.url}/")
    link = page.get_by_role("list", name="Wacht nu op u").get_by_role("link").filter(has_text=label)
    expect(link).to_have_text(re.compile(rf"^{count}\s+{re.escape(label)}"))
    assert_no_axe_violations(page)
    link.click()
    page.wait_for_url(re.compile(lands_on))
    assert_no_axe_violations(page)


def test_each_role_clicks_a_count_and_lands_on_the_filtered_list(page, live_server):
    world = build_world()
    over = past_the_norm(referral_in(world, "in_triage", child_last_name="Overnormsma"))
    referral_in(world, "submitted", child_last_name="Versewerkstra")
    answered = transition(referral_in(world, "returned"), "resubmit", world.user("school_coordinator"))
    referral_in(world, "returned", child_last_name="Vraagsteller")
    escalation = open_escalation(world)
    request_for(world)

    # District worker: "1 over de norm" lands on the inbox filtered to it.
    _click_count(page, live_server, world.user("district_worker"), "over de norm", 1, r"over_norm=on")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(over.reference)
    _logout(page)

    # ... and "questions answered by a school".
    _click_count(
        page,
        live_server,
        world.user("district_worker"),
        "vragen beantwoord door een school",
        1,
        r"answered=on",
    )
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr").first).to_contain_text(answered.reference)
    _logout(page)

    # IB-er: the question from the team.
    _click_count(
        page, live_server, world.user("school_coordinator"), "vragen van het team", 1, r"status=returned"
    )
    expect(page.locator("table tbody tr")).to_have_count(1)
    _logout(page)

    # Deciders: their open escalations.
    for actor in ("partnership_director", "municipal_officer"):
        _click_count(page, live_server, world.user(actor), "openstaande opschalingen", 1, r"/opschaling/$")
        expect(page.locator("main")).to_contain_text(escalation.referral.reference)
        _logout(page)

    # Privacy officer: the open data-subject requests.
    _click_count(
        page,
        live_server,
        world.user("privacy_officer"),
        "openstaande verzoeken van betrokkenen",
        1,
        r"/verzoeken/",
    )

    # Registry administrator: a school without a tandem, on the coverage page.
    _logout(page)
    _click_count(
        page,
        live_server,
        world.user("registry_admin"),
        "Scholen zonder actieve tandem",
        len(coverage(world.region).schools_without_tandem),
        r"/dekking/#gap-tandems$",
    )

    # Steering group: the goals at risk land on the agenda page filtered to exactly those.
    _logout(page)
    agenda = af.AgendaFactory(slug="werkagenda", region=world.region, title="Werkagenda regio")
    ambition = af.AmbitionFactory(agenda=agenda, number=1, text="Samen sterker")
    late, calm = (af.GoalFactory(ambition=ambition, number=n, text=f"Doel {n}") for n in (1, 2))
    af.ActivityFactory(ambition=ambition, number=1, goal=late, due_date=datetime.date(2020, 1, 1))
    af.ActivityFactory(ambition=ambition, number=2, goal=calm)
    _click_count(page, live_server, world.user("steering_member"), "doelen met risico", 1, r"\?risico=1$")
    expect(page.locator("#filter-state")).to_contain_text("Getoond: alleen het 1 doel met risico")
    expect(page.locator("tr[data-goal]")).to_have_count(1)
    expect(page.locator('tr[data-goal="1.1"]')).to_contain_text("doel met risico")
    page.get_by_role("link", name="Alle doelen tonen").click()
    page.wait_for_url(re.compile(r"/werkagenda/werkagenda/$"))
    expect(page.locator("tr[data-goal]")).to_have_count(2)

    # ... and the progress reports of the last half-year that has ended: the filtered report list.
    with translation.override("nl"):
        period = Period.previous_completed()
        label = f"voortgangsrapportages over het {period.verbose}"
    ProgressReport.objects.create(period=period.label, region=world.region, status="done")
    page.goto(f"{live_server.url}/")
    report = page.get_by_role("list", name="Wacht nu op u").get_by_role("listitem").filter(has_text=label)
    expect(report).to_contain_text("klaar; volgende:")
    report.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"period={period.label}"))
    assert_no_axe_violations(page)
    expect(page.locator("table tbody tr")).to_have_count(1)

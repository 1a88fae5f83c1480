"""Browser journey (ADR 0153): the district worker ticks the 18-/18+ checklist, meets the
error of a missing Wmo/Wlz contact, marks the transition prepared, and the timeline shows
it; axe-core on each state, the error state included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals import transition as rules
from referrals.models import Transition
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import ConsentFactory, referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_worker_prepares_the_transition_and_the_timeline_shows_it(page, live_server):
    world = build_world()
    today = timezone.localdate()
    referral = referral_in(
        world,
        "help_started",
        child_date_of_birth=rules.latest_birth_for_adult_on(today + datetime.timedelta(days=60)),
    )
    ConsentFactory(
        referral=referral, giver="child", guardian=None, recorded_by=world.user("school_coordinator")
    )
    login(page, live_server, world.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    task = page.locator("#transition")
    expect(task).to_contain_text("over 60 dagen")
    expect(task).to_contain_text(world.municipality.name)
    assert_no_axe_violations(page)

    # The registry has no Wmo/Wlz contact: ticking the step without saying whom is refused.
    task.get_by_label("Contact gelegd met de volwassenenzorg").check()
    task.get_by_label("Wmo/Wlz-contactpersoon van de woongemeente geïnformeerd").check()
    task.get_by_role("button", name="Checklist opslaan").click()
    page.wait_for_load_state()
    note = page.get_by_label("Wmo/Wlz-contactpersoon van de woongemeente", exact=True)
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#transition")).to_contain_text("vul in wie u hebt geïnformeerd")
    assert not Transition.objects.exists()
    assert_no_axe_violations(page)

    note.fill("Wmo-loket Gemeente Aan, 14 030")
    page.get_by_role("button", name="Checklist opslaan").click()
    page.wait_for_load_state()
    expect(page.locator(".tandem-messages")).to_contain_text("opgeslagen")
    steps = page.locator("#transition-steps li")
    expect(steps.nth(0)).to_contain_text("afgerond")
    expect(steps.nth(1)).to_contain_text("afgerond")
    expect(steps.nth(2)).to_contain_text("nog te doen")
    assert_no_axe_violations(page)

    task = page.locator("#transition")
    task.get_by_label("Toestemming van de jongvolwassene zelf (vanaf 18) vastgelegd").check()
    task.get_by_label("Overgang voorbereid op").fill(today.isoformat())
    task.get_by_role("button", name="Checklist opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#transition-prepared")).to_contain_text("Voorbereid op")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Overgang 18-/18+ voorbereid")
    expect(timeline).to_contain_text("Overgang 18-/18+: contact gelegd met de volwassenenzorg")
    assert_no_axe_violations(page)
    record = Transition.objects.get(referral=referral)
    assert (
        record.prepared_on == today and record.municipality_contact_note == "Wmo-loket Gemeente Aan, 14 030"
    )

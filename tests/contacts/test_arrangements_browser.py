"""Collective arrangements in Debian's Chromium (ADR 0161): the registry administrator records
one after a bad value, a district worker helps a pupil through it, the timeline shows it; axe on
the list, the detail and the form with its errors."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import CollectiveArrangement
from referrals.models import Status
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def _error_of(page, field):
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby").split()[0]
    return page.locator(f"#{error_id}")


def test_admin_records_an_arrangement_and_a_worker_helps_through_it(page, live_server, bworld):
    w = bworld
    referral = referral_in(w, "in_triage")

    login(page, live_server, w.user("registry_admin").email)
    page.get_by_role("link", name="Netwerk", exact=True).first.click()
    page.get_by_role("link", name="Collectieve arrangementen van uw regio").click()
    expect(page.locator("h1")).to_have_text("Collectieve arrangementen")
    expect(page.locator("main")).to_contain_text("Geen collectief arrangement past bij dit filter.")
    assert_no_axe_violations(page)  # the empty list

    page.get_by_role("link", name="Een collectief arrangement vastleggen").click()
    assert_no_axe_violations(page)  # the empty form
    page.get_by_label(re.compile("^Naam")).fill("Samen in de klas")
    page.get_by_label(w.school.name, exact=False).check()
    page.get_by_label(w.care_provider.name).check()
    percentage = page.get_by_label(re.compile("^Deel dat onderwijs betaalt"))
    capacity = page.get_by_label(re.compile("^Capaciteit"))
    percentage.fill("150")
    capacity.fill("0")
    page.get_by_role("button", name="Opslaan").click()
    assert_title_starts(page, "Fout")
    expect(_error_of(page, percentage)).to_contain_text("Vul een heel percentage van 0 tot en met 100 in.")
    expect(_error_of(page, capacity)).to_contain_text("Vul een aantal leerlingen van minstens 1 in.")
    assert not CollectiveArrangement.objects.exists()
    assert_no_axe_violations(page)  # the form with its errors

    percentage.fill("60")
    capacity.fill("25")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".tandem-messages")).to_contain_text("Het collectieve arrangement is vastgelegd.")
    expect(page.locator("h1")).to_have_text("Samen in de klas")
    expect(page.locator("main")).to_contain_text("Betaald door jeugdhulp (de gemeente)")
    expect(page.locator("main")).to_contain_text("40%")
    arrangement = CollectiveArrangement.objects.get()
    assert (arrangement.education_percentage, arrangement.capacity) == (60, 25)
    assert_no_axe_violations(page)  # the detail

    page.get_by_role("link", name="Alle collectieve arrangementen").click()
    table = page.get_by_role("table", name="Collectieve arrangementen")
    expect(table).to_contain_text("Samen in de klas")
    expect(table).to_contain_text("60% / 40%")
    assert_no_axe_violations(page)  # the list with a row

    page.goto(f"{live_server.url}/netwerk/scholen/{w.school.pk}/")
    section = page.get_by_role("region", name="Lopende collectieve arrangementen")
    expect(section).to_contain_text("Samen in de klas")
    assert_no_axe_violations(page)  # the school's page with its current arrangement
    _logout(page)

    login(page, live_server, w.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_text("Helpen via het collectieve arrangement van de school", exact=True).first.click()
    page.get_by_label("Samen in de klas").check()
    page.get_by_role("button", name="Helpen via het collectieve arrangement van de school").click()
    page.wait_for_load_state()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Geaccepteerd: geholpen via het collectieve arrangement van de school")
    expect(page.locator("main")).to_contain_text("Geholpen via het collectieve arrangement van de school")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.collective_arrangement == arrangement
    assert_no_axe_violations(page)  # the referral with the arrangement on its timeline

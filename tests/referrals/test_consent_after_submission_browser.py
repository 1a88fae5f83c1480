"""Browser journey: after submission the IB-er reads the consent ledger, opens the deliberate
"record a withdrawal" disclosure and records one; axe-core on each state."""

import pytest
from playwright.sync_api import expect

from referrals import services
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import complete_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ib_er_records_a_withdrawal_as_a_deliberate_step(page, live_server):
    world = build_world()
    sc = world.user("school_coordinator")
    referral = services.submit(sc, complete_referral(world.school, sc))
    consent = referral.consents.get()
    login(page, live_server, sc.email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    ledger = page.locator("#consent-ledger")
    expect(ledger).to_contain_text(consent.guardian.name)
    withdraw = page.get_by_role("button", name="Vastleggen dat", exact=False)
    expect(withdraw).to_be_hidden()  # behind the disclosure
    assert_no_axe_violations(page)
    page.locator("#consent-withdraw summary").click()
    expect(withdraw).to_be_visible()
    assert_no_axe_violations(page)
    withdraw.click()
    page.wait_for_load_state()
    expect(page.locator(".tandem-messages")).to_contain_text("intrekking")
    expect(page.locator("#consent-ledger tbody tr").first.locator("td").last).not_to_have_text("—")
    assert_no_axe_violations(page)

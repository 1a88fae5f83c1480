"""Browser journeys of the flow's edges, with axe on every page and state: the informed
contact's summary (ADR 0095), a school withdrawing a referral and a referral that lapsed
(ADR 0096)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals import lapse, services
from referrals.models import ReferralEvent, Status
from tests.contacts.factories import ContactAssignmentFactory
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def test_the_informed_contact_opens_the_summary_from_the_notification(page, live_server, bworld):
    w = bworld
    contact = w.user("other_municipal_officer")
    ContactAssignmentFactory(person=contact.person, municipality=w.other_municipality)
    draft = referral_in(w, "draft", home_municipality=w.other_municipality)
    referral = services.submit(w.user("school_coordinator"), draft)
    login(page, live_server, contact.email)
    page.goto(f"{live_server.url}/aanmeldingen/meldingen/")
    page.get_by_role("button", name="Open", exact=False).first.click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("heading", level=1).inner_text() == f"Aanmelding {referral.reference}: samenvatting"
    )
    expect(page.get_by_text(w.district_team.name).first).to_be_visible()
    expect(page.get_by_text(referral.child_last_name)).to_have_count(0)
    assert_no_axe_violations(page)


def test_the_school_withdraws_a_referral_and_must_give_a_reason(page, live_server, bworld):
    w = bworld
    referral = referral_in(w, "returned")
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_text("Aanmelding intrekken", exact=True).first.click()  # open the <details>
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Aanmelding intrekken").click()  # empty reason
    page.wait_for_load_state()
    expect(page.locator("#id_withdraw-reason_error")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == Status.RETURNED
    assert_no_axe_violations(page)  # the form with its error
    page.get_by_label(re.compile("^Waarom de school de aanmelding intrekt")).fill("Ouders vonden zelf hulp.")
    page.get_by_role("button", name="Aanmelding intrekken").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN
    expect(page.get_by_text("Gedaan: Aanmelding intrekken.")).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Ouders vonden zelf hulp.")).to_be_visible()
    expect(page.get_by_text("Aanmelding intrekken", exact=True)).to_have_count(0)  # final: no more actions
    assert_no_axe_violations(page)


def test_a_lapsed_referral_tells_the_school_and_shows_on_the_timeline(page, live_server, bworld, settings):
    w = bworld
    referral = referral_in(w, "returned")
    ReferralEvent.objects.filter(referral=referral, action="return").update(
        at=timezone.now() - datetime.timedelta(days=23)
    )
    assert lapse.lapse_stale_referrals().reminded == 1
    ReferralEvent.objects.filter(referral=referral).update(at=timezone.now() - datetime.timedelta(days=40))
    assert lapse.lapse_stale_referrals().lapsed == 1
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/meldingen/")
    expect(page.get_by_text("Een aanmelding is vervallen").first).to_be_visible()
    expect(page.get_by_text("Een aanmelding vervalt binnenkort").first).to_be_visible()
    assert_no_axe_violations(page)
    # The lapse's own notice (the cooperation check after the lapse is newer, ADR 0151).
    page.locator("li", has_text="Een aanmelding is vervallen").get_by_role(
        "button", name="Open", exact=False
    ).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("definition").get_by_text("vervallen").first).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Herinnering: de aanmelding vervalt binnenkort")).to_be_visible()
    expect(
        timeline.get_by_text("De school beantwoordde de vraag 20 werkdagen niet", exact=False)
    ).to_be_visible()
    assert_no_axe_violations(page)

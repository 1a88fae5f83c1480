"""Browser journeys of the flow's edges, with axe on every page and state: the informed
contact's summary (ADR 0095), a school withdrawing a referral and a referral that lapsed
(ADR 0096)."""

import pytest

from referrals import services
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
    assert page.get_by_text(w.district_team.name).first.is_visible()
    assert page.get_by_text(referral.child_last_name).count() == 0
    assert_no_axe_violations(page)

"""Browser journey of a request about a group (ADR 0154): the IB-er asks it without any
child data, the district worker finds it in the inbox and accepts it; axe on every state."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Referral, Status, SubjectKind
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def test_ib_submits_a_group_request_without_child_data_and_the_worker_accepts(page, live_server, bworld):
    w = bworld
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/nieuw/")
    page.get_by_label("een groep", exact=True).check()
    # Only the group's fields show; the pupil's are hidden (and not kept by the server).
    expect(page.get_by_label(re.compile("^Voornaam"))).to_be_hidden()
    expect(page.get_by_label(re.compile("^Geboortedatum"))).to_be_hidden()
    expect(page.get_by_label(re.compile("^Naam van de groep"))).to_be_visible()
    page.get_by_label(re.compile("^Naam van de groep")).fill("groep 6b")
    page.get_by_label(re.compile("^Aantal leerlingen")).fill("0")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#id_group_size_error")).to_be_visible()
    expect(page.get_by_label(re.compile("^Voornaam"))).to_be_hidden()
    assert not Referral.objects.exists()
    assert_no_axe_violations(page)  # group mode with its error

    page.get_by_label(re.compile("^Aantal leerlingen")).fill("28")
    page.get_by_label("gedrag").check()
    page.get_by_label(re.compile("^De hulpvraag")).fill("De groep is onrustig na de pauze.")
    page.get_by_label(re.compile("^Wat school al heeft gedaan")).fill("Klassenafspraken")
    page.get_by_label(re.compile("^Doelen")).fill("Rust in de groep")
    page.get_by_label("groep", exact=True).check()
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#no-consent-needed")).to_be_visible()
    assert_no_axe_violations(page)  # saved group draft, no parents or consent asked
    page.get_by_role("link", name="Controleer uw antwoorden en dien in").click()
    page.get_by_role("button", name="Aanmelding indienen").click()
    page.wait_for_load_state()
    referral = Referral.objects.get()
    assert referral.status == Status.SUBMITTED and referral.subject_kind == SubjectKind.GROUP
    assert (referral.child_first_name, referral.child_date_of_birth, referral.home_municipality_id) == (
        "",
        None,
        None,
    )
    assert not referral.guardians.exists() and not referral.consents.exists()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    login(page, live_server, w.user("district_worker").email)
    page.get_by_role("link", name="Triage-inbox").first.click()
    row = page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Groep: groep 6b (ca. 28 leerlingen)")
    assert_no_axe_violations(page)  # inbox
    page.get_by_role("link", name=referral.reference).click()
    expect(page.locator("#subject-label")).to_have_text("Groep: groep 6b (ca. 28 leerlingen)")
    page.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state()
    page.get_by_text("Accepteren", exact=True).first.click()  # open the <details>
    page.locator("#id_accept-planned_help_form_1").check()
    page.locator("#id_accept-expected_start").fill("2099-01-01")
    page.get_by_role("button", name="Accepteren").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert_no_axe_violations(page)  # detail and timeline of the accepted group request

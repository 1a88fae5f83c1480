"""Browser journeys for the single referral, with axe on every page and state."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Referral, Status
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_ib_fills_in_with_errors_then_submits_and_worker_accepts(page, live_server, bworld):
    w = bworld
    login(page, live_server, w.user("school_coordinator").email)
    page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    page.get_by_role("link", name="Nieuwe aanmelding").first.click()
    assert_no_axe_violations(page)  # empty form

    page.get_by_label("Voornaam").fill("Sem")
    page.get_by_label("Achternaam").fill("Browsertest")
    page.get_by_label("Geboortedatum").fill("2999-01-01")
    page.get_by_label("hoog").check()
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    # The message is in the summary at the top and repeated at the field.
    assert (
        page.locator("#id_child_date_of_birth_error")
        .get_by_text("De geboortedatum kan niet in de toekomst liggen.")
        .is_visible()
    )
    assert (
        page.locator("#referral-errors")
        .get_by_text("De geboortedatum kan niet in de toekomst liggen.")
        .is_visible()
    )
    expect(page.get_by_text("Geef de reden voor de hoge urgentie.").first).to_be_visible()
    assert not Referral.objects.exists()
    assert_no_axe_violations(page)  # with errors

    page.get_by_label("Geboortedatum").fill("2016-03-01")
    page.get_by_label("normaal").check()
    page.get_by_label(re.compile("^Groep of klas")).fill("groep 6")
    page.get_by_label(re.compile("^Woongemeente")).select_option(label=w.municipality.name)
    page.get_by_label("gedrag").check()
    page.get_by_label(re.compile("^De hulpvraag")).fill("Sem loopt vast in de klas.")
    page.get_by_label(re.compile("^Wat school al heeft gedaan")).fill("Basisondersteuning")
    page.get_by_label(re.compile("^Doelen")).fill("Weer meedoen")
    page.get_by_label("individueel").check()
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Leeftijd:")).to_be_visible()
    assert_no_axe_violations(page)  # filled, draft saved

    # One page (ADR 0163): a half-filled parent row is an error at its field; nothing saved.
    page.locator("#id_guardians-0-phone").fill("0612345678")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#id_guardians-0-name_error")).to_be_visible()
    assert_no_axe_violations(page)  # a sub-form row with errors
    page.locator("#id_guardians-0-name").fill("Moeder Browsertest")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()

    # Submitting without consent says exactly what is missing: first on the check page.
    page.get_by_role("link", name="Controleer uw antwoorden en dien in").click()
    expect(page.locator("#missing-answers").get_by_text("Toestemming van").first).to_be_visible()
    assert_no_axe_violations(page)  # check your answers, with what is missing
    page.get_by_role("button", name="Aanmelding indienen").click()
    page.wait_for_load_state()
    expect(page.locator("#referral-errors").get_by_text("Toestemming van").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("ouder of verzorger met gezag").check()
    page.get_by_role("button", name="Concept opslaan").click()  # a consent row with errors
    page.wait_for_load_state()
    expect(page.locator("#id_consents-0-given_on_error")).to_be_visible()
    assert_no_axe_violations(page)  # consent form with errors
    page.locator("#id_consents-0-guardian").select_option(label="Moeder Browsertest")
    page.locator("#id_consents-0-given_on").fill("2026-01-05")
    page.get_by_label("schriftelijk").check()
    page.locator("#id_consents-0-recipients").fill("wijkteam")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Controleer uw antwoorden en dien in").click()
    page.get_by_role("button", name="Aanmelding indienen").click()
    page.wait_for_load_state()
    referral = Referral.objects.get()
    assert referral.status == Status.SUBMITTED
    expect(page.get_by_text(f"De aanmelding is ingediend als {referral.reference}")).to_be_visible()
    expect(page.get_by_text("omdat dit team de tandem vormt")).to_be_visible()
    assert_no_axe_violations(page)  # detail + timeline
    _logout(page)

    login(page, live_server, w.user("district_worker").email)
    page.get_by_role("link", name="Triage-inbox").first.click()
    expect(page.get_by_role("link", name=referral.reference)).to_be_visible()
    assert_no_axe_violations(page)  # inbox
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state()
    page.get_by_text("Accepteren", exact=True).first.click()  # open the <details>
    page.locator("#id_accept-planned_help_form_0").check()
    page.locator("#id_accept-expected_start").fill("2099-01-01")
    page.get_by_role("button", name="Accepteren").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert_no_axe_violations(page)
    _logout(page)

    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Geaccepteerd", exact=False).first).to_be_visible()
    assert_no_axe_violations(page)


def test_return_answer_resubmit_and_decline(page, live_server, bworld):
    w = bworld
    referral = referral_in(w, "in_triage")
    login(page, live_server, w.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_text("Terugsturen met een vraag", exact=True).first.click()
    page.get_by_role("button", name="Terugsturen met een vraag").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    assert_no_axe_violations(page)  # action form with errors
    page.get_by_label(re.compile("^Uw vraag aan de school")).fill("Kunt u het groepsplan toevoegen?")
    page.get_by_role("button", name="Terugsturen met een vraag").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.RETURNED
    _logout(page)

    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    expect(page.locator("#timeline").get_by_text("Kunt u het groepsplan toevoegen?")).to_be_visible()
    page.get_by_label(re.compile("^Uw antwoord")).fill("Toegevoegd als bijlage.")
    page.get_by_role("button", name="Beantwoorden en opnieuw indienen").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED
    assert_no_axe_violations(page)
    _logout(page)

    login(page, live_server, w.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state()
    page.get_by_text("Afwijzen", exact=True).first.click()
    page.get_by_label("voor het voorliggend veld").check()
    page.get_by_label(re.compile("^Uitleg aan de school")).fill("Past bij het jongerenwerk.")
    page.get_by_role("button", name="Afwijzen").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED and referral.decline_reason == "voorliggend_veld"
    assert_no_axe_violations(page)


def test_second_schools_coordinator_gets_404(page, live_server, bworld):
    referral = referral_in(bworld, "submitted")
    login(page, live_server, bworld.user("other_school_coordinator").email)
    response = page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/bewerken/")
    assert response.status == 404


def test_notifications_page_is_accessible(page, live_server, bworld):
    referral = referral_in(bworld, "draft")
    from referrals import services

    services.submit(bworld.user("school_coordinator"), referral)
    login(page, live_server, bworld.user("district_worker").email)
    badge = page.locator("[data-unread-badge] .utrecht-badge-counter")  # swapped in by htmx
    badge.wait_for()
    assert badge.inner_text() == "1"
    expect(page.get_by_role("link", name="Meldingen (1 ongelezen melding)")).to_be_visible()
    assert page.locator("#busy-indicator").is_hidden()  # a background poll is no busy state
    page.get_by_role("link", name=re.compile("^Meldingen")).click()
    referral.refresh_from_db()
    # The notice says which case (its reference number) and what happened, never the child.
    notice = page.locator(".tandem-notification").first
    subject = f"{referral.reference} · Er is een aanmelding bij uw team ingediend"
    assert notice.locator("strong").inner_text() == subject
    expect(page.get_by_text(f"{referral.reference}: Er wacht een aanmelding op u").first).to_be_visible()
    assert referral.child_last_name not in notice.inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)


def test_paged_inbox_and_school_list_are_accessible(page, live_server, bworld):
    """More than one page: the pager links work and axe finds nothing on either page."""
    from referrals.views import PAGE_SIZE

    for _ in range(PAGE_SIZE + 1):
        referral_in(bworld, "submitted")
    for role, path in (("district_worker", "/aanmeldingen/inbox/"), ("school_coordinator", "/aanmeldingen/")):
        login(page, live_server, bworld.user(role).email)
        page.goto(f"{live_server.url}{path}")
        assert page.locator("tbody tr").count() == PAGE_SIZE
        assert_no_axe_violations(page)
        page.get_by_role("link", name="Volgende pagina").click()
        page.wait_for_load_state()
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.get_by_role("link", name="Vorige pagina")).to_be_visible()
        assert_no_axe_violations(page)
        _logout(page)


def test_inbox_tabs_separate_new_work_from_running_cases(page, live_server, bworld):
    """The default tab is what needs the team's decision; the running cases have their own tab
    (ADR 0117). axe finds nothing on either tab, nor on an empty one."""
    new = referral_in(bworld, "submitted")
    accepted = referral_in(bworld, "accepted")
    login(page, live_server, bworld.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/inbox/")
    tabs = page.get_by_role("navigation", name="Weergaven van de inbox")
    assert tabs.get_by_role("link", name="Te beslissen").get_attribute("aria-current") == "page"
    assert tabs.get_by_role("link", name="Te beslissen").inner_text() == "Te beslissen (1)"
    table = page.locator("tbody")
    assert new.reference in table.inner_text() and accepted.reference not in table.inner_text()
    assert_no_axe_violations(page)
    tabs.get_by_role("link", name="Geaccepteerd en lopend").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tabs = page.get_by_role("navigation", name="Weergaven van de inbox")
    assert tabs.get_by_role("link", name="Geaccepteerd en lopend").get_attribute("aria-current") == "page"
    assert accepted.reference in table.inner_text() and new.reference not in table.inner_text()
    assert_no_axe_violations(page)
    # Filtering keeps the tab; a tab with nothing in it says so and passes axe too.
    page.get_by_label("Urgentie").select_option("high")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "view=running" in page.url
    assert accepted.reference not in page.content()
    assert_no_axe_violations(page)

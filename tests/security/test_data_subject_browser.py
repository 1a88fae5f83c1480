"""Browser journey: the privacy officer handles a data-subject request from registration to
answer (ADR 0106): the form and its error state, the request page, an extension refused and
made, the answer; axe on every state."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from security.models import DataSubjectRequest, RequestStatus
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_handles_a_request_from_registration_to_answer(world, page, live_server):
    referral = referral_in(world, "closed")
    login(page, live_server, world.user("privacy_officer").email)

    # The home page names the entry point; the list is empty.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Verzoeken van betrokkenen").first.click()
    page.get_by_role("heading", name="Verzoeken van betrokkenen").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nieuw verzoek registreren").click()
    page.get_by_role("heading", name="Verzoek van een betrokkene registreren").wait_for()
    assert_no_axe_violations(page)

    # Error state: an unknown reference and a date in the future.
    page.get_by_label("wissen (art. 17)").check()
    page.get_by_label("Wie deed het verzoek").fill("J. de Ouder")
    page.get_by_label("Ontvangen op").fill("2999-01-01")
    page.get_by_label("Kenmerk van de aanmelding").fill("AJS-2099-99999")
    page.get_by_role("button", name="Verzoek registreren").click()
    assert_title_starts(page, "Fout")
    expect(page.get_by_text("Geen aanmelding in uw regio heeft dit kenmerk").last).to_be_visible()
    assert page.get_by_label("Kenmerk van de aanmelding").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)
    assert DataSubjectRequest.objects.count() == 0

    received = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Ontvangen op").fill(received.isoformat())
    page.get_by_label("Kenmerk van de aanmelding").fill(referral.reference)
    page.get_by_role("button", name="Verzoek registreren").click()
    page.get_by_text("Het verzoek is geregistreerd.").wait_for()
    assert_no_axe_violations(page)

    # An extension without a reason is refused next to the field; then made.
    page.get_by_label("Nieuwe termijn").fill((received + datetime.timedelta(days=50)).isoformat())
    page.get_by_role("button", name="Verlengen").click()
    page.get_by_text("Geef de reden voor de verlenging").last.wait_for()
    assert page.get_by_label("Reden voor de verlenging").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)
    page.get_by_label("Reden voor de verlenging").fill("Ingewikkeld verzoek; de school wordt gehoord.")
    page.get_by_role("button", name="Verlengen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()

    # Erasure of the closed referral, then the answer.
    page.get_by_role("button", name="Persoonsgegevens nu wissen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()
    expect(page.get_by_text("persoonsgegevens gewist")).not_to_have_count(0)
    page.get_by_label("toegewezen", exact=True).check()
    page.get_by_label("Samenvatting van het antwoord").fill("Brief verstuurd: gegevens gewist.")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()
    assert_no_axe_violations(page)
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.ANSWERED
    referral.refresh_from_db()
    assert referral.anonymised_at is not None

    page.get_by_role("link", name="Terug naar de verzoeken").click()
    page.get_by_role("heading", name="Beantwoorde verzoeken").wait_for()
    assert_no_axe_violations(page)

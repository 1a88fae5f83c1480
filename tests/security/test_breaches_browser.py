"""Browser journey: the privacy officer records a suspected breach, scopes it from the access
log, decides and records the notification (ADR 0108); axe on every state, errors included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.audit import log_access
from portal.models import AccessLog
from security.models import Breach
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_handles_a_breach_from_record_to_notification(world, page, live_server):
    referral = referral_in(world, "submitted")
    worker = world.user("district_worker")
    log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation="Wijkteam Aan")
    login(page, live_server, world.user("privacy_officer").email)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Register datalekken").first.click()
    page.get_by_role("heading", name="Register datalekken").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Vermoedelijk datalek vastleggen").click()
    page.get_by_role("heading", name="Vermoedelijk datalek vastleggen").wait_for()

    # Error state: an unknown reference number.
    found = timezone.localtime() - datetime.timedelta(hours=3)
    page.get_by_label("Wat er gebeurde, in het kort").fill("Export naar verkeerd adres")
    page.get_by_label("Omschrijving").fill("Een export is naar een verkeerd adres gestuurd.")
    page.get_by_label("Ontdekt op").fill(found.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Betrokken aanmeldingen").fill("AJS-2099-99999")
    page.get_by_role("button", name="Lek vastleggen").click()
    assert_title_starts(page, "Fout")
    unknown = "Geen aanmelding in uw regio heeft dit kenmerk: AJS-2099-99999."
    expect(page.get_by_text(unknown).last).to_be_visible()  # at the field; the summary repeats it
    assert_no_axe_violations(page)
    assert Breach.objects.count() == 0

    page.get_by_label("Betrokken aanmeldingen").fill(referral.reference)
    page.get_by_role("button", name="Lek vastleggen").click()
    page.get_by_text("Het lek is vastgelegd.").wait_for()
    assert (
        page.get_by_text("nog 68 uur", exact=False).count()
        + page.get_by_text("nog 69 uur", exact=False).count()
        >= 1
    )
    assert_no_axe_violations(page)

    # Scoping: who read the child.
    page.get_by_role("button", name="Toon wie inzag").click()
    page.get_by_role("cell", name=worker.email).wait_for()
    assert_no_axe_violations(page)
    # Error state of the address look-up.
    page.get_by_label("IP-adres").fill("geen adres")
    page.get_by_role("button", name="Toon de accounts").click()
    page.get_by_text("Vul een geldig IP-adres in").last.wait_for()
    assert_no_axe_violations(page)

    # The decision: a reason missing, then complete.
    page.goto(page.url.split("?")[0])
    page.get_by_role("group", name="Melden bij de Autoriteit Persoonsgegevens?").get_by_label("ja").check()
    page.get_by_role("group", name="De betrokken kinderen en ouders informeren?").get_by_label("nee").check()
    page.get_by_label("Reden (Autoriteit Persoonsgegevens)").fill("Kindgegevens bij een onbekende.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("waarom de kinderen en ouders wel of niet").first.wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("Reden (betrokkenen)").fill("De ontvanger heeft de export aantoonbaar verwijderd.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()

    # The notification record.
    page.get_by_label("Gemeld bij de Autoriteit Persoonsgegevens op").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Meldingsnummer van de Autoriteit Persoonsgegevens").fill("AP-2026-123")
    page.get_by_role("button", name="Melding vastleggen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()
    assert_no_axe_violations(page)
    breach = Breach.objects.get()
    assert breach.closed and breach.authority_case_number == "AP-2026-123"
    page.get_by_role("link", name="Terug naar het register datalekken").click()
    page.get_by_role("heading", name="Afgehandelde datalekken").wait_for()
    assert_no_axe_violations(page)

"""Browser journey (ADR 0135, 0136): the registry administrator invites someone; the link in
the e-mail lets them choose a password; they must set up two-step verification before anything
else and then land on their home page. axe-core on every page and state, errors included."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(http://[^/\s]+)?(/uitnodiging/[A-Za-z0-9_-]+/)")
PASSWORD = "Lange-zin-met-7-woorden!"


def _code(secret):
    secret = secret.replace(" ", "")
    generator = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), step=30, t0=0, digits=6)
    generator.time = time.time()
    return f"{generator.token():06d}"


def test_invited_person_sets_a_password_enrols_two_step_verification_and_reaches_home(
    page, live_server, world, settings, mailoutbox
):
    # The administrator's side (two-step verification is switched on for the invitee below).
    login(page, live_server, "registry_admin@example.test")
    page.get_by_role("link", name="Iemand uitnodigen").click()
    assert page.locator("h1").inner_text() == "Iemand uitnodigen"
    assert_no_axe_violations(page)

    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_label("Naam").fill("Nina Nieuw")
    page.get_by_label("Organisatie").select_option(f"school:{world.school.pk}")
    page.get_by_label("Rol").select_option("district_worker")  # a school cannot hold it
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert_title_starts(page, "Fout")
    errors = page.locator(".utrecht-form-field-error-message").all_inner_texts()
    assert any("geldig e-mailadres" in e for e in errors), errors
    assert_no_axe_violations(page)
    page.get_by_label("E-mailadres").fill("nina@example.test")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert_title_starts(page, "Fout")
    assert "hoort bij een wijkteam" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Rol").select_option("school_coordinator")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    assert "nina@example.test is uitgenodigd" in page.locator(".tandem-messages").inner_text()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nina@example.test"]
    first = LINK.search(mailoutbox[0].body).group(2)
    assert "nina@example.test" in page.locator("#open-invitations + div table").inner_text()
    assert_no_axe_violations(page)

    # Sent again: a new link, the first one no longer works.
    page.get_by_role("button", name="Opnieuw versturen naar nina@example.test").click()
    page.wait_for_load_state()
    assert "opnieuw verstuurd" in page.locator(".tandem-messages").inner_text()
    assert len(mailoutbox) == 2
    path = LINK.search(mailoutbox[1].body).group(2)
    assert path != first
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/")

    # The replaced link and a forged one: a clear page, no form.
    for dead in (first, f"/uitnodiging/{'x' * 55}/"):
        page.goto(f"{live_server.url}{dead}")
        assert page.locator("h1").inner_text() == "Deze uitnodigingslink werkt niet"
        assert "niet (meer) geldig" in page.locator("#invitation-reason").inner_text()
        expect(page.locator("form.tandem-form")).to_have_count(0)
        assert_no_axe_violations(page)

    # The invited person's side: the link from the e-mail.
    settings.TANDEM_REQUIRE_2FA = True
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").inner_text() == "Uitnodiging aannemen"
    assert "Basisschool Aan" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD + "x")
    page.get_by_role("button", name="Wachtwoord instellen").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord instellen").click()

    # Two-step verification first, whatever page is asked for.
    page.wait_for_url(re.compile(r".*/account/tweestapsverificatie/instellen/.*"))
    page.goto(f"{live_server.url}/")
    assert "/account/tweestapsverificatie/instellen/" in page.url
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code uit de app").fill(_code(secret))
    page.get_by_role("button", name="Aanzetten").click()
    assert page.locator("h1").inner_text() == "Herstelcodes"
    page.get_by_role("link", name="Verder").click()
    assert page.locator("h1").inner_text().startswith("Welkom")
    assert page.locator("h1").inner_text() == "Welkom, Nina"
    # ... and from there the school's referrals, the IB-er's inbox.
    page.goto(f"{live_server.url}{reverse('referrals:list')}")
    assert page.url.endswith(reverse("referrals:list"))
    assert_no_axe_violations(page)

    # The link works once.
    page.goto(f"{live_server.url}{path}")
    assert "al aangenomen" in page.locator("#invitation-reason").inner_text()
    assert_no_axe_violations(page)

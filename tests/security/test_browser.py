"""Browser journeys for two-step verification, lockout, the session warning and the public
pages, in Debian's Chromium under the strict CSP, with axe-core on every page and state."""

import base64
import datetime as dt
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from contacts.models import Role
from tests.contacts import factories as f
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_errors(page):
    """Console messages about CSP violations; the test asserts there are none."""
    errors = []

    def record(msg):
        if "Content Security Policy" not in msg.text:
            return
        # axe-core (the test's own tool, run through page.evaluate, so from no file) inserts a
        # <style> element on some pages; the page's own styles and scripts report their URL.
        if msg.text.startswith("Applying inline style") and not msg.location.get("url"):
            return
        errors.append(msg.text)

    page.on("console", record)
    return errors


def code_from_secret(secret, steps_ahead=0):
    import time

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    generator = TOTP(key, step=30, t0=0, digits=6)
    generator.time = time.time() + steps_ahead * 30
    return f"{generator.token():06d}"


def wrong_code(right):
    return "000000" if right != "000000" else "111111"


def test_new_ib_er_enrols_logs_in_with_a_code_and_is_locked_after_five_wrong_codes(
    page, live_server, require_2fa, csp_errors
):
    f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email="nieuwe-ib@example.test")

    # First login: straight to enrolment, whatever page was asked for.
    login(page, live_server, "nieuwe-ib@example.test")
    assert "/account/tweestapsverificatie/instellen/" in page.url
    assert page.locator("h1").inner_text() == "Tweestapsverificatie instellen"
    page.goto(f"{live_server.url}/")
    assert "/account/tweestapsverificatie/instellen/" in page.url
    code_field = page.get_by_label("Code uit de app")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_no_axe_violations(page)

    secret = page.locator("#totp-secret").inner_text()
    code_field.fill(wrong_code(code_from_secret(secret)))
    page.get_by_role("button", name="Aanzetten").click()
    assert "niet juist" in page.locator(".utrecht-form-field-error-message").inner_text()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)

    page.get_by_label("Code uit de app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Aanzetten").click()
    assert page.locator("h1").inner_text() == "Herstelcodes"
    expect(page.locator(".tandem-recovery-codes li")).to_have_count(10)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Verder").click()
    assert page.locator("h1").inner_text().startswith("Welkom")
    page.get_by_role("link", name="Tweestapsverificatie").click()
    assert "Tweestapsverificatie staat aan" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/")

    # Second login: password, then a code (the next time step: a code is accepted only once).
    login(page, live_server, "nieuwe-ib@example.test")
    assert "/account/tweestapsverificatie/controleren/" in page.url
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill(code_from_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Controleren").click()
    assert page.locator("h1").inner_text().startswith("Welkom")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/")

    # Third login: five wrong codes lock the account.
    login(page, live_server, "nieuwe-ib@example.test")
    wrong = wrong_code(code_from_secret(secret, steps_ahead=1))
    for attempt in range(1, 5):
        page.get_by_label("Code").fill(wrong)
        page.get_by_role("button", name="Controleren").click()
        assert "niet juist" in page.locator(".utrecht-form-field-error-message").inner_text(), attempt
        if attempt == 1:
            assert_no_axe_violations(page)
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Controleren").click()
    message = page.locator("#lockout-message").inner_text()
    assert "Uw account is tijdelijk geblokkeerd" in message
    assert "15 minuten" in message
    assert page.locator("h1").inner_text() == "Inloggen bij Tandem"
    assert_no_axe_violations(page)

    # Locked: the right password does not get in either.
    login(page, live_server, "nieuwe-ib@example.test")
    assert "Uw account is tijdelijk geblokkeerd" in page.locator("#lockout-message").inner_text()
    assert "/account/tweestapsverificatie/" not in page.url
    assert not csp_errors, csp_errors


def test_session_warning_lets_the_user_stay_logged_in_then_expires(page, live_server, settings, csp_errors):
    settings.SESSION_IDLE_TIMEOUT = dt.timedelta(seconds=10)
    settings.SESSION_COOKIE_AGE = 10
    settings.TANDEM_SESSION_TOUCH_SECONDS = 0  # every request saves, as the 10 s need
    settings.TANDEM_SESSION_WARNING_SECONDS = 7
    f.make_member(Role.STEERING_MEMBER, f.RegionFactory(), email="bg@example.test")
    login(page, live_server, "bg@example.test")
    dialog = page.locator("#session-timeout-dialog")
    dialog.wait_for(state="visible", timeout=8_000)
    assert "Uw sessie verloopt bijna" in dialog.inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ingelogd blijven").click()
    dialog.wait_for(state="hidden")
    # Left alone, the page goes to the login page once the session has ended.
    page.wait_for_url(re.compile(r".*/account/inloggen/\?next=(%2F|/)$"), timeout=25_000)
    page.goto(f"{live_server.url}/")
    assert "/account/inloggen/" in page.url
    assert not csp_errors, csp_errors


def test_public_statements_are_linked_from_every_footer_and_accessible(page, live_server, csp_errors):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Privacyverklaring").click()
    assert page.locator("h1").inner_text() == "Privacyverklaring"
    assert page.title() == "Privacyverklaring · Tandem"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Toegankelijkheidsverklaring").click()
    assert page.locator("h1").inner_text() == "Toegankelijkheidsverklaring"
    assert_no_axe_violations(page)
    assert not csp_errors, csp_errors


def test_htmx_works_under_the_csp(page, live_server, csp_errors):
    f.make_member(Role.STEERING_MEMBER, f.RegionFactory(), email="bg@example.test")
    login(page, live_server, "bg@example.test")
    assert page.evaluate("typeof htmx") == "object"
    # An htmx request swaps server HTML into the page without eval or inline styles.
    # The navigation's unread badge makes its own request on load: wait for this one.
    status = page.evaluate(
        """() => new Promise(resolve => {
            document.body.addEventListener('htmx:afterRequest', e => {
                if (e.detail.requestConfig.path === '/privacyverklaring/') resolve(e.detail.xhr.status);
            });
            htmx.ajax('GET', '/privacyverklaring/', {target: 'main', select: 'main h1', swap: 'innerHTML'});
        })"""
    )
    assert status == 200
    assert page.locator("main h1").inner_text() == "Privacyverklaring"
    assert not csp_errors, csp_errors


def test_an_inline_script_would_be_refused(page, live_server, csp_errors):
    """The policy is really enforced by the browser, not only sent."""
    page.goto(f"{live_server.url}/account/inloggen/")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.injected") is None
    assert csp_errors


def test_without_the_requirement_anyone_may_enrol_and_turn_it_off(page, live_server, settings, csp_errors):
    """TANDEM_REQUIRE_2FA=false (the demo of `make run`): nobody is forced, anyone may enrol."""
    assert settings.TANDEM_REQUIRE_2FA is False
    f.make_member(Role.STEERING_MEMBER, f.RegionFactory(), email="bg@example.test")
    login(page, live_server, "bg@example.test")
    assert page.locator("h1").inner_text().startswith("Welkom")  # not forced to enrol
    page.get_by_role("link", name="Tweestapsverificatie").click()
    assert "Tweestapsverificatie staat uit" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code uit de app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Aanzetten").click()
    page.get_by_role("button", name="Nieuwe herstelcodes maken").click()
    assert "nieuwe herstelcodes" in page.locator(".tandem-messages").inner_text().lower()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Verder").click()
    page.get_by_role("link", name="Tweestapsverificatie").click()
    assert "10 ongebruikte herstelcodes" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Tweestapsverificatie uitzetten").click()
    assert "Tweestapsverificatie staat uit" in page.locator(".tandem-messages").inner_text()
    assert_no_axe_violations(page)
    assert not csp_errors, csp_errors


def test_login_with_code_helper_for_other_apps(page, live_server, require_2fa):
    from tests.helpers.otp import login_with_code, make_totp_device

    user = f.make_member(Role.DISTRICT_WORKER, f.DistrictTeamFactory(), email="wt@example.test")
    device = make_totp_device(user)
    for _ in range(2):  # twice in a row: the second login needs the next time step's code
        login_with_code(page, live_server, "wt@example.test", device)
        assert page.locator("h1").inner_text().startswith("Welkom")
        page.get_by_role("button", name="Uitloggen").click()
        page.wait_for_url(f"{live_server.url}/account/inloggen/")

"""Browser journeys for the foundation, in Debian's Chromium, with axe-core on every page."""

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from contacts.demo import demo_accounts
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-browser-test-2026"


def test_login_page_and_its_error_state_are_accessible(page, live_server):
    page.goto(f"{live_server.url}/account/inloggen/")
    assert page.title() == "Inloggen · Tandem"
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".utrecht-form-field-error-message")).not_to_have_count(0)
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.get_by_label("E-mailadres").fill("niemand@example.test")
    page.get_by_label("Wachtwoord").fill("verkeerd wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert "komen niet overeen" in page.locator("[role=alert]").inner_text()
    assert_no_axe_violations(page)


def test_password_reset_pages_are_accessible(page, live_server):
    page.goto(f"{live_server.url}/account/wachtwoord/vergeten/")
    assert_no_axe_violations(page)
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Link versturen").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(1)
    assert_no_axe_violations(page)
    page.get_by_label("E-mailadres").fill("iemand@example.test")
    page.get_by_role("button", name="Link versturen").click()
    assert page.locator("h1").inner_text() == "Controleer uw e-mail"
    assert_no_axe_violations(page)


def test_every_demo_role_logs_in_and_sees_its_home_page(page, live_server):
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=open("/dev/null", "w"))
    for email, _name, role in demo_accounts():
        login(page, live_server, email, DEMO_PASSWORD)
        assert page.url == f"{live_server.url}/", f"{email} did not reach the home page"
        assert page.locator("h1").inner_text().startswith("Welkom")
        with translation.override("nl"):
            role_label = str(role.label)
        assert role_label.lower() in page.locator("main h2").all_inner_texts()[0].lower()
        assert_no_axe_violations(page)
        page.get_by_role("button", name="Uitloggen").click()
        page.wait_for_url(f"{live_server.url}/account/inloggen/")


def test_usable_at_320_px_without_horizontal_scrolling(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/account/inloggen/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_main(page, live_server):
    page.goto(f"{live_server.url}/account/wachtwoord/vergeten/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Naar de hoofdinhoud" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_500_page_is_accessible_and_quotes_the_request_id(page, live_server, monkeypatch):
    from django.contrib.auth.views import PasswordResetView

    def broken(self, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(PasswordResetView, "get_context_data", broken)
    response = page.goto(f"{live_server.url}/account/wachtwoord/vergeten/")
    assert response.status == 500
    assert page.title() == "Er ging iets mis · Tandem"
    assert response.headers["x-request-id"] in page.locator("code").first.inner_text()
    assert "op de hoogte" not in page.content()  # no error reporting configured: no such claim
    assert_no_axe_violations(page)

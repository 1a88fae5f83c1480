import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def world(db):
    from tests.helpers.world import build_world

    return build_world()


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium).")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test; requests outside the live server are blocked and
    recorded so a test can assert that no page reaches a third party."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    yield page
    context.close()
    assert not outside, f"pages tried to reach third parties: {outside}"


@pytest.fixture
def mailoutbox_bodies(mailoutbox):
    return lambda: "\n".join(m.subject + "\n" + m.body for m in mailoutbox)


@pytest.fixture
def require_2fa(settings):
    """Switch on the two-factor requirement (off in portal/settings_test.py; ADR 0040)."""
    settings.TANDEM_REQUIRE_2FA = True
    return settings

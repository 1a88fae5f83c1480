"""Browser helpers: log in through the real form, and run axe-core on the current page."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_no_axe_violations(page, context=None):
    """Run axe-core (all rules, including best practices) and fail on any violation. First the
    page finishes loading: run while a form's answer was still arriving, axe found no document."""
    page.wait_for_load_state()
    results = _axe.run(page, context=context, options={"resultTypes": ["violations"]})
    if results.violations_count:
        raise AssertionError(f"axe on {page.url}:\n{results.generate_report()}")


def login(page, live_server, email, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def assert_title_starts(page, prefix, timeout=10_000):
    """Wait (after a click that submits or navigates) until the page title starts with `prefix`;
    reading page.title() right after the click can still see the previous page."""
    import re

    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile("^" + re.escape(prefix)), timeout=timeout)

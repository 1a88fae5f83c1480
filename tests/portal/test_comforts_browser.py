"""The small comforts in Chromium (ADR 0120-0122): the favicon is served, print media shows the
content only, every htmx request shows a busy state, and the empty and error pages name the
next step. axe-core on each page."""

import pytest
from playwright.sync_api import expect

from agenda.models import Agenda
from tests.agenda.test_browser import utrecht  # noqa: F401 (a fixture)
from tests.helpers.browser import assert_no_axe_violations, login
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# In print media: is the element rendered at all (display: none on it or an ancestor)?
RENDERED = "el => el.getClientRects().length > 0"


def test_favicon_is_served_and_no_page_asks_for_a_missing_one(page, live_server, world):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    login(page, live_server, "school_coordinator@example.test")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon.endswith(".svg")
    # Chromium's own favicon requests bypass Playwright's routing, so ask through the
    # context's request client (same cookies): /favicon.ico ends at the static SVG.
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.url.endswith(icon)
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert not missing, missing


def _assert_prints_content_only(page):
    page.emulate_media(media="screen")
    navigation = page.get_by_role("navigation", name="Hoofdnavigatie").element_handle()
    assert navigation.evaluate(RENDERED)
    page.emulate_media(media="print")
    assert not navigation.evaluate(RENDERED)
    for selector in (".tandem-account", "footer", "main form", "main button"):
        for element in page.locator(selector).all():
            assert not element.evaluate(RENDERED), selector
    main = page.locator("main").bounding_box()
    assert main["width"] >= page.viewport_size["width"] - 2  # full width, no 72rem column
    expect(page.locator("h1")).to_be_visible()
    page.emulate_media(media="screen")


def test_referral_detail_prints_without_navigation_or_controls(page, live_server, world):
    referral = referral_in(world, "submitted")
    login(page, live_server, "school_coordinator@example.test")
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    expect(page.locator("main form")).not_to_have_count(0)  # there is something to hide
    _assert_prints_content_only(page)


def test_agenda_prints_without_navigation_or_controls(page, live_server, utrecht):  # noqa: F811
    login(page, live_server, "begeleiding@example.test")
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/")
    _assert_prints_content_only(page)


def test_htmx_request_shows_a_busy_state_on_its_target(page, live_server, world):
    held = []

    def hold_htmx(route):
        # Only the search's own request is held: the unread badge loads by htmx as well, and
        # on a slow machine its first load may come after the route is in place.
        request = route.request
        if request.headers.get("hx-request") and "/netwerk/lijst/schools/" in request.url:
            held.append(route)  # answered below, once the busy state has been checked
        else:
            route.fallback()

    login(page, live_server, "privacy_officer@example.test")
    page.goto(f"{live_server.url}/netwerk/lijst/schools/")
    indicator = page.locator("#busy-indicator")
    expect(indicator).to_be_hidden()
    page.route("**/*", hold_htmx)
    page.get_by_label("Zoeken", exact=True).fill("Basisschool Bee")
    expect(page.locator("#directory-results")).to_have_attribute("aria-busy", "true")
    expect(indicator).to_be_visible()
    expect(indicator).to_have_text("Bezig met laden…")
    expect(indicator).to_have_attribute("role", "status")
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_role("link", name="Basisschool Bee")).to_be_visible()
    expect(page.get_by_role("link", name="Basisschool Aan")).to_have_count(0)
    expect(indicator).to_be_hidden()
    expect(page.locator("#directory-results")).not_to_have_attribute("aria-busy", "true")
    assert_no_axe_violations(page)


def test_empty_agenda_page_names_the_next_step(page, live_server, world):
    assert not Agenda.objects.exists()
    login(page, live_server, "steering_member@example.test")
    page.goto(f"{live_server.url}/werkagenda/")
    main = page.locator("main")
    expect(main).to_contain_text("Er is nog geen werkagenda.")
    expect(main).to_contain_text("functioneel beheerder")
    expect(main).not_to_contain_text("manage.py")
    assert_no_axe_violations(page)


def test_error_pages_say_what_to_do_next(page, live_server, world):
    login(page, live_server, "school_coordinator@example.test")
    for path, status, heading in (
        ("/bestaat-niet/", 404, "Pagina niet gevonden"),
        ("/rapportage/", 403, "Geen toegang"),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.get_by_role("heading", name="Wat kunt u doen?")).to_be_visible()
        expect(page.locator("main")).to_contain_text("functioneel beheerder")
        assert_no_axe_violations(page)
        page.locator("main").get_by_role("link", name="Ga naar de startpagina").click()
        expect(page).to_have_url(f"{live_server.url}/")

"""The house style in Debian's Chromium (ADR 0164): each region's accounts see its own header
colours, name and logo; the registry administrator's page passes axe in every state."""

import re

import pytest
from playwright.sync_api import expect

from contacts import services
from portal.models import RegionTheme
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18"/></svg>'


def _header(page):
    return page.evaluate(
        "() => { const h = getComputedStyle(document.querySelector('header.tandem-header'));"
        " return [h.backgroundColor, h.color]; }"
    )


def _expect_header(page, background, colour):
    """Wait until the header has these computed colours (the theme's stylesheet has loaded)."""
    expect(page.locator("header.tandem-header")).to_have_css("background-color", background)
    expect(page.locator("header.tandem-header")).to_have_css("color", colour)


def test_two_regions_show_their_own_header(page, live_server, world):
    services.set_region_theme(
        world.user("registry_admin"),
        world.region,
        display_name="Jeugdhulp Testregio",
        primary_color="#b30016",
        primary_text_color="#ffffff",
        logo=(LOGO, "image/svg+xml"),
    )
    abroad = world.abroad
    services.set_region_theme(
        abroad.user("registry_admin"),
        abroad.region,
        display_name="Tandem Elders",
        primary_color="#f2c230",
        primary_text_color="#1b1b1b",
        link_color="#1d5e20",
    )

    login(page, live_server, "school_coordinator@example.test")
    expect(page.locator("header .tandem-logo")).to_contain_text("Jeugdhulp Testregio")
    expect(page.locator("header .tandem-logo img")).to_have_count(1)
    _expect_header(page, "rgb(179, 0, 22)", "rgb(255, 255, 255)")
    home_colours = _header(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    # Before logging in: the installation's theme.
    _expect_header(page, "rgb(11, 79, 108)", "rgb(255, 255, 255)")

    login(page, live_server, "school_coordinator@elders.example.test")
    expect(page.locator("header .tandem-logo")).to_contain_text("Tandem Elders")
    expect(page.locator("header .tandem-logo img")).to_have_count(0)
    _expect_header(page, "rgb(242, 194, 48)", "rgb(27, 27, 27)")
    assert _header(page)[0] != home_colours[0]
    assert_no_axe_violations(page)


def test_registry_admin_sets_the_house_style_after_a_refused_contrast(page, live_server, world):
    login(page, live_server, "registry_admin@example.test")
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Huisstijl").click()
    expect(page.locator("h1")).to_have_text("Huisstijl van Testregio")
    assert_no_axe_violations(page)

    page.get_by_label(re.compile("^Naam in de kop")).fill("Jeugdhulp Testregio")
    page.get_by_label(re.compile("^Hoofdkleur")).fill("#f2c230")
    page.get_by_label(re.compile("^Tekstkleur op de hoofdkleur")).fill("#ffffff")
    page.get_by_role("button", name="Huisstijl opslaan").click()
    assert_title_starts(page, "Fout")
    field = page.get_by_label(re.compile("^Tekstkleur op de hoofdkleur"))
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby").split()[0]
    # #ffffff on #f2c230 (luminance 0.2126*0.88792 + 0.7152*0.53948 + 0.0722*0.02956 = 0.5767):
    # (1.05) / (0.5767 + 0.05) = 1.675.
    expect(page.locator(f"#{error_id}")).to_contain_text("contrast van 1,67:1")
    assert not RegionTheme.objects.exists()
    assert_no_axe_violations(page)

    field.fill("#1b1b1b")
    page.get_by_label(re.compile("^Linkkleur")).fill("#1d5e20")
    page.get_by_role("button", name="Huisstijl opslaan").click()
    expect(page.locator(".tandem-messages")).to_contain_text("De huisstijl van Testregio is opgeslagen.")
    expect(page.locator("header .tandem-logo")).to_contain_text("Jeugdhulp Testregio")
    _expect_header(page, "rgb(242, 194, 48)", "rgb(27, 27, 27)")
    assert RegionTheme.objects.get().primary_color == "#f2c230"
    assert_no_axe_violations(page)

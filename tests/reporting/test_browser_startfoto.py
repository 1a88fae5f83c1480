"""Browser journey (ADR 0155): a steering member freezes this school year's startfoto, sees it
next to last year's, downloads the XLSX; a second freeze from a stale tab is refused in Dutch."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reporting import services
from reporting.startfoto import SchoolYear
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.reporting.factories import add_domains, ams, referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world_with_last_year():
    world = build_world()
    year = SchoolYear.current()
    services.freeze_startphoto(world.users["steering_member"], world.region, year.previous())
    day = year.first_day + datetime.timedelta(days=30)
    for _i in range(6):
        add_domains(referral(world.school, submitted=ams(day.year, day.month, day.day)), "behaviour")
    return world, year


def test_steering_member_freezes_compares_and_downloads(page, live_server, browser, world_with_last_year):
    world, year = world_with_last_year
    steering = world.users["steering_member"].email
    login(page, live_server, steering)
    page.get_by_role("link", name="Startfoto").first.click()
    assert page.locator("h1").inner_text() == f"Startfoto {year.label}"
    assert f"De startfoto {year.label} is nog niet vastgelegd." in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    # A second tab of the same steering member, opened before the freeze.
    stale = page.context.new_page()
    stale.goto(page.url)

    page.get_by_role("button", name=f"Leg de startfoto {year.label} vast").click()
    main = page.locator("main").inner_text()
    assert f"De startfoto {year.label} is vastgelegd." in main
    table = page.get_by_role("table", name=f"Startfoto van {world.region.name}")
    rows = {
        row.locator("th").inner_text(): row.locator("td").all_inner_texts()
        for row in table.locator("tbody tr").all()
    }
    assert rows["Ingediende aanmeldingen"] == ["6", "0", "+6"]
    assert rows["Aanmeldingen in domein: gedrag"] == ["6", "0", "+6"]
    expect(page.get_by_role("table", name=f"Startfoto van {world.subregion.name}")).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de startfoto als Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == f"startfoto-{year.label}-{world.region.code}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [world.region.name, "Ingediende aanmeldingen", "6", "0", 6] in [
        [c.value for c in row] for row in sheet.iter_rows()
    ]

    stale.get_by_role("button", name=f"Leg de startfoto {year.label} vast").click()
    assert (
        "is al vastgelegd; een vastgelegde startfoto verandert nooit." in stale.locator("main").inner_text()
    )
    assert_no_axe_violations(stale)

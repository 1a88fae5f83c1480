"""Browser journey (ADR 0150): a steering member publishes a finished report; the school
coordinator finds it under "Gepubliceerde rapportages" and downloads it; the withdrawn report is
gone again."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from reporting.models import ProgressReport
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finished(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }
    world = build_world()
    report = ProgressReport.objects.create(period="2026-H1", region=world.region, status="done")
    report.file.save("x.pdf", ContentFile(b"%PDF-1.7 published"), save=False)
    report.size, report.sha256 = 18, "0" * 64
    report.save()
    return world, report


def test_steering_member_publishes_and_the_school_coordinator_downloads(page, live_server, finished, browser):
    world, report = finished
    ib_context = browser.new_context()
    ib_page = ib_context.new_page()
    login(ib_page, live_server, world.users["school_coordinator"].email)
    ib_page.get_by_role("link", name="Gepubliceerde rapportages").first.click()
    assert ib_page.locator("h1").inner_text() == "Gepubliceerde rapportages"
    assert "nog geen rapportage gepubliceerd" in ib_page.locator("main").inner_text()
    assert_no_axe_violations(ib_page)
    # The draft's own download is not for the school coordinator.
    assert ib_page.goto(f"{live_server.url}/rapportage/gepubliceerd/{report.uuid}/download/").status == 404

    login(page, live_server, world.users["steering_member"].email)
    page.goto(f"{live_server.url}/rapportage/rapporten/{report.uuid}/")
    assert "Niet gepubliceerd" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publiceren voor de uitvoerders").click()
    assert "De rapportage is gepubliceerd" in page.locator("main").inner_text()
    expect(page.get_by_role("button", name="Publicatie intrekken")).to_be_visible()
    assert_no_axe_violations(page)

    ib_page.goto(f"{live_server.url}/rapportage/gepubliceerd/")
    table = ib_page.get_by_role("table", name="Gepubliceerde voortgangsrapportages")
    assert "2026-H1" in table.inner_text() and "Testregio" in table.inner_text()
    assert_no_axe_violations(ib_page)
    with ib_page.expect_download() as download_info:
        table.get_by_role("link", name="downloaden (pdf) 2026-H1 Testregio").click()
    download = download_info.value
    assert download.suggested_filename == "voortgangsrapportage-2026-H1-TST.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("button", name="Publicatie intrekken").click()
    assert "De publicatie is ingetrokken" in page.locator("main").inner_text()
    ib_page.reload()
    expect(ib_page.get_by_role("table")).to_have_count(0)
    ib_context.close()

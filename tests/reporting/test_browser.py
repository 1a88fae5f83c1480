"""Browser journeys: a steering member reads the dashboard, requests a report, watches it go
from queued to done and downloads it; a school coordinator is refused."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reporting import generation, services
from reporting.models import ProgressReport
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world
from tests.reporting.factories import add_domains, ams, referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region_world(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }
    world = build_world()
    for i in range(7):
        ref = referral(world.school, submitted=ams(2026, 3, 6), decided=ams(2026, 3, 9 + i))
        add_domains(ref, "behaviour")
    referral(world.other_school, submitted=ams(2026, 3, 6))
    return world


def test_steering_member_requests_watches_and_downloads_a_report(
    page, live_server, region_world, monkeypatch
):
    world = region_world
    queued = []
    # Hold the task back so the page shows the queued state; the test then plays the worker.
    monkeypatch.setattr(services, "enqueue", queued.append)
    login(page, live_server, world.users["steering_member"].email)

    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_label("Halfjaar (verplicht)").select_option("2026-H1")
    page.get_by_label("Bereik (verplicht)").select_option(f"r-{world.region.pk}")
    page.get_by_role("button", name="Cijfers tonen").click()
    assert page.locator("h1").inner_text() == "Dashboard jeugdhulp in school"
    expect(page.locator("svg[role=img]").nth(3)).to_be_attached()
    assert "Aanmeldingen dit halfjaar" in page.locator(".tandem-key-figures").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Rapportages", exact=True).click()
    assert_no_axe_violations(page)
    page.locator("#request_period").select_option("2026-H1")
    page.locator("#request_scope").select_option(f"r-{world.region.pk}")
    page.get_by_role("button", name="Rapportage aanvragen").click()
    status = page.locator("#report-status")
    assert "in de wachtrij" in status.inner_text()
    assert status.get_attribute("hx-trigger") == "load delay:2s"
    assert_no_axe_violations(page)

    assert len(queued) == 1
    generation.generate(queued[0])
    link = page.get_by_role("link", name="Download de rapportage (pdf)")
    link.wait_for(state="visible", timeout=15_000)
    assert "gereed" in page.locator("#report-status").inner_text()
    assert page.locator("#report-status").get_attribute("hx-trigger") is None
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "voortgangsrapportage-2026-H1-TST.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Terug naar alle voortgangsrapportages").click()
    expect(page.locator("table").filter(has_text="2026-H1")).to_have_count(1)
    assert_no_axe_violations(page)


def test_a_failed_report_shows_its_error_and_can_be_retried(page, live_server, region_world, monkeypatch):
    world = region_world
    monkeypatch.setattr(services, "enqueue", lambda report_id: None)
    report = ProgressReport.objects.create(
        period="2026-H1", region=world.subregion, status="failed", error="OSError: disk full"
    )
    login(page, live_server, world.users["steering_member"].email)
    page.goto(f"{live_server.url}/rapportage/rapporten/{report.uuid}/")
    text = page.locator("#report-status").inner_text()
    assert "OSError" not in text and "Er ging iets mis bij het samenstellen" in text
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Opnieuw proberen").click()
    assert "in de wachtrij" in page.locator("#report-status").inner_text()
    # The retry loads the page anew: axe reads colours only once its stylesheets are in.
    page.wait_for_load_state("load")
    assert_no_axe_violations(page)


def test_polling_stops_with_a_message_when_the_report_takes_long(
    page, live_server, region_world, monkeypatch
):
    from reporting import views as reporting_views

    world = region_world
    monkeypatch.setattr(reporting_views, "POLL_GIVE_UP_SECONDS", 1)
    report = ProgressReport.objects.create(period="2026-H1", region=world.subregion)
    login(page, live_server, world.users["steering_member"].email)
    page.goto(f"{live_server.url}/rapportage/rapporten/{report.uuid}/")
    message = page.get_by_text("duurt langer dan gewoonlijk", exact=False)
    message.wait_for(state="visible", timeout=15_000)
    assert page.locator("#report-status").get_attribute("hx-trigger") is None
    assert_no_axe_violations(page)


def test_request_form_errors_are_accessible(page, live_server, region_world):
    world = region_world
    login(page, live_server, world.users["partnership_director"].email)
    page.goto(f"{live_server.url}/rapportage/rapporten/")
    page.locator("#request_scope").evaluate("el => { el.options[0].value = 'r-999999'; }")
    page.get_by_role("button", name="Rapportage aanvragen").click()
    expect(page.locator(".utrecht-form-field-error-message")).not_to_have_count(0)
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)


def test_school_coordinator_cannot_reach_dashboard_or_reports(page, live_server, region_world):
    world = region_world
    login(page, live_server, world.users["school_coordinator"].email)
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    for path in ("/rapportage/", "/rapportage/rapporten/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403
        assert page.locator("h1").inner_text() == "Geen toegang"


def test_dashboard_compares_with_the_previous_half_year_and_opens_a_chart_table(
    page, live_server, region_world
):
    world = region_world
    for _i in range(12):  # 2025-H2: 12 referrals about behaviour, against 7 now
        add_domains(referral(world.school, submitted=ams(2025, 10, 6), decided=ams(2025, 10, 8)), "behaviour")
    login(page, live_server, world.users["steering_member"].email)
    page.goto(f"{live_server.url}/rapportage/?period=2026-H1&scope=r-{world.region.pk}")

    comparison = page.get_by_role("region", name="Vergeleken met het vorige halfjaar")
    expect(comparison.get_by_role("table", name="Dit halfjaar tegenover het vorige")).to_be_visible()
    row = comparison.get_by_role("row", name="Aanmeldingen dit halfjaar")
    assert row.inner_text().split("\t")[1:] == ["8", "12", "\u22124"]  # 7 + the one of subregion B
    changes = comparison.get_by_role("list").inner_text()
    assert "Het aantal aanmeldingen in het domein gedrag daalde van 12 naar 7." in changes
    assert_no_axe_violations(page)

    block = page.locator(".tandem-report-block").filter(
        has=page.get_by_role("heading", name="Aanmeldingen per schoolsoort", exact=True)
    )
    table = block.locator("table")
    assert table.count() == 1 and not table.is_visible()
    disclosure = block.locator("details > summary")
    assert disclosure.inner_text() == "Tabel bij deze grafiek"
    disclosure.click()
    table.wait_for(state="visible")
    expect(page.get_by_role("table", name="Aanmeldingen per schoolsoort")).to_be_visible()
    assert block.locator("details").get_attribute("open") is not None
    assert_no_axe_violations(page)

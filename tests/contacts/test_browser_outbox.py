"""The message-queue page in Debian's Chromium: a failed row retried, axe-core on both states
(ADR 0130)."""

import pytest
from playwright.sync_api import expect

from portal.models import OutboxMessage
from tests.helpers.browser import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registry_admin_retries_a_failed_message(page, live_server, world):
    row = OutboxMessage.objects.create(
        task="portal.heartbeat",
        kwargs={"token": "browser"},
        dedup_key="browser",
        state="failed",
        attempts=12,
        last_error="OperationalError",
    )
    login(page, live_server, "registry_admin@example.test")
    page.goto(f"{live_server.url}/netwerk/berichtenwachtrij/")
    expect(page.locator("h1")).to_have_text("Berichtenwachtrij")
    expect(page.locator("main")).to_contain_text("OperationalError")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Nu opnieuw proberen").click()
    expect(page.locator("main")).to_contain_text("Het bericht staat weer in de wachtrij.")
    expect(page.locator("main")).to_contain_text("Er wacht niets")
    assert_no_axe_violations(page)
    row.refresh_from_db()
    assert row.state == "sent"

"""Browser journey: the privacy officer filters the access log; axe on every state."""

import pytest
from playwright.sync_api import expect

from portal.audit import log_access
from portal.models import AccessLog
from tests.helpers.browser import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_filters_the_access_log(world, page, live_server):
    log_access(
        world.user("district_worker"),
        AccessLog.Action.VIEW,
        object_type="referrals.referral",
        object_id="1",
        reference="TR-2026-0042",
    )
    login(page, live_server, world.user("privacy_officer").email)
    page.goto(f"{live_server.url}/toegangslog/")
    assert_no_axe_violations(page)
    page.get_by_label("Kenmerk").fill("TR-2026-0042")
    with page.expect_navigation():  # the unfiltered page lists this row too: read the filtered one
        page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("cell", name="TR-2026-0042")).not_to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_label("Vanaf", exact=True).fill("2026-02-01")
    page.get_by_label("Tot en met").fill("2026-01-01")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator(".utrecht-form-field-error-message, [aria-invalid=true]")).not_to_have_count(0)
    assert_no_axe_violations(page)


def test_betuwe_privacy_officer_sees_no_utrecht_row(page, live_server):
    """Two demo regions (ADR 0123): a Utrecht read is not in the Betuwe officer's log."""
    from django.core.management import call_command

    from contacts.demo import BETUWE_DOMAIN, DEMO_PASSWORD, DOMAIN
    from contacts.models import User

    call_command("seed_demo", password=DEMO_PASSWORD, stdout=open("/dev/null", "w"))
    for email, reference in (
        (f"wijkteam@{DOMAIN}", "TR-2026-0101"),
        (f"wijkteam@{BETUWE_DOMAIN}", "TR-2026-0202"),
    ):
        log_access(
            User.objects.get(email=email),
            AccessLog.Action.VIEW,
            object_type="referrals.referral",
            object_id="1",
            reference=reference,
        )
    login(page, live_server, f"privacy@{BETUWE_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/toegangslog/")
    table = page.locator("main table")
    expect(page.get_by_role("cell", name="TR-2026-0202")).not_to_have_count(0)
    expect(page.get_by_role("cell", name="TR-2026-0101")).to_have_count(0)
    assert f"@{DOMAIN}" not in table.inner_text()
    assert_no_axe_violations(page)

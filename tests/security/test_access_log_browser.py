"""Browser journey: the privacy officer filters the access log; axe on every state."""

import pytest

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
    page.get_by_role("button", name="Filteren").click()
    assert page.get_by_role("cell", name="TR-2026-0042").count() >= 1
    assert_no_axe_violations(page)
    page.get_by_label("Vanaf", exact=True).fill("2026-02-01")
    page.get_by_label("Tot en met").fill("2026-01-01")
    page.get_by_role("button", name="Filteren").click()
    assert page.locator(".utrecht-form-field-error-message, [aria-invalid=true]").count() >= 1
    assert_no_axe_violations(page)

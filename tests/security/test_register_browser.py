"""Browser check: the privacy officer reads the processing register (ADR 0105); axe on the page."""

import pytest

from tests.helpers.browser import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_reads_the_processing_register(world, page, live_server):
    login(page, live_server, world.user("privacy_officer").email)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Verwerkingsregister").first.click()
    page.get_by_role("heading", name="Verwerkingsregister (AVG art. 30)").wait_for()
    assert page.get_by_role("cell", name="toestemming van de ouders of de jeugdige", exact=False).count() > 0
    assert_no_axe_violations(page)

"""Browser journey: the privacy officer handles a subject-access request (AVG art. 15) — the
form, its error state, the preview with another referral of the same child, and the PDF
download; axe on every state."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.models import AccessLog
from tests.helpers.browser import assert_no_axe_violations, login
from tests.security.test_subject_access import BORN, FIRST, LAST, _full_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_exports_everything_about_one_child(world, page, live_server):
    referral = _full_referral(world)
    earlier = _full_referral(world, marker="C")
    assert (earlier.child_first_name, earlier.child_last_name, earlier.child_date_of_birth) == (
        FIRST,
        LAST,
        BORN,
    )
    login(page, live_server, world.user("privacy_officer").email)

    page.goto(f"{live_server.url}/toegangslog/")
    page.get_by_role("link", name="Inzageverzoek afhandelen (AVG art. 15)", exact=False).click()
    page.get_by_role("heading", name="Inzageverzoek (AVG art. 15)").wait_for()
    assert_no_axe_violations(page)

    # Error state: an unknown reference number.
    page.get_by_label("Kenmerk").fill("AJS-2099-99999")
    page.get_by_role("button", name="Toon wat de export bevat").click()
    expect(page.get_by_text("Geen aanmelding heeft dit kenmerk").last).to_be_visible()
    assert page.get_by_label("Kenmerk").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)

    # The preview, with the same child's earlier referral offered.
    page.get_by_label("Kenmerk").fill(referral.reference.lower())
    page.get_by_role("button", name="Toon wat de export bevat").click()
    page.get_by_role("heading", name=f"Voorbeeld van de export voor {referral.reference}").wait_for()
    table = page.get_by_role("table")
    assert table.get_by_role("row", name="Berichten").inner_text().split()[-2:] == ["1", "1"]
    assert_no_axe_violations(page)
    page.get_by_label(earlier.reference, exact=False).check()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download de export (pdf)").click()
    download = download_info.value
    assert download.suggested_filename == f"inzage-{referral.reference}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    exported = AccessLog.objects.filter(user=world.user("privacy_officer"), action=AccessLog.Action.EXPORT)
    assert set(exported.values_list("object_reference", flat=True)) == {referral.reference, earlier.reference}

"""Browser journey (ADR 0151): the district worker closes a referral, the IB-er finds the
cooperation check on the home page, trips over the form's error state and answers; the steering
group's dashboard counts the answer."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import CooperationFeedback
from referrals.services import half_year_label
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_close_then_the_ib_er_answers_and_the_figure_counts(page, live_server, transactional_db):
    from django.utils import timezone

    w = build_world()
    referral = referral_in(w, "help_started")
    period = half_year_label(timezone.now())
    # Four colleagues in the subregion answered before: below 5 the figure shows "<5".
    CooperationFeedback.objects.bulk_create(
        CooperationFeedback(region=w.subregion, period=period, cooperation="yes", route_clear="yes")
        for _i in range(4)
    )

    login(page, live_server, w.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_text("Afsluiten (afschalen)", exact=True).first.click()
    page.get_by_label("doelen bereikt").check()
    page.get_by_label(re.compile("^Reden voor afschalen")).fill("Doelen gehaald.")
    page.get_by_role("button", name="Afsluiten (afschalen)").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Beantwoord de twee vragen")).to_be_visible()
    assert_no_axe_violations(page)
    _logout(page)

    login(page, live_server, w.user("school_coordinator").email)
    item = page.get_by_role("link", name=re.compile("terugblikken op de samenwerking te beantwoorden"))
    assert item.inner_text().startswith("1")
    item.click()
    assert page.locator("h1").inner_text() == "Terugblikken op de samenwerking"
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"beantwoorden {referral.reference}").click()
    assert page.locator("h1").inner_text() == "Hoe ging de samenwerking?"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Antwoorden versturen").click()  # nothing chosen: errors
    assert_title_starts(page, "Fout")
    expect(page.get_by_text("Kies of de samenwerking werkte: ja, deels of nee.").first).to_be_visible()
    assert_no_axe_violations(page)
    assert not CooperationFeedback.objects.filter(cooperation="partly").exists()
    page.get_by_role("group", name=re.compile("Werkte de samenwerking")).get_by_label("deels").check()
    page.get_by_role("group", name=re.compile("Was de route duidelijk")).get_by_label("ja").check()
    page.get_by_role("button", name="Antwoorden versturen").click()
    page.wait_for_load_state()
    assert "zonder uw naam" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    _logout(page)

    login(page, live_server, w.user("steering_member").email)
    page.goto(f"{live_server.url}/rapportage/?period={period}&scope=r-{w.subregion.pk}")
    table = page.get_by_role("table", name="Terugblik op de samenwerking per subregio")
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    # 5 answers: cooperation 4 yes, 1 partly (<5, so "yes" is hidden too), route 5 yes.
    assert cells == ["5", "x", "x", "0", "5", "0", "0"]
    assert_no_axe_violations(page)

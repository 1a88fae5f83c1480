"""The error summary in the browser (ADR 0118): focus lands on it, its links move focus to the
field or section, and axe finds nothing in the error states."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def _focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_submit_refused_focuses_the_summary_whose_links_reach_the_field_and_consent(
    page, live_server, bworld
):
    w = bworld
    referral = referral_in(w, "draft", child_group="")
    referral.consents.update(withdrawn_at=timezone.now())
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/bewerken/")
    page.get_by_role("button", name="Aanmelding indienen").click()
    assert_title_starts(page, "Fout")
    summary = page.locator("#referral-errors")
    expect(summary).to_be_focused()
    assert_no_axe_violations(page)  # the refused submission

    summary.get_by_role("link", name="Groep of klas").click()
    expect(page.locator("#id_child_group")).to_be_focused()
    expect(page.locator("#id_child_group_error")).to_be_visible()

    summary.get_by_role("link", name="Toestemming").first.click()
    expect(page.locator("#section-consent")).to_be_focused()
    expect(page.locator("#section-consent-problems")).to_be_visible()
    expect(page.locator("#section-consent-problems")).to_contain_text("Toestemming van")
    assert_no_axe_violations(page)


def test_invalid_save_and_a_small_form_focus_their_summary(page, live_server, bworld):
    w = bworld
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/nieuw/")
    page.get_by_label("Geboortedatum").fill("2999-01-01")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("#referral-errors")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Geboortedatum").click()
    expect(page.locator("#id_child_date_of_birth")).to_be_focused()
    assert_no_axe_violations(page)

    # A form rendered through the shared template (forms/div.html) does the same.
    referral = referral_in(w, "draft")
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/bewerken/")
    page.get_by_role("button", name="Ouder of verzorger toevoegen").click()
    page.wait_for_load_state()
    summary = page.locator("#guardian-errors")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_guardian-name")).to_be_focused()
    assert_no_axe_violations(page)


def test_login_error_focuses_the_summary(page, live_server, bworld):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill("niemand@example.org")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    assert_title_starts(page, "Fout")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_no_axe_violations(page)


SWAPPED_FORM = (
    '<form id="swapped" class="tandem-form">'
    '<div class="utrecht-alert utrecht-alert--error" role="alert" id="swap-errors"'
    ' tabindex="-1" data-error-summary aria-labelledby="swap-errors-title">'
    '<div class="utrecht-alert__message">'
    '<h2 class="utrecht-heading-2" id="swap-errors-title">Fout</h2>'
    '<ul><li><a class="utrecht-link" href="#id_swapped">Naam: vul dit veld in</a></li></ul></div></div>'
    '<label for="id_swapped">Naam</label><input id="id_swapped" name="swapped" aria-invalid="true">'
    "</form>"
)


def test_a_form_swapped_in_by_htmx_focuses_its_summary_and_its_links_work(page, live_server, bworld):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.wait_for_function("window.htmx !== undefined")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    page.evaluate(
        """(html) => {
            const slot = document.createElement("div");
            slot.id = "slot";
            document.querySelector("main").appendChild(slot);
            htmx.swap(slot, html, {swapStyle: "innerHTML"});
        }""",
        SWAPPED_FORM,
    )
    expect(page.locator("#swap-errors")).to_be_focused()
    page.locator("#swap-errors").get_by_role("link").click()
    expect(page.locator("#id_swapped")).to_be_focused()

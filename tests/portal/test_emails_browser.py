"""Browser journeys of the notification e-mails (ADR 0152): a person changes their notification
settings (axe-core on the page, after saving and in the error state), and the HTML part of an
e-mail and of a digest passes axe-core itself."""

import re

import pytest
from playwright.sync_api import expect

from portal.emails import digest_message, notification_message
from portal.models import Notification, NotificationPreference
from tests.contacts.factories import UserFactory
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_chooses_the_daily_digest_in_english(page, live_server):
    user = build_world().user("district_worker")
    login(page, live_server, user.email)
    page.goto(f"{live_server.url}/aanmeldingen/meldingen/")
    page.get_by_role("link", name=re.compile("^Meldingsinstellingen")).click()
    assert_title_starts(page, "Meldingsinstellingen")
    expect(page.get_by_label("Voor elke melding meteen een e-mail")).to_be_checked()
    expect(page.get_by_label("Nederlands")).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Engels").check()
    page.get_by_label("Eén e-mail per dag met alle nieuwe meldingen").check()
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw meldingsinstellingen zijn opgeslagen.")
    expect(page.get_by_label("Eén e-mail per dag met alle nieuwe meldingen")).to_be_checked()
    assert_no_axe_violations(page)
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.language, preference.delivery) == ("en", "daily_digest")


def test_a_tampered_choice_shows_the_error_at_the_field_and_changes_nothing(page, live_server):
    user = build_world().user("school_coordinator")
    login(page, live_server, user.email)
    page.goto(f"{live_server.url}/aanmeldingen/meldingen/instellingen/")
    page.locator("input[name=delivery][value=daily_digest]").evaluate(
        "el => { el.value = 'hourly'; el.checked = true; }"
    )
    page.get_by_role("button", name="Instellingen opslaan").click()
    assert_title_starts(page, "Fout")
    expect(page.locator("#id_delivery_error")).to_have_text("Kies een van de getoonde mogelijkheden.")
    assert_no_axe_violations(page)
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_the_html_of_an_email_and_of_a_digest_passes_axe(page):
    user = UserFactory(full_name="Fenna de Vries")
    notifications = [
        Notification.objects.create(
            user=user,
            kind="k",
            subject=f"AJS-2026-0000{i} · Er wacht een opschaling op uw besluit",
            body=f"AJS-2026-0000{i}: Er is een standpunt toegevoegd aan een opschaling.",
            url=f"/opschaling/{i}/",
            reference=f"AJS-2026-0000{i}" if i else "",
        )
        for i in range(3)
    ]
    for message in (notification_message(notifications[1]), digest_message(user, notifications)):
        page.set_content(message.alternatives[0][0])
        expect(page.locator("h1")).to_have_count(1)
        assert page.locator("html").get_attribute("lang") == "nl"
        assert_no_axe_violations(page)

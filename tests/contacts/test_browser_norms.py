"""The region's norms page in Debian's Chromium, axe-core on every state (ADR 0091)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import RegionNorm
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_steering_member_sets_norms_after_fixing_bad_input(page, live_server, world):
    login(page, live_server, "steering_member@example.test")
    page.get_by_role("link", name="Normen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Wachttijdnormen van Testregio")
    expect(page.locator("main")).to_contain_text("de standaardnormen van deze installatie")
    assert_no_axe_violations(page)

    # Error state: non-numeric, zero, absurd, and a start date in the past.
    page.get_by_label(re.compile("^Geldt vanaf")).fill("2020-01-01")
    page.get_by_label(re.compile("^Besluit binnen")).fill("vijf")
    page.get_by_label(re.compile("^Hulp gestart binnen")).fill("100000")
    page.get_by_label(re.compile("^Automatische opschaling na")).fill("0")
    page.get_by_role("button", name="Normen vaststellen").click()
    assert_title_starts(page, "Fout")
    for label, message in (
        ("^Geldt vanaf", "Kies een datum na vandaag"),
        ("^Besluit binnen", "Vul een heel aantal werkdagen in, bijvoorbeeld 5."),
        ("^Hulp gestart binnen", "van 1 tot en met 130"),
        ("^Automatische opschaling na", "van 1 tot en met 60"),
    ):
        field = page.get_by_label(re.compile(label))
        expect(field).to_have_attribute("aria-invalid", "true")
        error_id = field.get_attribute("aria-describedby").split()[0]
        expect(page.locator(f"#{error_id}")).to_contain_text(message)
    assert not RegionNorm.objects.exists()
    assert_no_axe_violations(page)

    start = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label(re.compile("^Geldt vanaf")).fill(start.isoformat())
    page.get_by_label(re.compile("^Besluit binnen")).fill("6")
    page.get_by_label(re.compile("^Hulp gestart binnen")).fill("25")
    page.get_by_label(re.compile("^Automatische opschaling na")).fill("4")
    page.get_by_role("button", name="Normen vaststellen").click()
    expect(page.locator(".tandem-messages")).to_contain_text("De normen van Testregio gelden vanaf")
    history = page.get_by_role("table", name=re.compile("Normen die de regio heeft vastgesteld"))
    expect(history).to_contain_text(world.user("steering_member").full_name)
    norm = RegionNorm.objects.get()
    assert (norm.valid_from, norm.decision_days, norm.help_started_days, norm.escalation_margin_days) == (
        start,
        6,
        25,
        4,
    )
    assert_no_axe_violations(page)

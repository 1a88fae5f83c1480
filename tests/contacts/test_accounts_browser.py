"""Browser journeys of account management (ADR 0137): the registry administrator adds a role
after a refused one, ends a role after a refused date and deactivates an account while that
person is logged in elsewhere (their next request lands on the login page); the privacy officer
reads the records. axe-core on every state, errors included."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts import services
from contacts.models import Invitation, MembershipRecord
from tests.contacts import factories as f
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_ends_a_role_and_deactivates_an_account(world, page, browser, live_server):
    person = world.user("school_coordinator")
    # The person is logged in in a browser of their own.
    other = browser.new_context(locale="nl-NL")
    theirs = other.new_page()
    login(theirs, live_server, person.email)
    expect(theirs.locator("h1")).not_to_have_text(re.compile("Inloggen"))

    login(page, live_server, world.user("registry_admin").email)
    page.get_by_role("link", name="Accounts", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Accounts")
    assert_no_axe_violations(page)
    page.get_by_label("Naam of e-mailadres").fill(person.email)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status").filter(has_text="account")).to_have_text(
        "2 accounts"
    )  # and other_school_coordinator@…
    page.get_by_role("link", name=person.full_name).click()
    expect(page.locator("h1")).to_have_text(person.full_name)
    assert_no_axe_violations(page)

    # Adding a role the organisation cannot hold: refused at the field, nothing changed.
    page.get_by_role("link", name="Een rol toevoegen").click()
    page.get_by_label(re.compile("^Rol")).select_option("district_worker")
    page.get_by_label(re.compile("^Organisatie")).select_option(f"school:{world.other_school.pk}")
    page.get_by_role("button", name="Rol toevoegen").click()
    assert_title_starts(page, "Fout")
    role = page.get_by_label(re.compile("^Rol"))
    expect(role).to_have_attribute("aria-invalid", "true")
    error_id = role.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_contain_text("kan de rol wijkteammedewerker niet hebben")
    assert_no_axe_violations(page)
    assert person.memberships.count() == 1
    page.get_by_label(re.compile("^Rol")).select_option("school_coordinator")
    page.get_by_role("button", name="Rol toevoegen").click()
    expect(page.locator(".tandem-messages")).to_contain_text("De rol is toegevoegd.")
    assert person.memberships.count() == 2

    # Ending a role on a day in the future: refused; then today.
    page.get_by_role("link", name=re.compile("^Rol .* beëindigen")).first.click()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label(re.compile("^Laatste dag")).fill(tomorrow.isoformat())
    page.get_by_role("button", name="Rol beëindigen").click()
    assert_title_starts(page, "Fout")
    field = page.get_by_label(re.compile("^Laatste dag"))
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_contain_text("Kies vandaag of een eerdere dag")
    assert_no_axe_violations(page)
    assert person.memberships.current().count() == 2
    page.get_by_label(re.compile("^Laatste dag")).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Rol beëindigen").click()
    expect(page.locator(".tandem-messages")).to_contain_text("De rol is beëindigd")
    expect(page.get_by_role("table", name=re.compile("Rollen in uw regio"))).to_contain_text("Beëindigd op")
    assert person.memberships.current().count() == 1
    assert person.memberships.count() == 2
    assert_no_axe_violations(page)

    # Deactivating: their other browser is logged out on its next request.
    page.get_by_role("button", name="Account deactiveren").click()
    expect(page.locator(".tandem-messages")).to_contain_text("Het account is gedeactiveerd")
    assert_no_axe_violations(page)
    theirs.reload()
    expect(theirs).to_have_url(re.compile("/account/inloggen/"))
    other.close()
    person.refresh_from_db()
    assert not person.is_active
    kinds = set(MembershipRecord.objects.values_list("kind", flat=True))
    assert kinds == {"added", "ended", "deactivated"}


def test_privacy_officer_reads_the_account_records(world, page, live_server):
    services.add_membership(
        world.user("registry_admin"),
        world.user("school_coordinator"),
        "school_coordinator",
        world.other_school,
    )
    login(page, live_server, world.user("privacy_officer").email)
    page.get_by_role("link", name="Accountwijzigingen").first.click()
    expect(page.locator("h1")).to_have_text("Accountwijzigingen")
    table = page.get_by_role("table", name=re.compile("wijziging"))
    expect(table).to_contain_text("rol toegevoegd")
    expect(table).to_contain_text(world.user("registry_admin").email)
    assert_no_axe_violations(page)

    # Error state: the end of the period before its start.
    page.get_by_label("Vanaf", exact=True).fill("2026-06-01")
    page.get_by_label("Tot en met").fill("2026-05-01")
    page.get_by_role("button", name="Filteren").click()
    assert_title_starts(page, "Accountwijzigingen")
    field = page.get_by_label("Tot en met")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)


def test_admin_finds_an_expired_invitation_and_sends_it_again(world, page, live_server, mailoutbox):
    person = world.user("other_school_coordinator")
    expired, _token = f.invite(
        person.memberships.get(),
        days=-3,
        invited_days_ago=10,
        invited_by=world.user("registry_admin"),
        emailed=False,
    )
    login(page, live_server, world.user("registry_admin").email)
    page.get_by_role("link", name="Accounts", exact=True).first.click()
    page.get_by_label("Uitnodiging").select_option("expired")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status").filter(has_text="account")).to_have_text("1 account")
    table = page.get_by_role("table", name="Accounts")
    expect(table).to_contain_text("verlopen op")
    assert_no_axe_violations(page)

    page.get_by_role("link", name=person.full_name).click()
    expect(page.locator("h1")).to_have_text(person.full_name)
    invitations = page.get_by_role("table", name=re.compile("Uitnodigingen in uw regio"))
    expect(invitations).to_contain_text("verlopen op")
    expect(invitations).to_contain_text(world.user("registry_admin").full_name)
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("^Opnieuw versturen")).click()
    expect(page.locator(".tandem-messages")).to_contain_text("opnieuw verstuurd")
    expect(page.locator("h1")).to_have_text(person.full_name)
    expect(invitations).to_contain_text("in afwachting tot")
    assert_no_axe_violations(page)
    expired.refresh_from_db()
    assert expired.state() == Invitation.State.OPEN and expired.times_sent == 2
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [person.email]

    # Error state: accepted in the meantime; sending again says so and changes nothing.
    Invitation.objects.filter(pk=expired.pk).update(accepted_at=timezone.now())
    page.get_by_role("button", name=re.compile("^Opnieuw versturen")).click()
    expect(page.locator(".tandem-messages")).to_contain_text("al aangenomen")
    expect(invitations).to_contain_text("aangenomen op")
    expect(page.get_by_role("button", name=re.compile("^Opnieuw versturen"))).to_have_count(0)
    assert_no_axe_violations(page)
    expired.refresh_from_db()
    assert expired.times_sent == 2

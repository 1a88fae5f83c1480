"""Browser journeys of mediation before escalation (ADR 0149): the registry administrator names
a mediator; the IB-er asks the mediator; the mediator records "settled" and the referral goes
on to accepted. And: not settled, the district worker escalates and the escalation says that
mediation was tried. axe-core on every new page and its error states."""

import pytest
from playwright.sync_api import expect

from escalations.models import Escalation, Mediation
from referrals.models import ReferralEvent, Status
from tests.escalations.fixtures import escalatable_referral_in, named_mediator, open_mediation
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTLED = "Opgelost: school en wijkteam zijn het eens wie verantwoordelijk is en wie betaalt."
NOT_SETTLED = "Niet opgelost: de partijen kunnen opschalen naar de beslissers."
TEAM_HELPS = "Het wijkteam biedt de hulp: de aanmelding gaat naar “geaccepteerd”."


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_mediation_settles_and_the_referral_continues(page, live_server):
    world = build_world()
    referral = escalatable_referral_in(world, "in_triage")
    base = live_server.url
    mediator_user = world.user("steering_member")

    # 1. The registry administrator names the steering member mediator of the region.
    login(page, live_server, world.user("registry_admin").email)
    page.get_by_role("link", name="Bemiddelaars").first.click()
    page.wait_for_url(f"{base}/opschaling/bemiddelaars/")
    expect(page.locator("#no-mediators")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Aanwijzen als bemiddelaar").click()
    assert_title_starts(page, "Fout")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(1)
    assert_no_axe_violations(page)  # error state
    page.get_by_label("Persoon").select_option(label=mediator_user.full_name)
    page.get_by_role("button", name="Aanwijzen als bemiddelaar").click()
    expect(page.locator("main table")).to_contain_text(mediator_user.full_name)
    assert_no_axe_violations(page)
    _logout(page)

    # 2. The IB-er asks the mediator from the referral page.
    login(page, live_server, world.user("school_coordinator").email)
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    page.get_by_role("link", name="Eerst een bemiddelaar vragen").click()
    page.wait_for_url(f"{base}/opschaling/aanmelding/{referral.uuid}/bemiddeling/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="De bemiddelaar vragen").click()
    assert_title_starts(page, "Fout")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(2)
    assert_no_axe_violations(page)  # error state
    page.get_by_label("Bemiddelaar").select_option(label=mediator_user.full_name)
    page.get_by_label("Waarover zijn school en wijkteam het oneens?").fill(
        "Wie betaalt de begeleiding in de klas: onderwijs of jeugdhulp?"
    )
    page.get_by_role("button", name="De bemiddelaar vragen").click()
    page.wait_for_url(f"{base}/opschaling/bemiddeling/*/")
    expect(page.locator("#mediation-state")).to_have_text("Gevraagd, nog geen uitkomst")
    assert_no_axe_violations(page)
    mediation = Mediation.objects.get()
    # While the mediation is open, the referral page holds the escalation back.
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    expect(page.locator("#escalation-not-yet")).to_contain_text("bemiddelaar")
    _logout(page)

    # 3. The mediator reads the disagreement and the referral, and records "settled".
    login(page, live_server, mediator_user.email)
    page.goto(f"{base}/opschaling/bemiddeling/{mediation.pk}/")
    assert "begeleiding in de klas" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="De aanmelding lezen").click()
    page.wait_for_url(f"{base}/aanmeldingen/{referral.uuid}/")
    page.go_back()
    page.get_by_label(SETTLED).check()
    page.get_by_role("button", name="De uitkomst vastleggen").click()
    assert_title_starts(page, "Fout")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(1)
    assert_no_axe_violations(page)  # error state
    page.get_by_label(SETTLED).check()
    page.get_by_label("jeugdhulp", exact=True).check()
    page.get_by_label(TEAM_HELPS).check()
    page.get_by_label("Korte toelichting op de afspraak").fill("Het wijkteam biedt de begeleiding.")
    page.get_by_role("button", name="De uitkomst vastleggen").click()
    expect(page.locator("#mediation-state")).to_have_text("Opgelost")
    assert_no_axe_violations(page)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    event = ReferralEvent.objects.get(referral=referral, action="mediation_settled")
    assert (event.from_status, event.to_status) == (Status.IN_TRIAGE, Status.ACCEPTED)
    _logout(page)

    # 4. The district worker sees the referral accepted, with the mediation on its timeline.
    login(page, live_server, world.user("district_worker").email)
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    timeline = page.locator("#timeline").inner_text()
    assert "Opgelost met een bemiddelaar" in timeline and "Een bemiddelaar gevraagd" in timeline
    assert_no_axe_violations(page)


def test_mediation_not_settled_and_the_escalation_shows_it(page, live_server):
    world = build_world()
    named_mediator(world)
    mediation = open_mediation(world, escalatable_referral_in(world, "in_triage"))
    referral = mediation.referral
    base = live_server.url

    # 1. The mediator records "not settled".
    login(page, live_server, world.user("steering_member").email)
    page.goto(f"{base}/opschaling/bemiddeling/{mediation.pk}/")
    page.get_by_role("button", name="De uitkomst vastleggen").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)  # error state: no outcome chosen
    page.get_by_label(NOT_SETTLED).check()
    page.get_by_label("Korte toelichting op de afspraak").fill(
        "Beide partijen houden vast aan hun standpunt."
    )
    page.get_by_role("button", name="De uitkomst vastleggen").click()
    expect(page.locator("#mediation-state")).to_have_text("Niet opgelost")
    assert_no_axe_violations(page)
    # The mediator's access to the referral ended with the outcome.
    expect(page.get_by_role("link", name="De aanmelding lezen")).to_have_count(0)
    _logout(page)

    # 2. The district worker escalates as before; the escalation says mediation was tried.
    login(page, live_server, world.user("district_worker").email)
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    assert "Bemiddeling: niet opgelost" in page.locator("#timeline").inner_text()
    page.get_by_role("link", name="Opschalen naar de beslissers").click()
    page.wait_for_url(f"{base}/opschaling/aanmelding/{referral.uuid}/opschalen/")
    page.get_by_label("Reden").select_option(label="grijs gebied: verantwoordelijkheid")
    page.get_by_label("Uw standpunt").fill("Het wijkteam ziet dit als onderwijsondersteuning.")
    page.get_by_role("button", name="Opschalen").click()
    page.wait_for_url(f"{base}/opschaling/*/")
    expect(page.locator("#mediation-tried")).to_contain_text("Eerst is bemiddeling geprobeerd")
    expect(page.locator("#mediation-tried")).to_contain_text(world.user("steering_member").full_name)
    assert_no_axe_violations(page)
    assert Escalation.objects.get().referral == referral


def test_the_mediator_finds_their_mediations_from_the_home_page(page, live_server):
    """ADR 0162: the list of a mediator's own mediations, empty and filled, from the home page
    and the menu; axe-core on both states."""
    world = build_world()
    named_mediator(world)
    base = live_server.url
    mediator_user = world.user("steering_member")

    login(page, live_server, mediator_user.email)
    page.goto(f"{base}/")
    page.locator("main").get_by_role("link", name="Mijn bemiddelingen").click()
    page.wait_for_url(f"{base}/opschaling/bemiddeling/mijn/")
    expect(page.locator("#no-mediations")).to_be_visible()
    assert_no_axe_violations(page)  # empty state

    mediation = open_mediation(world, escalatable_referral_in(world, "in_triage"))
    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("1 bemiddeling wacht op uw uitkomst")
    page.get_by_role("navigation").get_by_role("link", name="Mijn bemiddelingen").first.click()
    page.wait_for_url(f"{base}/opschaling/bemiddeling/mijn/")
    table = page.locator("main table")
    expect(table).to_contain_text(mediation.referral.reference)
    expect(table).to_contain_text("Gevraagd, nog geen uitkomst")
    assert mediation.referral.child_first_name not in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=mediation.referral.reference).click()
    page.wait_for_url(f"{base}/opschaling/bemiddeling/{mediation.pk}/")
    expect(page.locator("#mediation-state")).to_have_text("Gevraagd, nog geen uitkomst")

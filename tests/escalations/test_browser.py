"""Browser journey (ADR 0060, 0061): an IB-er escalates on funding, the district worker adds its
position, director and officer see it in their inboxes, one decides with the other's
agreement, the district worker sees the decision; the decider publishes the precedent and it
is found by a search on its reason. axe-core on every page and state."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from escalations.models import Escalation, Precedent
from referrals.models import ReferralEvent
from tests.escalations.fixtures import (
    escalatable_referral_in,
    past_the_norm,
    published_precedent,
    referral_in,
)
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def _as(page, live_server, user):
    login(page, live_server, user.email)


def test_escalation_journey(page, live_server):
    world = build_world()
    published_precedent(
        world.user("other_partnership_director"), title="Wachtlijst en capaciteit", reason="capacity"
    )
    referral = referral_in(
        world,
        "in_triage",
        child_first_name="Zwaantje",
        child_last_name="Quakkelsteijn",
        child_date_of_birth=datetime.date(2016, 5, 17),
    )
    base = live_server.url

    # 0. Right after submission escalating is not offered yet; the page says from when (ADR 0141).
    _as(page, live_server, world.user("school_coordinator"))
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    expect(page.locator("#escalation-not-yet")).to_contain_text("norm")
    expect(page.get_by_role("link", name="Opschalen naar de beslissers")).to_have_count(0)
    assert_no_axe_violations(page)
    page.goto(f"{base}/opschaling/aanmelding/{referral.uuid}/opschalen/")
    page.wait_for_url(f"{base}/aanmeldingen/{referral.uuid}/")
    assert "norm" in page.locator(".tandem-messages").inner_text()

    # 1. The norm passed: the IB-er escalates on funding.
    past_the_norm(referral)
    page.goto(f"{base}/aanmeldingen/{referral.uuid}/")
    page.get_by_role("link", name="Opschalen naar de beslissers").click()
    page.wait_for_url(f"{base}/opschaling/aanmelding/{referral.uuid}/opschalen/")
    assert page.locator("h1").inner_text() == f"Aanmelding {referral.reference} opschalen"
    assert "Wachtlijst en capaciteit" in page.locator("#similar-precedents").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Opschalen").click()
    assert_title_starts(page, "Fout")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(2)
    assert_no_axe_violations(page)
    page.get_by_label("Reden").select_option(label="grijs gebied: financiering")
    page.get_by_label("Uw standpunt").fill(
        "De begeleiding is jeugdhulp en hoort door de gemeente betaald te worden."
    )
    page.get_by_role("button", name="Opschalen").click()
    page.wait_for_url(f"{base}/opschaling/*/")
    assert page.locator("h1").inner_text() == f"Opschaling {referral.reference}"
    assert_no_axe_violations(page)
    escalation = Escalation.objects.get()
    _logout(page)

    # 2. The district worker adds its position.
    _as(page, live_server, world.user("district_worker"))
    page.goto(f"{base}/opschaling/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("link", name="Standpunt van uw kant toevoegen").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Standpunt opslaan").click()
    assert_no_axe_violations(page)  # error state
    page.get_by_label("Het standpunt van uw kant").fill(
        "Het wijkteam ziet dit als extra ondersteuning van onderwijs."
    )
    page.get_by_role("button", name="Standpunt opslaan").click()
    page.wait_for_url(f"{base}/opschaling/{escalation.pk}/")
    assert "extra ondersteuning van onderwijs" in page.locator("main").inner_text()
    _logout(page)

    # 3. The officer sees it in the inbox.
    _as(page, live_server, world.user("municipal_officer"))
    page.get_by_role("link", name="Opschalingen").first.click()
    assert referral.reference in page.locator("main table").first.inner_text()
    assert_no_axe_violations(page)
    _logout(page)

    # 4. The director sees it and decides with the officer's agreement.
    _as(page, live_server, world.user("partnership_director"))
    page.get_by_role("navigation").get_by_role("link", name="Opschalingen").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=referral.reference).click()
    main = page.locator("main").inner_text()
    assert "gemeente betaald" in main and "extra ondersteuning" in main
    assert "Zwaantje" not in main and "Quakkelsteijn" not in main
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Besluit vastleggen").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)  # error state
    page.get_by_label("Ingestemd door (beslisser van de andere kant)").select_option(
        label=world.user("municipal_officer").full_name
    )
    page.get_by_label("Welke hulp").fill("Ambulante begeleiding in de klas, twee dagdelen per week.")
    page.get_by_label("gedeeld").check()
    page.get_by_label("Verdeling van de kosten").fill("50% onderwijs, 50% jeugdhulp")
    page.get_by_label("Onderbouwing").fill(
        "Gedrag op school en thuis hangen samen; beide wetten zijn van toepassing."
    )
    page.get_by_label("Uit te voeren vóór").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_url(f"{base}/opschaling/{escalation.pk}/")
    assert "Gedeeld (50% onderwijs, 50% jeugdhulp)" in page.locator("#decision-heading + dl").inner_text()
    assert_no_axe_violations(page)
    _logout(page)

    # 5. The district worker sees the decision; the timeline has the decision event.
    _as(page, live_server, world.user("district_worker"))
    page.goto(f"{base}/opschaling/{escalation.pk}/")
    decision_text = page.get_by_role("region", name="Besluit", exact=True).inner_text()
    assert "Ambulante begeleiding in de klas" in decision_text
    assert world.user("municipal_officer").full_name in decision_text
    assert_no_axe_violations(page)
    event = ReferralEvent.objects.get(referral=referral, action="resume")
    assert event.to_status == "accepted" and "gedeeld" in event.note
    assert "Zwaantje" not in event.note and "Ambulante" not in event.note
    _logout(page)

    # 6. The director reviews the precedent: the child's name is refused, then published.
    _as(page, live_server, world.user("partnership_director"))
    page.goto(f"{base}/opschaling/{escalation.pk}/")
    page.get_by_role("link", name="Het precedent controleren en publiceren").click()
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("Begeleiding bij gedrag: gedeelde financiering")
    page.get_by_label("Situatie (geanonimiseerd)").fill("Zwaantje (groep 5) is onrustig in de klas en thuis.")
    page.get_by_label("Uitkomst: welke hulp is besloten").fill("Ambulante begeleiding in de klas.")
    page.get_by_label("Onderbouwing").fill("Gedrag op school en thuis hangen samen.")
    page.get_by_label("Ik heb gecontroleerd").check()
    page.get_by_role("button", name="Publiceren").click()
    assert "maakt het kind herkenbaar" in page.locator("#id_summary_error").inner_text()
    assert "verdeeld" in page.locator("#id_split_error").inner_text()  # shared: the split is required
    assert_no_axe_violations(page)  # error state
    assert Precedent.objects.get(decision__escalation=escalation).status == "draft"
    page.get_by_label("Situatie (geanonimiseerd)").fill(
        "Een leerling (8-11 jaar) is onrustig in de klas en thuis."
    )
    page.get_by_label("Verdeling van de kosten").fill("gelijk verdeeld")
    page.get_by_label("Ik heb gecontroleerd").check()
    page.get_by_role("button", name="Publiceren").click()
    assert page.locator("h1").inner_text() == "Begeleiding bij gedrag: gedeelde financiering"
    assert_no_axe_violations(page)

    # 7. It is found by a search on its reason.
    page.get_by_role("navigation").get_by_role("link", name="Precedenten").click()
    assert_no_axe_violations(page)
    page.get_by_label("Zoeken", exact=True).fill("financiering")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator("main table").last.inner_text()
    assert "Begeleiding bij gedrag: gedeelde financiering" in results
    assert "Wachtlijst en capaciteit" not in results
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Begeleiding bij gedrag: gedeelde financiering").click()
    assert "Wachtlijst en capaciteit" in page.locator("#similar-precedents").inner_text()
    assert_no_axe_violations(page)


def test_other_states_are_accessible(page, live_server):
    """Empty inbox, drafts waiting for review, a draft precedent, the filter error state, the
    raise page after htmx refreshed its similar precedents, a decided case seen by a decider."""
    from escalations import selectors
    from tests.escalations.fixtures import decided_escalation

    world = build_world()
    base = live_server.url
    _as(page, live_server, world.user("other_partnership_director"))
    page.goto(f"{base}/opschaling/")
    assert "Er zijn geen open opschalingen." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    _logout(page)

    director = world.user("partnership_director")
    published_precedent(
        director, title="Dyslexie en financiering", reason="grey_funding", domains=("learning",)
    )
    published_precedent(director, title="Wachtlijst", reason="capacity", domains=())
    escalation = decided_escalation(world)
    draft = Precedent.objects.get(decision__escalation=escalation)
    _as(page, live_server, director)
    page.goto(f"{base}/opschaling/precedenten/")
    assert "(concept zonder titel)" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{base}/opschaling/precedenten/?reason=bogus")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(1)
    assert_no_axe_violations(page)
    page.goto(f"{base}/opschaling/precedenten/{draft.pk}/")
    assert "Concept: nog niet gepubliceerd" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{base}/opschaling/{escalation.pk}/")
    assert "Standpunten" not in page.locator("main").inner_text()  # the case is closed to deciders
    assert_no_axe_violations(page)
    _logout(page)

    referral = escalatable_referral_in(world, "submitted", domains=("learning",))
    _as(page, live_server, world.user("district_worker"))
    page.goto(f"{base}/opschaling/aanmelding/{referral.uuid}/opschalen/")
    page.get_by_label("Reden").select_option("capacity")
    expect(page.locator("#similar-precedents li").first).to_contain_text("Wachtlijst")
    assert_no_axe_violations(page)
    page.get_by_label("Reden").select_option("grey_funding")
    expect(page.locator("#similar-precedents li").first).to_contain_text("Dyslexie")
    assert selectors.similar_to_referral(referral, "grey_funding")[0].title == "Dyslexie en financiering"
    assert_no_axe_violations(page)

"""The one-page referral form in Chromium (ADR 0163): one bad value among the sections, fixed and
saved once; the warning before leaving with unsaved changes; check your answers with its Change
links; submitting; removing a file; the district team's document on the timeline. axe on every
page and state."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Attachment, Referral, Status
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%...\n"


@pytest.fixture
def bworld(transactional_db):
    return build_world()


def _file(name):
    return [{"name": name, "mimeType": "application/pdf", "buffer": PDF}]


def _leave_with(page, action):
    """Do `action` (a navigation) and return the types of the dialogs it raised (accepted)."""
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    action()
    page.wait_for_load_state()
    page.remove_listener("dialog", answer)
    return seen


def test_one_page_journey(page, live_server, bworld):
    w = bworld
    login(page, live_server, w.user("school_coordinator").email)
    page.goto(f"{live_server.url}/aanmeldingen/nieuw/")
    assert_no_axe_violations(page)  # the empty one-page form

    # Every section at once, with one bad value (a birth date in the future).
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("Eenpagina")
    page.get_by_label("Geboortedatum").fill("2999-01-01")
    page.get_by_label(re.compile("^Groep of klas")).fill("klas 4")
    page.get_by_label(re.compile("^Woongemeente")).select_option(label=w.municipality.name)
    page.get_by_label("gedrag").check()
    page.get_by_label(re.compile("^De hulpvraag")).fill("Noor verzuimt veel.")
    page.get_by_label(re.compile("^Wat school al heeft gedaan")).fill("Gesprekken met mentor")
    page.get_by_label(re.compile("^Doelen")).fill("Weer naar school")
    page.get_by_label("normaal").check()
    page.get_by_label("individueel").check()
    page.locator("#id_guardians-0-name").fill("Vader Eenpagina")
    page.locator("#id_consents-0-giver_1").check()  # the pupil (16 or older: alone)
    page.locator("#id_consents-0-given_on").fill("2026-01-05")
    page.locator("#id_consents-0-form_0").check()
    page.locator("#id_consents-0-recipients").fill("wijkteam")
    page.locator("#id_attachments-0-file").set_input_files(files=_file("verkeerd.pdf"))
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#id_child_date_of_birth_error").get_by_text("toekomst")).to_be_visible()
    expect(
        page.locator("#referral-errors").get_by_role("link", name=re.compile("Geboortedatum"))
    ).to_be_visible()
    expect(page.locator("#uploads-lost")).to_be_visible()
    assert not Referral.objects.exists()
    assert_no_axe_violations(page)  # the form in its error state

    # Fixed, the file chosen again: one save keeps every section.
    page.get_by_label("Geboortedatum").fill("2009-06-01")
    page.locator("#id_attachments-0-file").set_input_files(files=_file("verkeerd.pdf"))
    assert _leave_with(page, lambda: page.get_by_role("button", name="Concept opslaan").click()) == []
    referral = Referral.objects.get()
    assert referral.guardians.count() == 1 and referral.consents.count() == 1
    assert referral.attachments.get().original_name == "verkeerd.pdf"
    assert_no_axe_violations(page)  # saved

    # Leaving with an unsaved change warns; the change is then not kept.
    page.get_by_label(re.compile("^Doelen")).fill("Niet bewaard")
    assert _leave_with(
        page, lambda: page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    ) == ["beforeunload"]
    referral.refresh_from_db()
    assert referral.goals == "Weer naar school"

    # Check your answers; a Change link goes to the field on the one-page form.
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/controleren/")
    expect(page.get_by_text("Weer naar school")).to_be_visible()
    assert_no_axe_violations(page)  # check your answers
    page.get_by_role("link", name="Wijzigen Doelen").click()
    page.wait_for_load_state()
    assert page.url.endswith("#id_goals")

    # The wrong file is removed after a confirm step.
    attachment = referral.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    page.get_by_role("link", name="Verwijderen verkeerd.pdf").click()
    assert_no_axe_violations(page)  # the confirm step
    page.get_by_role("button", name="Ja, verwijder de bijlage").click()
    page.wait_for_load_state()
    expect(page.get_by_text("De bijlage verkeerd.pdf is verwijderd.")).to_be_visible()
    assert not Attachment.objects.filter(referral=referral).exists() and not storage.exists(name)

    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/controleren/")
    page.get_by_role("button", name="Aanmelding indienen").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    # The district worker takes it up and adds a document.
    login(page, live_server, w.user("district_worker").email)
    page.goto(f"{live_server.url}/aanmeldingen/{referral.uuid}/")
    page.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state()
    page.locator("#id_document-file").set_input_files(files=_file("plan-wijkteam.pdf"))
    page.get_by_role("button", name="Document toevoegen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Het document is toegevoegd.")).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text(re.compile("bijlage verwijderd", re.I)).first).to_be_visible()
    expect(timeline.get_by_text("verkeerd.pdf").first).to_be_visible()
    expect(
        timeline.get_by_text(re.compile("document toegevoegd door het wijkteam", re.I)).first
    ).to_be_visible()
    expect(timeline.get_by_text("plan-wijkteam.pdf").first).to_be_visible()
    assert_no_axe_violations(page)  # the referral page with the team's document

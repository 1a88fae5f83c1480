"""Browser journeys for the work agenda, in Debian's Chromium, with axe-core on
every page and state: the steering member reads targets and actuals of the real Utrecht
agenda, an activity owner posts an "at risk" update, a meeting is recorded and the meeting
goal's actual goes from 1 to 2."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Activity, Meeting
from contacts.models import Role
from tests.agenda.factories import MeetingFactory
from tests.contacts import factories as f
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def utrecht():
    region = f.RegionFactory(code="UTR", name="Regio Utrecht")
    sub = f.SubregionFactory(code="UTR-STAD", name="Utrecht Stad", parent=region)
    municipality = f.MunicipalityFactory(cbs_code="GM0344", name="Utrecht", region=sub)
    partnership = f.PartnershipFactory(code="VO2690", name="SWV Voortgezet Utrecht", sector="vo", region=sub)
    pilot = f.SchoolFactory(
        name="Vso De Ster",
        school_type="vso",
        partnership=partnership,
        municipality=municipality,
        collective_funding_pilot=True,
    )
    f.SchoolFactory(name="So De Maan", school_type="so", partnership=partnership, municipality=municipality)
    f.ContactAssignmentFactory(school=pilot, valid_from=datetime.date(2026, 1, 1))
    call_command("load_agenda", "utrecht-2022", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    MeetingFactory(
        region=region, meeting_type="practitioner", date=datetime.date(today.year, 1, 1), place="Stadskantoor"
    )
    steering = f.make_member(
        Role.STEERING_MEMBER, region, email="begeleiding@example.test", full_name="Bram Visser"
    )
    director = f.make_member(
        Role.PARTNERSHIP_DIRECTOR, partnership, email="directeur@example.test", full_name="Dirk Dam"
    )
    activity = Activity.objects.get(ambition__number=1, number=1)
    activity.owner_partnership = partnership
    activity.impact, activity.added_value = 5, 4
    # In progress past its due date: every list shows the overdue marker (axe checks it too).
    activity.status, activity.due_date = "in_progress", today - datetime.timedelta(days=1)
    activity.save()
    return {"steering": steering, "director": director, "activity": activity, "today": today}


def goal_cells(page, code):
    row = page.locator(f'tr[data-goal="{code}"]')
    return row.locator(".agenda-target").inner_text().strip(), row.locator(
        ".agenda-actual"
    ).inner_text().strip()


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_steering_owner_and_meeting_journey(page, live_server, utrecht):
    # 1. The steering member opens the agenda through the navigation.
    login(page, live_server, "begeleiding@example.test")
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Werkagenda").click()
    assert page.locator("h1").inner_text() == "Werkagenda's"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Bovenregionale werkagenda jeugdhulp").click()
    assert_title_starts(page, "Bovenregionale werkagenda")
    expect(page.locator("h2", has_text=re.compile(r"^Ambitie \d$"))).to_have_count(3)
    expected = {
        "1.1": ("2 pilotscholen", "1"),  # one pilot school flagged
        "1.2": ("1 werkwijze", "zie activiteiten"),
        "2.1": ("1 aanmeldformulier", "zie activiteiten"),
        # (v)so schools De Ster and De Maan + municipality Utrecht = 3; only De Ster has a contact.
        "2.2": ("3 (v)so-scholen en gemeenten", "1 van 3"),
        "2.3": ("2 ontmoetingen per jaar", "1"),
        "3.1": ("1 leernetwerk", "zie activiteiten"),
        "3.2": ("1 inspiratiesessie per jaar", "0"),
        "3.3": ("1 startfoto per jaar", "zie activiteiten"),
    }
    for code, (target, actual) in expected.items():
        got_target, got_actual = goal_cells(page, code)
        assert got_target == target, code
        assert got_actual.startswith(actual), (code, got_actual)
    assert "onder streefwaarde" in goal_cells(page, "2.3")[1]
    assert_no_axe_violations(page)
    page.get_by_text("Welke knelpunten willen we met deze ambitie oplossen?").first.click()
    assert_no_axe_violations(page)

    # The quadrant: a real SVG with text, and the same data as a table.
    page.get_by_role("link", name="Kwadrant: impact × bovenregionale meerwaarde").click()
    expect(page.locator("svg[role=img] text", has_text="1.1")).to_have_count(1)
    assert (
        page.get_by_role("table")
        .get_by_role("cell", name="veel impact, veel bovenregionale meerwaarde")
        .count()
        == 1
    )
    assert_no_axe_violations(page)

    # Editing a goal: the error state is accessible too.
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/")
    page.get_by_role("link", name="Doelstelling bewerken 3.3").click()
    page.get_by_label("doelstelling").fill("")
    page.get_by_role("button", name="Doelstelling opslaan").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/activiteiten/nieuw/")
    page.get_by_role("button", name="Activiteit opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message").nth(2)).to_be_attached()
    assert_no_axe_violations(page)
    logout(page)

    # 2. The owner (partnership director) posts an "at risk" update.
    login(page, live_server, "directeur@example.test")
    page.goto(f"{live_server.url}/werkagenda/mijn-activiteiten/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Uitwerken concrete afspraken over collectieve financiering").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Voortgang opslaan").click()
    assert_title_starts(page, "Fout")
    expect(page.locator(".utrecht-form-field-error-message")).to_have_count(2)  # status and note
    assert_no_axe_violations(page)
    page.get_by_label("risico").check()
    page.get_by_label("Wat is er gebeurd").fill("De tweede pilotschool twijfelt nog over de financiering.")
    page.get_by_role("button", name="Voortgang opslaan").click()
    assert "Uw voortgangsmelding is opgeslagen." in page.locator(".tandem-messages").inner_text()
    assert "De tweede pilotschool twijfelt" in page.locator(".agenda-timeline").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Deze activiteit bewerken").click()
    assert_no_axe_violations(page)
    logout(page)

    # The steering member sees it on the agenda.
    login(page, live_server, "begeleiding@example.test")
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/")
    assert "risico" in page.locator('tr[data-goal="1.1"]').inner_text()
    assert "risico" in page.locator(f"#activity-{utrecht['activity'].pk}").inner_text()

    # 3. A meeting is recorded; the meeting goal's actual goes from 1 to 2.
    assert goal_cells(page, "2.3")[1].startswith("1")
    page.get_by_role("link", name="Bijeenkomsten dit jaar").click()
    year = utrecht["today"].year
    assert page.locator("h1").inner_text() == f"Bijeenkomsten {year}"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Bijeenkomst vastleggen").click()
    assert_no_axe_violations(page)
    page.get_by_label("datum").fill("")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.get_by_label("soort").select_option("practitioner")
    page.get_by_label("datum").fill(utrecht["today"].isoformat())
    page.get_by_role("textbox", name="plaats").fill("Wijkcentrum Overvecht")
    page.get_by_role("group", name="aanwezige scholen").get_by_label("Vso De Ster").check()
    page.get_by_role("group", name="georganiseerd door gemeenten").get_by_label("Utrecht").check()
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    assert "De bijeenkomst is opgeslagen." in page.locator(".tandem-messages").inner_text()
    held = page.locator('#meeting-summary tr[data-type="practitioner"] td').first.inner_text()
    assert held.startswith("2") and "streefwaarde gehaald" in held
    assert "Wijkcentrum Overvecht" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/")
    assert goal_cells(page, "2.3")[1].startswith("2")
    assert "streefwaarde gehaald" in goal_cells(page, "2.3")[1]


def test_agenda_pages_at_320_px(page, live_server, utrecht):
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, live_server, "directeur@example.test")
    paths = [
        "/werkagenda/",
        "/werkagenda/utrecht-2022/",
        "/werkagenda/utrecht-2022/kwadrant/",
        "/werkagenda/utrecht-2022/bijeenkomsten/",
        "/werkagenda/mijn-activiteiten/",
        f"/werkagenda/activiteit/{utrecht['activity'].pk}/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        if "bijeenkomsten" not in path and path != "/werkagenda/":
            assert page.get_by_text("streefdatum verstreken").count() >= 1, path
        assert_no_axe_violations(page)


def test_remaining_pages_and_error_states_are_accessible(page, live_server, utrecht):
    meeting = MeetingFactory(
        region=utrecht["activity"].ambition.agenda.region, date=datetime.date(2025, 5, 1)
    )
    login(page, live_server, "begeleiding@example.test")
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/bijeenkomsten/2025/")
    assert page.locator("h1").inner_text() == "Bijeenkomsten 2025"
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("^Bewerken")).click()
    assert page.locator("h1").inner_text() == "Bijeenkomst bewerken"
    assert page.get_by_label("datum").input_value() == "2025-05-01"
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="plaats").fill("x" * 200)
    page.get_by_label("datum").fill("")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    assert_title_starts(page, "Fout")
    # The error summary has focus and links to each field in error (ADR 0118).
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("^datum", re.I)).click()
    expect(page.locator("#id_date")).to_be_focused()
    assert_no_axe_violations(page)
    meeting.refresh_from_db()
    assert meeting.place == "Utrecht"

    page.goto(f"{live_server.url}/werkagenda/activiteit/{utrecht['activity'].pk}/bewerken/")
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="activiteit").fill("")
    page.get_by_role("button", name="Activiteit opslaan").click()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/werkagenda/doelstelling/{utrecht['activity'].goal.pk}/bewerken/")
    assert_no_axe_violations(page)
    logout(page)

    # A member who owns nothing sees an empty "my activities" page, and no edit links.
    f.make_member(Role.PRIVACY_OFFICER, utrecht["activity"].ambition.agenda.region, email="fg@example.test")
    login(page, live_server, "fg@example.test")
    page.goto(f"{live_server.url}/werkagenda/mijn-activiteiten/")
    assert "trekken geen activiteit" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/werkagenda/activiteit/{utrecht['activity'].pk}/")
    expect(page.get_by_role("button", name="Voortgang opslaan")).to_have_count(0)
    expect(page.get_by_role("link", name="Deze activiteit bewerken")).to_have_count(0)
    assert_no_axe_violations(page)


def test_meeting_form_lists_are_searchable_with_the_keyboard(page, live_server, utrecht):
    login(page, live_server, "begeleiding@example.test")
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/bijeenkomsten/nieuw/")
    # Each long list is a scroll box, so the form no longer runs to thousands of pixels.
    boxes = page.locator(".tandem-choices:has(input[data-choice-filter])")
    expect(boxes).to_have_count(6)  # the lists with options (no district team or provider here)
    for height in boxes.evaluate_all("(els) => els.map((el) => el.getBoundingClientRect().height)"):
        assert height <= 16 * 17 + 1
    assert_no_axe_violations(page)

    schools = page.get_by_role("group", name="aanwezige scholen")
    search = schools.get_by_role("searchbox", name="Zoek in deze lijst")
    status = schools.locator(".tandem-choice-filter__status")
    assert status.inner_text() == "2 van 2 getoond, 0 gekozen"
    search.focus()
    page.keyboard.type("maan")
    page.keyboard.press("Enter")  # filters only: the form is not submitted
    assert page.locator("h1").inner_text() == "Bijeenkomst vastleggen"
    expect(schools.get_by_label("So De Maan")).to_be_visible()
    expect(schools.get_by_label("Vso De Ster")).to_be_hidden()
    assert status.inner_text() == "1 van 2 getoond, 0 gekozen"
    page.keyboard.press("Tab")  # the hidden option is skipped: focus lands on the one shown
    assert page.evaluate("document.activeElement.labels[0].textContent").startswith("So De Maan")
    page.keyboard.press("Space")
    assert status.inner_text() == "1 van 2 getoond, 1 gekozen"
    assert_no_axe_violations(page)
    # Matching ignores case and accents, and every word must occur; clearing shows all again.
    activities = page.get_by_role("group", name=re.compile("activiteiten"))
    activities.get_by_role("searchbox").fill("COLLECTIEVE financiëring")
    shown = activities.locator(".utrecht-form-field:visible")
    expect(shown).not_to_have_count(0)
    for text in shown.all_inner_texts():
        assert "collectieve financiering" in text.lower()
    search.fill("")
    assert status.inner_text() == "2 van 2 getoond, 1 gekozen"
    assert schools.get_by_label("So De Maan").is_checked()

    page.get_by_label("soort").select_option("practitioner")
    page.get_by_label("datum").fill(utrecht["today"].isoformat())
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    assert "De bijeenkomst is opgeslagen." in page.locator(".tandem-messages").inner_text()
    meeting = Meeting.objects.get(date=utrecht["today"])
    assert [s.name for s in meeting.attending_schools.all()] == ["So De Maan"]


def test_meeting_form_without_javascript_keeps_every_option(browser, live_server, utrecht):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "begeleiding@example.test")
    page.goto(f"{live_server.url}/werkagenda/utrecht-2022/bijeenkomsten/nieuw/")
    expect(page.get_by_role("searchbox")).to_have_count(0)
    schools = page.get_by_role("group", name="aanwezige scholen")
    expect(schools.get_by_role("checkbox")).to_have_count(2)
    page.get_by_label("soort").select_option("practitioner")
    page.get_by_label("datum").fill(utrecht["today"].isoformat())
    schools.get_by_label("Vso De Ster").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    assert "De bijeenkomst is opgeslagen." in page.locator(".tandem-messages").inner_text()
    meeting = Meeting.objects.get(date=utrecht["today"])
    assert [s.name for s in meeting.attending_schools.all()] == ["Vso De Ster"]
    context.close()

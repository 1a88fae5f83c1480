"""Browser journeys for the network registry, in Debian's Chromium, axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import ContactAssignment, School
from tests.contacts import factories as f
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def network(world):
    f.ContactAssignmentFactory(
        school=world.school,
        person=f.PersonFactory(name="Carla Contact", phone="030 123 4567"),
        valid_from=JAN,
    )
    f.ContactAssignmentFactory(
        municipality=world.municipality, person=f.PersonFactory(name="Gijs Gemeente"), valid_from=JAN
    )
    return world


def test_find_a_school_by_part_of_its_name_and_see_who_to_call(page, live_server, network):
    w = network
    login(page, live_server, "privacy_officer@example.test")
    page.get_by_role("link", name="Netwerk", exact=True).click()
    expect(page.locator("h1")).to_have_text("Netwerkgids")
    assert_no_axe_violations(page)
    page.get_by_label("Zoek een school op naam, BRIN, postcode of persoon").fill("school Aa")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Basisschool Aan")).to_be_visible()
    expect(page.get_by_role("link", name="Basisschool Bee")).to_have_count(0)
    assert_no_axe_violations(page)
    # Typing in the list's own search box narrows the results without a submit (htmx).
    page.get_by_label("Zoeken", exact=True).fill("Basisschool Bee")
    expect(page.get_by_role("link", name="Basisschool Bee")).to_be_visible()
    expect(page.get_by_role("link", name="Basisschool Aan")).to_have_count(0)
    page.get_by_label("Zoeken", exact=True).fill("Basisschool Aa")
    page.get_by_role("link", name="Basisschool Aan").click()
    expect(page.locator("h1")).to_have_text("Basisschool Aan")
    main = page.locator("main")
    expect(main).to_contain_text("Wie bel ik waarvoor?")
    for name in (
        w.user("school_coordinator").person.name,  # IB-er
        w.user("district_worker").person.name,  # tandem partner
        "Carla Contact",  # the school's vaste contactpersoon
        "030 123 4567",
        "Gijs Gemeente",  # the municipality's vaste contactpersoon
        w.user("partnership_director").person.name,
    ):
        expect(main).to_contain_text(name)
    assert_no_axe_violations(page)


def test_registry_admin_imports_a_file_with_an_error_fixes_it_and_imports(page, live_server, world, tmp_path):
    header = "brin,vestiging,name,school_type,partnership_code,municipality_code,postcode\n"
    good = "92CD,00,Nieuwe Basisschool Cee,po,PO0901,GM0901,3511 CD\n"
    bad = "92CE,00,Foute School,po,PO9999,GM0901,3511 CE\n"
    path = tmp_path / "scholen.csv"
    path.write_text(header + good + bad, encoding="utf-8")
    login(page, live_server, "registry_admin@example.test")
    # Netwerk → Import: the network page links to the import for the registry administrator.
    page.get_by_role("link", name="Netwerk", exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("^Een bestand importeren")).click()
    expect(page.locator("h1")).to_have_text("Importeren in het register")
    assert_no_axe_violations(page)
    page.get_by_label("Wat staat er in het bestand").select_option(label="Scholen")
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 fout")
    errors = page.get_by_role("table", name="Fouten in het bestand")
    expect(errors).to_contain_text("partnership_code")
    expect(errors).to_contain_text("PO9999")
    expect(errors.locator("tbody th")).to_have_text(["3"])
    expect(page.get_by_role("button", name="Import bevestigen")).to_have_count(0)
    assert not School.objects.filter(brin__in=["92CD", "92CE"]).exists()
    assert_no_axe_violations(page)

    path.write_text(header + good + bad.replace("PO9999", "PO0901"), encoding="utf-8")
    page.get_by_label("Wat staat er in het bestand").select_option(label="Scholen")
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("status").filter(has_text="toe te voegen")).to_contain_text("2 toe te voegen")
    added = page.get_by_role("table", name="2 rijen toevoegen")
    expect(added.locator("tbody th")).to_have_text(["92CD · 00", "92CE · 00"])
    expect(added).to_contain_text("Nieuwe Basisschool Cee")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import bevestigen").click()
    expect(page.locator(".tandem-messages")).to_contain_text("2 toegevoegd")
    assert set(School.objects.filter(brin__in=["92CD", "92CE"]).values_list("name", flat=True)) == {
        "Nieuwe Basisschool Cee",
        "Foute School",
    }
    assert_no_axe_violations(page)

    # A second upload changes one row: the preview says which and what, old → new.
    path.write_text(
        header + good + bad.replace("PO9999", "PO0901").replace("Foute", "Goede"), encoding="utf-8"
    )
    page.goto(f"{live_server.url}/netwerk/import/")
    page.get_by_label("Wat staat er in het bestand").select_option(label="Scholen")
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()
    changed = page.get_by_role("table", name="1 rij wijzigen")
    expect(changed).to_contain_text("name: Foute School → Goede School")
    expect(page.get_by_role("table", name=re.compile("toevoegen"))).to_have_count(0)
    assert_no_axe_violations(page)

    # An invalid choice names the values that are valid.
    path.write_text(header + good.replace(",po,", ",basis,"), encoding="utf-8")
    page.get_by_label("Wat staat er in het bestand").select_option(label="Scholen")
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("table", name="Fouten in het bestand")).to_contain_text("geldige waarden: po (")
    assert_no_axe_violations(page)


def test_registry_admin_is_told_a_row_lies_in_another_region(page, live_server, world, tmp_path):
    """ADR 0147: a row of another region is an error on its row and column; nothing is imported."""
    abroad = world.abroad
    header = "brin,vestiging,name,school_type,partnership_code,municipality_code,postcode\n"
    row = f"82CD,00,School Elders,po,{abroad.partnership.code},{abroad.municipality.cbs_code},3511 CD\n"
    path = tmp_path / "scholen.csv"
    path.write_text(header + row, encoding="utf-8")
    login(page, live_server, "registry_admin@example.test")
    page.goto(f"{live_server.url}/netwerk/import/")
    page.get_by_label("Wat staat er in het bestand").select_option(label="Scholen")
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()
    errors = page.get_by_role("table", name="Fouten in het bestand")
    expect(errors).to_contain_text("municipality_code")
    expect(errors).to_contain_text("ligt in Regio Elders, niet in uw regio")
    expect(page.get_by_role("button", name="Import bevestigen")).to_have_count(0)
    assert not School.objects.filter(brin="82CD").exists()
    assert_no_axe_violations(page)


def test_school_coordinator_replaces_the_contact_and_the_old_one_shows_in_history(page, live_server, network):
    w = network
    newcomer = f.PersonFactory(name="Nadia Nieuwkomer", email="nadia@example.test")
    newcomer.schools.add(w.school)
    login(page, live_server, "school_coordinator@example.test")
    page.goto(f"{live_server.url}/netwerk/scholen/{w.school.pk}/")
    page.get_by_role("link", name="Vaste contactpersoon vervangen").first.click()
    expect(page.locator("h1")).to_contain_text("Vaste contactpersoon van Basisschool Aan")
    assert_no_axe_violations(page)
    # Error state: no person chosen.
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    expect(page.get_by_label(re.compile("Nieuwe vaste contactpersoon"))).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("Nieuwe vaste contactpersoon")).select_option(
        label="Nadia Nieuwkomer (nadia@example.test)"
    )
    page.get_by_label(re.compile("Vanaf")).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Basisschool Aan")
    expect(page.locator(".tandem-messages")).to_contain_text("vervangen")
    history = page.get_by_role("table", name="Geschiedenis van de vaste contactpersoon")
    expect(history).to_contain_text("Nadia Nieuwkomer")
    expect(history).to_contain_text("Carla Contact")
    assert ContactAssignment.objects.current().get(school=w.school).person == newcomer
    assert_no_axe_violations(page)


def test_every_registry_page_and_error_state_is_accessible(page, live_server, network):
    w = network
    person = f.PersonFactory(name="Pien Persoon")
    person.schools.add(w.school)
    f.ContactAssignmentFactory(
        partnership=w.partnership, valid_from=JAN, valid_to=timezone.localdate() + datetime.timedelta(days=5)
    )
    f.SchoolFactory(name="Vso Zonder Contact", school_type="vso", municipality=w.municipality)
    open_assignment = ContactAssignment.objects.get(school=w.school, valid_to=None)
    login(page, live_server, "registry_admin@example.test")
    base = f"{live_server.url}/netwerk"
    pages = [
        "/",
        *[
            f"/lijst/{k}/"
            for k in (
                "schools",
                "municipalities",
                "partnerships",
                "district_teams",
                "care_providers",
                "persons",
            )
        ],
        "/lijst/schools/?q=zzzz-geen",
        f"/scholen/{w.other_school.pk}/",
        f"/gemeenten/{w.municipality.pk}/",
        f"/samenwerkingsverbanden/{w.partnership.pk}/",
        f"/wijkteams/{w.district_team.pk}/",
        f"/zorgaanbieders/{w.care_provider.pk}/",
        f"/personen/{person.pk}/",
        f"/personen/{person.pk}/wijzigen/",
        "/personen/nieuw/",
        f"/contactpersoon/municipality/{w.municipality.pk}/vervangen/",
        f"/contactpersoon/{open_assignment.pk}/beeindigen/",
        f"/scholen/{w.school.pk}/tandem/",
        f"/tandems/{w.tandem.pk}/beeindigen/",
        "/dekking/",
        f"/dekking/?subregio={w.other_subregion.code}",
    ]
    for path in pages:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page)
    # Error states of the forms.
    page.goto(f"{base}/personen/nieuw/")
    page.get_by_label(re.compile("E-mailadres")).fill("geen-adres")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    assert_title_starts(page, "Fout")
    assert_no_axe_violations(page)
    page.goto(f"{base}/scholen/{w.school.pk}/tandem/")
    page.get_by_label(re.compile("Vanaf")).fill("1900-01-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{base}/contactpersoon/{open_assignment.pk}/beeindigen/")
    page.get_by_label(re.compile("Laatste dag")).fill("2020-01-01")
    page.get_by_role("button", name="Beëindigen").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{base}/import/")
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    assert_no_axe_violations(page)


def test_district_worker_changes_the_tandem_and_the_old_one_shows_in_history(page, live_server, network):
    w = network
    worker = w.user("district_worker").person
    colleague = f.PersonFactory(name="Kees Collega", email="kees@example.test")
    colleague.district_teams.add(w.district_team)
    ib = w.user("school_coordinator").person
    login(page, live_server, "district_worker@example.test")
    page.goto(f"{live_server.url}/netwerk/scholen/{w.school.pk}/")
    page.get_by_role("link", name="Tandem wijzigen").click()
    expect(page.locator("h1")).to_have_text("Tandem van Basisschool Aan")
    # Only the worker's own team can be chosen.
    expect(page.get_by_label(re.compile(r"^Wijkteam \(")).locator("option")).to_have_count(2)
    page.get_by_label(re.compile("Intern begeleider")).select_option(label=f"{ib.name} ({ib.email})")
    page.get_by_label(re.compile("^Wijkteammedewerker")).select_option(
        label="Kees Collega (kees@example.test)"
    )
    page.get_by_label(re.compile(r"^Wijkteam \(")).select_option(label="Wijkteam Aan")
    page.get_by_label(re.compile("Vanaf")).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".tandem-messages")).to_contain_text("tandem is opgeslagen")
    history = page.get_by_role("table", name="Geschiedenis van de tandem")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("Kees Collega")
    expect(history).to_contain_text(worker.name)
    assert_no_axe_violations(page)

"""Edit flows through the pages: replace a contact, tandems, persons; bad input never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import ContactAssignment, Person, Tandem
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db


def test_school_coordinator_replaces_the_contact_and_history_shows_the_old_one(world, client):
    old = f.PersonFactory(name="Oud Contact")
    f.ContactAssignmentFactory(school=world.school, person=old, valid_from=datetime.date(2026, 1, 1))
    new = f.PersonFactory(name="Nieuw Contact")
    client.force_login(world.user("school_coordinator"))
    url = reverse("contacts:assignment_replace", args=["school", world.school.pk])
    today = timezone.localdate()
    response = client.post(url, {"person": new.pk, "valid_from": today.isoformat()})
    assert response.status_code == 302
    assert ContactAssignment.objects.current().get(school=world.school).person == new
    html = client.get(response["Location"]).content.decode()
    assert "Oud Contact" in html and "Nieuw Contact" in html


@pytest.mark.parametrize(
    "data,field",
    [
        ({"person": "999999", "valid_from": "2026-03-01"}, "person"),
        ({"person": "abc", "valid_from": "2026-03-01"}, "person"),
        ({"valid_from": "2026-03-01"}, "person"),
        ({"person": "{p}", "valid_from": "2026-02-30"}, "valid_from"),
        ({"person": "{p}", "valid_from": "9999-12-31"}, "valid_from"),
        ({"person": "{p}", "valid_from": "2026-03-01\x00"}, "valid_from"),
        ({"person": "{p}", "backup": "{p}", "valid_from": "2026-03-01"}, "backup"),
        ({"person": "{p}", "valid_from": "2025-01-01"}, "valid_from"),  # before the current one
    ],
)
def test_bad_replacement_input_is_a_clear_error_and_changes_nothing(world, client, data, field):
    f.ContactAssignmentFactory(school=world.school, valid_from=datetime.date(2026, 1, 1))
    person = f.PersonFactory()
    data = {k: v.replace("{p}", str(person.pk)) for k, v in data.items()}
    client.force_login(world.user("registry_admin"))
    response = client.post(reverse("contacts:assignment_replace", args=["school", world.school.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ContactAssignment.objects.filter(school=world.school).count() == 1
    assert "aria-invalid" in response.content.decode()


def test_forbidden_replacement_is_403_and_unknown_target_404(world, client):
    client.force_login(world.user("other_school_coordinator"))
    url = reverse("contacts:assignment_replace", args=["school", world.school.pk])
    assert client.post(url, {"person": f.PersonFactory().pk, "valid_from": "2026-03-01"}).status_code == 403
    assert not ContactAssignment.objects.exists()
    client.force_login(world.user("registry_admin"))
    assert client.get(reverse("contacts:assignment_replace", args=["school", 999999])).status_code == 404
    assert (
        client.get(reverse("contacts:assignment_replace", args=["region", world.region.pk])).status_code
        == 404
    )


def test_end_assignment_via_page(world, client):
    a = f.ContactAssignmentFactory(municipality=world.municipality, valid_from=datetime.date(2026, 1, 1))
    client.force_login(world.user("municipal_officer"))
    url = reverse("contacts:assignment_end", args=[a.pk])
    assert client.post(url, {"valid_to": "2025-01-01"}).status_code == 200  # before start: error
    a.refresh_from_db()
    assert a.valid_to is None
    assert client.post(url, {"valid_to": "2026-06-30"}).status_code == 302
    a.refresh_from_db()
    assert a.valid_to == datetime.date(2026, 6, 30)
    assert client.get(url).status_code == 404  # no longer open


def test_district_worker_starts_a_tandem_only_for_their_own_team(world, client):
    school = f.SchoolFactory(municipality=world.municipality, partnership=world.partnership)
    ib = f.PersonFactory()
    worker = world.user("district_worker").person
    client.force_login(world.user("district_worker"))
    url = reverse("contacts:tandem_replace", args=[school.pk])
    response = client.post(
        url,
        {
            "school_coordinator": ib.pk,
            "district_worker": worker.pk,
            "district_team": world.other_district_team.pk,
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 200 and "district_team" in response.context["form"].errors
    response = client.post(
        url,
        {
            "school_coordinator": ib.pk,
            "district_worker": worker.pk,
            "district_team": world.district_team.pk,
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 302
    assert Tandem.objects.get(school=school, valid_to=None).district_team == world.district_team
    # The other team's worker may not touch it now.
    client.force_login(world.user("other_district_worker"))
    assert client.get(url).status_code == 403


def test_tandem_end_via_page(world, client):
    client.force_login(world.user("district_worker"))
    response = client.post(reverse("contacts:tandem_end", args=[world.tandem.pk]), {"valid_to": "2026-06-30"})
    assert response.status_code == 302
    world.tandem.refresh_from_db()
    assert world.tandem.valid_to == datetime.date(2026, 6, 30)


def test_person_create_and_edit(world, client):
    client.force_login(world.user("school_coordinator"))
    url = reverse("contacts:person_create")
    base = {"name": "Nora Nieuw", "email": "nora@example.test", "phone": "", "function": "IB-er"}
    # Another school's id is not a choice.
    response = client.post(url, {**base, "organisation": f"school:{world.other_school.pk}"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = client.post(url, {**base, "name": "x\x00y", "organisation": f"school:{world.school.pk}"})
    assert "name" in response.context["form"].errors
    response = client.post(url, {**base, "name": "x" * 5000, "organisation": f"school:{world.school.pk}"})
    assert "name" in response.context["form"].errors
    assert not Person.objects.filter(email="nora@example.test").exists()
    response = client.post(url, {**base, "organisation": f"school:{world.school.pk}"})
    assert response.status_code == 302
    person = Person.objects.get(email="nora@example.test")
    assert list(person.schools.all()) == [world.school]
    edit = reverse("contacts:person_edit", args=[person.pk])
    response = client.post(edit, {**base, "email": "geen-adres"})
    assert "email" in response.context["form"].errors
    response = client.post(edit, {**base, "phone": "030 765 4321"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "030 765 4321"
    client.force_login(world.user("other_school_coordinator"))
    assert client.post(edit, {**base, "phone": "1"}).status_code == 403


def test_registry_admin_creates_a_person_without_organisation(world, client):
    client.force_login(world.user("registry_admin"))
    response = client.post(
        reverse("contacts:person_create"),
        {"name": "Vrij Persoon", "email": "vrij@example.test", "organisation": ""},
    )
    assert response.status_code == 302
    assert Person.objects.filter(email="vrij@example.test").exists()


def test_registry_admin_edits_whom_a_person_works_for(world, client):
    person = f.PersonFactory(name="Wisselend Werk", email="wissel@example.test")
    person.schools.add(world.school)
    client.force_login(world.user("registry_admin"))
    url = reverse("contacts:person_edit", args=[person.pk])
    response = client.post(
        url,
        {
            "name": person.name,
            "email": person.email,
            "schools": [world.other_school.pk],
            "district_teams": [world.district_team.pk],
            "municipalities": ["999999"],
        },
    )
    assert "municipalities" in response.context["form"].errors  # unknown id: nothing changes
    assert list(person.schools.all()) == [world.school]
    response = client.post(
        url,
        {
            "name": person.name,
            "email": person.email,
            "schools": [world.other_school.pk],
            "district_teams": [world.district_team.pk],
        },
    )
    assert response.status_code == 302
    assert list(person.schools.all()) == [world.other_school]
    assert list(person.district_teams.all()) == [world.district_team]
    # A school coordinator edits details but not affiliations (the fields are not offered).
    client.force_login(world.user("other_school_coordinator"))
    response = client.post(url, {"name": "Nieuwe Naam", "email": person.email, "schools": [world.school.pk]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Nieuwe Naam"
    assert list(person.schools.all()) == [world.other_school]

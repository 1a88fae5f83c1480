"""Registry actions: permission first, then one transaction; history is kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts import services
from contacts.models import ContactAssignment, Tandem
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
MAR = datetime.date(2026, 3, 1)


def test_replacing_a_contact_closes_the_old_one_and_keeps_it(world):
    old = f.ContactAssignmentFactory(school=world.school, valid_from=JAN)
    new_person = f.PersonFactory()
    new = services.replace_contact_assignment(
        world.user("school_coordinator"), world.school, new_person, valid_from=MAR
    )
    old.refresh_from_db()
    assert old.valid_to == datetime.date(2026, 2, 28)
    assert new.valid_to is None and new.person == new_person
    assert new.created_by == world.user("school_coordinator")
    assert ContactAssignment.objects.filter(school=world.school).count() == 2
    # "Who was our contact in February?" — the old one.
    assert ContactAssignment.objects.current(datetime.date(2026, 2, 15)).get(school=world.school) == old
    assert ContactAssignment.objects.current(MAR).get(school=world.school) == new


def test_same_day_replacement_closes_the_old_one_on_its_first_day(world):
    old = f.ContactAssignmentFactory(school=world.school, valid_from=MAR)
    services.replace_contact_assignment(
        world.user("registry_admin"), world.school, f.PersonFactory(), valid_from=MAR
    )
    old.refresh_from_db()
    assert old.valid_to == MAR


def test_new_contact_cannot_start_before_the_current_one(world):
    f.ContactAssignmentFactory(school=world.school, valid_from=MAR)
    with pytest.raises(ValidationError) as exc:
        services.replace_contact_assignment(
            world.user("registry_admin"), world.school, f.PersonFactory(), valid_from=JAN
        )
    assert "valid_from" in exc.value.error_dict
    assert ContactAssignment.objects.filter(school=world.school).count() == 1


def test_backup_must_differ_from_contact(world):
    person = f.PersonFactory()
    with pytest.raises(ValidationError):
        services.replace_contact_assignment(world.user("registry_admin"), world.school, person, backup=person)


@pytest.mark.parametrize(
    "actor,target_attr,allowed",
    [
        ("registry_admin", "school", True),
        ("school_coordinator", "school", True),
        ("other_school_coordinator", "school", False),
        ("district_worker", "school", False),
        ("municipal_officer", "municipality", True),
        ("other_municipal_officer", "municipality", False),
        ("partnership_director", "partnership", True),
        ("other_partnership_director", "partnership", False),
        ("district_worker", "district_team", True),
        ("other_district_worker", "district_team", False),
        ("steering_member", "municipality", False),
        ("privacy_officer", "school", False),
    ],
)
def test_who_may_replace_a_contact(world, actor, target_attr, allowed):
    target = getattr(world, target_attr)
    call = lambda: services.replace_contact_assignment(world.user(actor), target, f.PersonFactory())  # noqa: E731
    if allowed:
        assert call().pk
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not ContactAssignment.objects.exists()


def test_end_contact_assignment(world):
    a = f.ContactAssignmentFactory(municipality=world.municipality, valid_from=JAN)
    with pytest.raises(PermissionDenied):
        services.end_contact_assignment(world.user("other_municipal_officer"), a, MAR)
    services.end_contact_assignment(world.user("municipal_officer"), a, MAR)
    a.refresh_from_db()
    assert a.valid_to == MAR
    with pytest.raises(ValidationError):
        services.end_contact_assignment(world.user("municipal_officer"), a, MAR)


def test_replace_tandem_keeps_history_and_checks_the_team(world):
    ib = world.user("school_coordinator").person
    worker = f.PersonFactory()
    with pytest.raises(PermissionDenied):
        # Another team may not take over this school's tandem.
        services.replace_tandem(
            world.user("other_district_worker"), world.school, ib, worker, world.other_district_team
        )
    new = services.replace_tandem(
        world.user("district_worker"), world.school, ib, worker, world.district_team, valid_from=MAR
    )
    world.tandem.refresh_from_db()
    assert world.tandem.valid_to == datetime.date(2026, 2, 28)
    assert Tandem.objects.current(MAR).get(school=world.school) == new
    assert Tandem.objects.filter(school=world.school).count() == 2


def test_district_worker_may_not_name_another_team(world):
    with pytest.raises(PermissionDenied):
        services.replace_tandem(
            world.user("district_worker"),
            world.school,
            world.user("school_coordinator").person,
            f.PersonFactory(),
            world.other_district_team,
        )


def test_tandem_partners_must_differ(world):
    ib = world.user("school_coordinator").person
    with pytest.raises(ValidationError):
        services.replace_tandem(world.user("registry_admin"), world.school, ib, ib, world.district_team)


def test_end_tandem(world):
    with pytest.raises(PermissionDenied):
        services.end_tandem(world.user("other_school_coordinator"), world.tandem)
    services.end_tandem(world.user("school_coordinator"), world.tandem, MAR)
    world.tandem.refresh_from_db()
    assert world.tandem.valid_to == MAR
    assert not Tandem.objects.current(datetime.date(2026, 3, 2)).filter(school=world.school).exists()


def test_create_and_update_person(world):
    coordinator = world.user("school_coordinator")
    person = services.create_person(
        coordinator,
        {"name": "Nina Nieuw", "email": " Nina@Example.TEST ", "phone": "", "function": "IB-er"},
        ("school", world.school),
    )
    assert person.email == "nina@example.test"
    assert list(person.schools.all()) == [world.school]
    services.update_person(coordinator, person, {"phone": "030 123 4567"})
    person.refresh_from_db()
    assert person.phone == "030 123 4567"
    with pytest.raises(PermissionDenied):
        services.update_person(world.user("other_school_coordinator"), person, {"phone": "1"})
    with pytest.raises(PermissionDenied):
        services.create_person(
            coordinator, {"name": "X", "email": "x@example.test"}, ("school", world.other_school)
        )
    with pytest.raises(PermissionDenied):
        services.create_person(world.user("steering_member"), {"name": "X", "email": "x@example.test"})
    with pytest.raises(ValidationError):
        services.create_person(
            coordinator, {"name": "Dup", "email": "NINA@example.test"}, ("school", world.school)
        )


def test_person_edits_themself(world):
    user = world.user("steering_member")
    services.update_person(user, user.person, {"function": "voorzitter"})
    user.person.refresh_from_db()
    assert user.person.function == "voorzitter"

""" "Who do I call for what" on a school's page: its coordinators are the people with a
current school-coordinator membership of the school, and the tandem's coordinator."""

import datetime

import pytest

from contacts.models import Membership, Role, Tandem
from contacts.selectors import who_to_call_for_school
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db


def _names(school):
    return [p.name for p in who_to_call_for_school(school)["coordinators"]]


def test_the_coordinators_are_the_current_members_and_the_tandems_coordinator_once_each(world):
    school = world.school
    current = f.make_member(Role.SCHOOL_COORDINATOR, school, full_name="Anna Actueel")
    former = f.make_member(Role.SCHOOL_COORDINATOR, school, full_name="Bert Vertrokken")
    Membership.objects.filter(user=former).update(ended_on=datetime.date(2026, 1, 31))
    elsewhere = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), full_name="Cor Elders")
    other_role = f.make_member(Role.DISTRICT_WORKER, world.district_team, full_name="Dien Wijkteam")
    open_tandem = Tandem.objects.filter(school=school, valid_to__isnull=True)
    open_tandem.update(school_coordinator=current.person)  # a member and the tandem's coordinator

    names = _names(school)
    assert names.count("Anna Actueel") == 1
    for absent in (former, elsewhere, other_role):
        assert absent.person.name not in names
    assert names == sorted(names)

    open_tandem.update(school_coordinator=f.PersonFactory(name="Eva Tandem"))
    assert {"Anna Actueel", "Eva Tandem"} <= set(_names(school))

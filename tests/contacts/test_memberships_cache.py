"""The memberships cache (ADR 0169): a request after the first reads a user's memberships from
the cache, and every change to a membership, an organisation, a region or a mediator is seen
by the very next request."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts import permissions as perms
from contacts import services
from contacts.models import Membership, Role, User
from escalations import permissions as escalation_perms
from escalations import services as escalation_services
from security import accesslog
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 600
    cache.delete(perms.MEMBERSHIPS_GENERATION_KEY)


def _fresh(user):
    """The user as the next request loads it: nothing cached on the object."""
    return User.objects.get(pk=user.pk)


def _membership_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q for q in ctx.captured_queries if 'FROM "contacts_membership"' in q["sql"]]


def test_a_second_request_reads_the_memberships_from_the_cache(cached, world, client):
    client.force_login(world.user("school_coordinator"))
    assert len(_membership_queries(client, reverse("home"))) == 1
    assert _membership_queries(client, reverse("home")) == []


def test_switched_off_every_request_asks_the_database(settings, world, client):
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 0
    client.force_login(world.user("school_coordinator"))
    client.get(reverse("home"))
    assert len(_membership_queries(client, reverse("home"))) == 1


def test_an_ended_membership_grants_nothing_from_the_next_request(
    cached, world, django_capture_on_commit_callbacks
):
    user = world.user("school_coordinator")
    assert perms.school_ids(_fresh(user)) == {world.school.pk}
    membership = Membership.objects.get(user=user, role=Role.SCHOOL_COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_membership(world.user("registry_admin"), membership, timezone.localdate())
    assert perms.school_ids(_fresh(user)) == set()
    assert perms.memberships(_fresh(user)) == []


def test_a_new_membership_counts_from_the_next_request(cached, world, django_capture_on_commit_callbacks):
    user = world.user("school_coordinator")
    assert perms.roles(_fresh(user)) == {Role.SCHOOL_COORDINATOR}
    with django_capture_on_commit_callbacks(execute=True):
        admin = world.user("registry_admin")
        services.add_membership(admin, user, Role.MUNICIPAL_OFFICER, world.municipality)
    assert perms.roles(_fresh(user)) == {Role.SCHOOL_COORDINATOR, Role.MUNICIPAL_OFFICER}


def test_a_renamed_school_shows_its_new_name(cached, world):
    user = world.user("school_coordinator")
    assert perms.memberships(_fresh(user))[0].school.name == world.school.name
    world.school.name = "De Nieuwe Naam"
    world.school.save()
    assert perms.memberships(_fresh(user))[0].school.name == "De Nieuwe Naam"


def test_a_change_in_the_region_above_reaches_the_cached_chain(cached, world):
    user = world.user("school_coordinator")
    region = perms.memberships(_fresh(user))[0].school.municipality.region
    region.name = "Andere regio"
    region.save()
    assert perms.memberships(_fresh(user))[0].school.municipality.region.name == "Andere regio"


def test_a_named_mediator_is_one_from_the_next_request(cached, world):
    colleague = world.user("steering_member")
    assert not escalation_perms.is_or_was_mediator(_fresh(colleague))
    admin = world.user("registry_admin")
    escalation_services.name_mediator(admin, region=world.region, mediator_user=colleague)
    assert escalation_perms.is_or_was_mediator(_fresh(colleague))


def test_a_flushed_cache_still_answers_from_the_database(cached, world):
    user = world.user("school_coordinator")
    perms.memberships(_fresh(user))
    cache.clear()
    assert perms.school_ids(_fresh(user)) == {world.school.pk}


def test_each_user_has_their_own_entry(cached, world):
    perms.memberships(_fresh(world.user("school_coordinator")))
    assert perms.roles(_fresh(world.user("district_worker"))) == {Role.DISTRICT_WORKER}


def test_the_access_log_reads_its_region_users_from_the_cache_and_sees_a_new_member_at_once(
    cached, world, django_capture_on_commit_callbacks
):
    officer = world.user("privacy_officer")
    users = accesslog.region_users(_fresh(officer))
    assert world.user("school_coordinator").pk in users
    next_request = _fresh(officer)
    with CaptureQueriesContext(connection) as ctx:
        assert accesslog.region_users(next_request) == users
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = f.make_member(Role.SCHOOL_COORDINATOR, world.school, email="nieuw@example.test")
    assert newcomer.pk in accesslog.region_users(_fresh(officer))


def test_the_organisation_choices_are_cached_and_a_new_school_is_offered_at_once(
    cached, world, django_capture_on_commit_callbacks
):
    from contacts.forms import organisation_choices

    admin = world.user("registry_admin")
    choices = organisation_choices(_fresh(admin))
    next_request = _fresh(admin)
    perms.memberships(next_request)
    with CaptureQueriesContext(connection) as ctx:
        assert organisation_choices(next_request) == choices
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        school = f.SchoolFactory(
            municipality=world.municipality, partnership=world.partnership, name="Nieuwe school"
        )
    schools = dict(organisation_choices(_fresh(admin)))["Scholen"]
    assert (f"school:{school.pk}", "Nieuwe school") in schools


def test_the_coverage_is_cached_and_a_new_assignment_counts_at_once(
    cached, world, django_capture_on_commit_callbacks
):
    from contacts.selectors import cached_coverage

    school = f.SchoolFactory(municipality=world.municipality, partnership=world.partnership, name="Zonder")
    before = cached_coverage(world.region)
    assert school in before.schools_without_tandem
    with CaptureQueriesContext(connection) as ctx:
        assert cached_coverage(world.region).schools_total == before.schools_total
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        f.TandemFactory(school=school, district_team=world.district_team)
    assert school not in cached_coverage(world.region).schools_without_tandem


def test_an_agenda_scope_reads_the_coverage_counts_from_the_cache(
    cached, world, django_capture_on_commit_callbacks
):
    from agenda.indicators import Scope

    def scope():
        return Scope.calendar_year(timezone.localdate().year, world.region)

    with django_capture_on_commit_callbacks(execute=True):
        school = f.SchoolFactory(municipality=world.municipality, partnership=world.partnership)
    counts = scope().coverage
    with CaptureQueriesContext(connection) as ctx:
        assert scope().coverage == counts
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        f.TandemFactory(school=school, district_team=world.district_team)
    assert scope().coverage.schools_with_tandem == counts.schools_with_tandem + 1


def test_the_norms_are_cached_and_a_new_norm_counts_at_once(
    cached, world, django_capture_on_commit_callbacks
):
    from contacts.norms import NormBook

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert NormBook().on(world.region.pk, tomorrow).is_default
    with CaptureQueriesContext(connection) as ctx:
        assert NormBook().on(world.region.pk, tomorrow).is_default
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        services.set_region_norms(world.user("steering_member"), world.region, tomorrow, 7, 25, 3)
    norms = NormBook().on(world.region.pk, tomorrow)
    assert (norms.decision_days, norms.help_started_days, norms.escalation_margin_days) == (7, 25, 3)
    # What is cached holds no password hash (the rows name who set them).
    assert "password" in norms.source.set_by.get_deferred_fields()


def test_the_tandem_schools_and_inbox_filters_are_cached_and_a_new_tandem_counts_at_once(
    cached, world, django_capture_on_commit_callbacks
):
    from referrals import permissions as referral_perms

    worker = world.user("district_worker")
    teams = perms.district_team_ids(worker)

    def choices():
        return referral_perms.inbox_filter_choices(_fresh(worker), [])

    schools, municipalities = choices()
    assert (world.school.pk, world.school.name) in schools
    assert municipalities == [(world.municipality.pk, world.municipality.name)]
    perms.memberships(_fresh(worker))
    with CaptureQueriesContext(connection) as ctx:
        assert referral_perms._tandem_school_ids(teams) == [world.school.pk]
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        school = f.SchoolFactory(municipality=world.municipality, partnership=world.partnership, name="Erbij")
        f.TandemFactory(school=school, district_team=world.district_team)
    assert sorted(referral_perms._tandem_school_ids(teams)) == sorted([world.school.pk, school.pk])
    assert [name for _pk, name in choices()[0]] == sorted([world.school.name, "Erbij"])
    with django_capture_on_commit_callbacks(execute=True):
        school.name = "Anders"
        school.save()
    assert (school.pk, "Anders") in choices()[0]


class _CountingGets:
    """cache.get, counting the keys asked for."""

    def __init__(self, monkeypatch):
        self.keys = []
        real = cache.get

        def get(key, *args, **kwargs):
            self.keys.append(key)
            return real(key, *args, **kwargs)

        monkeypatch.setattr(cache, "get", get)

    def registry_reads(self):
        generation = perms.MEMBERSHIPS_GENERATION_KEY
        return [k for k in self.keys if k.startswith("tandem:registry:") or k == generation]


def test_a_request_reads_each_registry_key_once(cached, world, client, monkeypatch):
    worker = world.user("district_worker")
    client.force_login(worker)
    client.get(reverse("referrals:inbox"))  # fills the cache
    gets = _CountingGets(monkeypatch)
    assert client.get(reverse("referrals:inbox")).status_code == 200
    reads = gets.registry_reads()
    # The inbox asks for the tandem schools twice and for the generation with every value.
    assert reads.count(perms.MEMBERSHIPS_GENERATION_KEY) == 1
    assert len(reads) == len(set(reads)) >= 3


def test_outside_a_request_every_call_reads_the_cache(cached, world, monkeypatch):
    teams = perms.district_team_ids(_fresh(world.user("district_worker")))
    from referrals import permissions as referral_perms

    referral_perms._tandem_school_ids(teams)
    gets = _CountingGets(monkeypatch)
    referral_perms._tandem_school_ids(teams)
    referral_perms._tandem_school_ids(teams)
    assert gets.registry_reads().count(perms.MEMBERSHIPS_GENERATION_KEY) == 2


def test_a_change_within_a_request_is_seen_by_the_rest_of_it(
    cached, world, django_capture_on_commit_callbacks
):
    from referrals import permissions as referral_perms

    teams = perms.district_team_ids(_fresh(world.user("district_worker")))
    perms.begin_request_memo()
    try:
        assert referral_perms._tandem_school_ids(teams) == [world.school.pk]
        with django_capture_on_commit_callbacks(execute=True):
            school = f.SchoolFactory(municipality=world.municipality, partnership=world.partnership)
            f.TandemFactory(school=school, district_team=world.district_team)
        assert sorted(referral_perms._tandem_school_ids(teams)) == sorted([world.school.pk, school.pk])
    finally:
        perms.end_request_memo()


def test_a_new_request_reads_what_another_process_changed(cached, world, client, monkeypatch):
    """Another process moves the generation on: the next request of this one reads the values
    of the new generation, whatever the previous request remembered."""
    client.force_login(world.user("district_worker"))
    client.get(reverse("referrals:inbox"))
    generation = cache.get(perms.MEMBERSHIPS_GENERATION_KEY)
    cache.incr(perms.MEMBERSHIPS_GENERATION_KEY)
    gets = _CountingGets(monkeypatch)
    client.get(reverse("referrals:inbox"))
    values = [k for k in gets.registry_reads() if k != perms.MEMBERSHIPS_GENERATION_KEY]
    assert values
    assert all(k.startswith(f"tandem:registry:{generation + 1}:") for k in values)

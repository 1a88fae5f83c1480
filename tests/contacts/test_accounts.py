"""Account management by the region's registry administrator (ADR 0137): the list and the
detail page, adding and ending memberships, deactivation, two-step reset; records are
append-only; a foreign region's account or membership is a 404."""

import datetime
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import permissions, services
from contacts.models import Invitation, Membership, MembershipRecord, Role
from escalations.permissions import decider_users
from portal.models import AccessLog, AppendOnlyError
from referrals.permissions import team_colleagues
from referrals.services import school_users
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(world):
    """A second region with an account of its own and a school."""
    region = f.RegionFactory(code="BTW", name="Regio Betuwe")
    sub = f.SubregionFactory(code="BTW-A", name="Betuwe", parent=region)
    municipality = f.MunicipalityFactory(cbs_code="GM0281", name="Tiel", region=sub)
    partnership = f.PartnershipFactory(code="PO0981", name="SWV Betuwe", region=sub)
    school = f.SchoolFactory(
        brin="98AA", name="Basisschool Appelgaard", partnership=partnership, municipality=municipality
    )
    user = f.make_member(Role.SCHOOL_COORDINATOR, school, email="ib@betuwe.example.test")
    return {"region": region, "school": school, "user": user, "membership": user.memberships.get()}


def admin(world):
    return world.user("registry_admin")


def ib(world):
    return world.user("school_coordinator")


# --- Services ---------------------------------------------------------------------------------


def test_add_membership_records_it(world):
    membership = services.add_membership(admin(world), ib(world), Role.SCHOOL_COORDINATOR, world.other_school)
    assert membership.school == world.other_school
    record = MembershipRecord.objects.get(kind=MembershipRecord.Kind.ADDED)
    assert record.actor == admin(world) and record.user == ib(world)
    assert record.membership == membership and record.region == world.region
    assert record.role == "school_coordinator" and record.organisation == str(world.other_school)


def test_a_role_the_organisation_cannot_hold_is_refused_at_the_role(world):
    with pytest.raises(ValidationError) as exc:
        services.add_membership(admin(world), ib(world), Role.DISTRICT_WORKER, world.school)
    assert "role" in exc.value.error_dict
    assert ib(world).memberships.count() == 1
    assert not MembershipRecord.objects.exists()


def test_a_duplicate_current_membership_is_refused_at_the_organisation(world):
    with pytest.raises(ValidationError) as exc:
        services.add_membership(admin(world), ib(world), Role.SCHOOL_COORDINATOR, world.school)
    assert "organisation" in exc.value.error_dict
    assert ib(world).memberships.count() == 1


def test_a_foreign_organisation_is_refused(world, foreign):
    with pytest.raises(ValidationError) as exc:
        services.add_membership(admin(world), ib(world), Role.SCHOOL_COORDINATOR, foreign["school"])
    assert "organisation" in exc.value.error_dict


def test_only_the_registry_admin_manages_accounts(world):
    with pytest.raises(PermissionDenied):
        services.add_membership(
            world.user("steering_member"), ib(world), Role.SCHOOL_COORDINATOR, world.other_school
        )
    with pytest.raises(PermissionDenied):
        services.deactivate_account(world.user("privacy_officer"), ib(world))


def test_a_foreign_regions_account_is_404_for_the_services(world, foreign):
    with pytest.raises(Http404):
        services.deactivate_account(admin(world), foreign["user"])
    with pytest.raises(Http404):
        services.end_membership(admin(world), foreign["membership"], timezone.localdate())
    foreign["user"].refresh_from_db()
    assert foreign["user"].is_active


def test_ending_a_membership_keeps_it_and_it_grants_nothing_any_more(world):
    membership = ib(world).memberships.get()
    today = timezone.localdate()
    services.end_membership(admin(world), membership, today)
    membership.refresh_from_db()
    assert membership.ended_on == today
    fresh = type(ib(world)).objects.get(pk=ib(world).pk)
    assert permissions.memberships(fresh) == []
    assert permissions.school_ids(fresh) == set()
    record = MembershipRecord.objects.get(kind=MembershipRecord.Kind.ENDED)
    assert record.ended_on == today and record.membership == membership
    # The ended membership does not block a new one for the same role and school.
    again = services.add_membership(admin(world), fresh, Role.SCHOOL_COORDINATOR, world.school)
    assert Membership.objects.filter(user=fresh).count() == 2
    assert list(Membership.objects.current().filter(user=fresh)) == [again]


def test_an_ended_membership_no_longer_receives_the_schools_notices(world):
    referral = SimpleNamespace(school_id=world.school.pk)
    assert ib(world) in school_users(referral)
    services.end_membership(admin(world), ib(world).memberships.get(), timezone.localdate())
    assert ib(world) not in school_users(referral)


def test_an_ended_membership_is_no_team_colleague_nor_decider(world):
    worker, officer = world.user("district_worker"), world.user("municipal_officer")
    referral = SimpleNamespace(routed_team_id=world.district_team.pk)
    escalation = SimpleNamespace(partnership_id=world.partnership.pk, municipality_id=world.municipality.pk)
    assert worker in team_colleagues(referral) and officer in decider_users(escalation)
    for user in (worker, officer):
        services.end_membership(admin(world), user.memberships.get(), timezone.localdate())
    assert worker not in team_colleagues(referral)
    assert officer not in decider_users(escalation)


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "Kies vandaag of een eerdere dag"), (-400, "kan niet eindigen voordat hij begon")],
)
def test_an_end_date_in_the_future_or_before_the_start_is_refused(world, days, message):
    membership = ib(world).memberships.get()
    with pytest.raises(ValidationError) as exc:
        services.end_membership(
            admin(world), membership, timezone.localdate() + datetime.timedelta(days=days)
        )
    assert message in str(exc.value.error_dict["ended_on"])
    membership.refresh_from_db()
    assert membership.ended_on is None
    assert not MembershipRecord.objects.exists()


def test_an_ended_membership_cannot_be_ended_again(world):
    membership = ib(world).memberships.get()
    services.end_membership(admin(world), membership, timezone.localdate())
    with pytest.raises(ValidationError):
        services.end_membership(admin(world), membership, timezone.localdate())
    assert MembershipRecord.objects.count() == 1


def _session_of(client, user):
    client.force_login(user)
    return client.session.session_key


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_deactivation_ends_every_session_of_the_account(world, client, settings, engine):
    settings.SESSION_ENGINE = engine
    key = _session_of(Client(), ib(world))
    other = _session_of(Client(), world.user("district_worker"))
    services.deactivate_account(admin(world), ib(world))
    user = type(ib(world)).objects.get(pk=ib(world).pk)
    assert not user.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=other).exists()
    # Gone from the session cache too (cached_db): the ended session is not found at all.
    store = import_module(engine).SessionStore
    assert not store(session_key=key).exists(key) and store(session_key=other).exists(other)
    assert store(session_key=key).load() == {}
    assert MembershipRecord.objects.get().kind == MembershipRecord.Kind.DEACTIVATED
    services.reactivate_account(admin(world), user)
    user.refresh_from_db()
    assert user.is_active
    assert MembershipRecord.objects.filter(kind=MembershipRecord.Kind.REACTIVATED).count() == 1


def test_the_admin_cannot_deactivate_themself(world):
    with pytest.raises(ValidationError):
        services.deactivate_account(admin(world), admin(world))
    admin(world).refresh_from_db()
    assert admin(world).is_active


def test_an_account_with_roles_in_another_region_is_not_deactivated_here(world, foreign):
    shared = foreign["user"]
    Membership.objects.create(user=shared, role=Role.SCHOOL_COORDINATOR, school=world.other_school)
    with pytest.raises(ValidationError):
        services.deactivate_account(admin(world), shared)
    shared.refresh_from_db()
    assert shared.is_active


def test_two_factor_reset_removes_the_devices(world):
    user = ib(world)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    StaticDevice.objects.create(user=user, name="recovery")
    services.reset_account_two_factor(admin(world), user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert MembershipRecord.objects.get().kind == MembershipRecord.Kind.TWO_FACTOR_RESET


def test_records_are_append_only(world):
    services.add_membership(admin(world), ib(world), Role.SCHOOL_COORDINATOR, world.other_school)
    record = MembershipRecord.objects.get()
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        MembershipRecord.objects.update(role="")
    with pytest.raises(AppendOnlyError):
        MembershipRecord.objects.all().delete()


# --- Pages ------------------------------------------------------------------------------------


def test_the_list_shows_the_regions_accounts_only(world, foreign, client):
    client.force_login(admin(world))
    response = client.get(reverse("contacts:accounts"))
    body = response.content.decode()
    assert ib(world).email in body
    assert foreign["user"].email not in body


def test_a_person_in_two_regions_shows_only_this_regions_memberships(world, foreign, client):
    shared = foreign["user"]
    Membership.objects.create(user=shared, role=Role.SCHOOL_COORDINATOR, school=world.other_school)
    client.force_login(admin(world))
    for url in (reverse("contacts:accounts"), reverse("contacts:account_detail", args=[shared.pk])):
        body = client.get(url).content.decode()
        assert world.other_school.name in body
        assert foreign["school"].name not in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "other_school"}, "other_school_coordinator@", "district_worker@"),
        ({"role": "district_worker"}, "district_worker@", "school_coordinator@"),
        ({"two_factor": "yes"}, "school_coordinator@", "district_worker@"),
        ({"last_login": "never"}, "district_worker@", ">school_coordinator@example.test<"),
        ({"active": "no"}, "district_worker@", "school_coordinator@"),
    ],
)
def test_the_list_filters(world, client, query, shown, hidden):
    TOTPDevice.objects.create(user=ib(world), name="phone", confirmed=True)
    ib(world).last_login = timezone.now()
    ib(world).save(update_fields=["last_login"])
    if query.get("active"):
        services.deactivate_account(admin(world), world.user("district_worker"))
    client.force_login(admin(world))
    body = client.get(reverse("contacts:accounts"), query).content.decode()
    assert shown in body
    assert hidden not in body


def test_the_list_filters_by_organisation(world, client):
    client.force_login(admin(world))
    body = client.get(
        reverse("contacts:accounts"), {"organisation": f"school:{world.school.pk}"}
    ).content.decode()
    assert "school_coordinator@example.test" in body
    assert "other_school_coordinator@" not in body


def test_a_bad_filter_value_gives_a_message_not_a_500(world, client):
    client.force_login(admin(world))
    response = client.get(reverse("contacts:accounts"), {"role": "boss\x00", "organisation": "school:x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    # A digit that int() does not read ("²") is a bad choice too, not a 500.
    response = client.get(reverse("contacts:accounts"), {"organisation": "school:\u00b2"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_list_query_count_is_pinned(world, client):
    client.force_login(admin(world))
    schools = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(schools)
            user = f.make_member(Role.SCHOOL_COORDINATOR, world.school, email=f"extra{i}@example.test")
            Membership.objects.create(user=user, role=Role.SCHOOL_COORDINATOR, school=world.other_school)
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            _invite(user.memberships.first(), days=7 if i % 2 else -1)

    assert_queries_pinned(client, reverse("contacts:accounts"), add, expected=EXPECTED_LIST_QUERIES)


def test_the_list_query_count_with_the_registry_cache_is_pinned(world, client, settings):
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 600
    client.force_login(admin(world))
    url = reverse("contacts:accounts")
    schools = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(schools)
            user = f.make_member(Role.SCHOOL_COORDINATOR, world.school, email=f"extra{i}@example.test")
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            _invite(user.memberships.first(), days=7)
        client.get(url)  # the region's new accounts are cached again

    assert_queries_pinned(client, url, add, expected=EXPECTED_LIST_CACHED_QUERIES)


def test_the_list_shows_a_new_account_of_the_region_at_once_with_the_cache_on(world, client, settings):
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 600
    client.force_login(admin(world))
    url = reverse("contacts:accounts")
    assert "qwirijn@example.test" not in client.get(url).content.decode()
    f.make_member(Role.SCHOOL_COORDINATOR, world.school, email="qwirijn@example.test")
    assert "qwirijn@example.test" in client.get(url).content.decode()
    # An account of another region's school is not listed.
    foreign = f.SchoolFactory()
    f.make_member(Role.SCHOOL_COORDINATOR, foreign, email="elders@example.test")
    assert "elders@example.test" not in client.get(url).content.decode()


# The invitation state is a subquery of the accounts query itself: no query more. The cache off
# (settings_test): the region's account and membership ids and the filter's options are queries.
EXPECTED_LIST_QUERIES = 12
EXPECTED_LIST_CACHED_QUERIES = 5  # session, user, count, page, memberships


def _invite(membership, days, accepted=False, invited_by=None):
    """An invitation of an existing membership made 8 days ago, expiring `days` from now
    (negative: expired), whose link was not e-mailed."""
    invitation, _token = f.invite(
        membership, days=days, invited_days_ago=8, accepted=accepted, invited_by=invited_by, emailed=False
    )
    return invitation


@pytest.fixture
def invited(world, foreign):
    """school_coordinator: pending; other_school_coordinator: expired; district_worker: an
    accepted one; the foreign account holds a role here too, with only an expired invitation in
    the other region (which never counts here)."""
    _invite(ib(world).memberships.get(), days=5, invited_by=admin(world))
    _invite(world.user("other_school_coordinator").memberships.get(), days=-2, invited_by=admin(world))
    _invite(world.user("district_worker").memberships.get(), days=-20, accepted=True)
    shared = foreign["user"]
    Membership.objects.create(user=shared, role=Role.SCHOOL_COORDINATOR, school=world.other_school)
    _invite(foreign["membership"], days=-3)
    return shared


def _emails(response):
    return {account.email for account in response.context["page"].rows}


@pytest.mark.parametrize(
    ("value", "shown", "hidden"),
    [
        ("pending", {"school_coordinator"}, {"other_school_coordinator", "district_worker"}),
        ("expired", {"other_school_coordinator"}, {"school_coordinator", "district_worker"}),
        ("none", {"district_worker"}, {"school_coordinator", "other_school_coordinator"}),
    ],
)
def test_the_list_filters_by_invitation(world, invited, client, value, shown, hidden):
    client.force_login(admin(world))
    emails = _emails(client.get(reverse("contacts:accounts"), {"invitation": value}))
    assert {world.user(role).email for role in shown} <= emails
    assert not {world.user(role).email for role in hidden} & emails
    # The other region's expired invitation never counts here: the shared account has none.
    assert (invited.email in emails) == (value == "none")


def test_the_list_shows_the_invitation_state(world, invited, client):
    client.force_login(admin(world))
    rows = {a.email: a for a in client.get(reverse("contacts:accounts")).context["page"].rows}
    assert rows[ib(world).email].invitation_state == "pending"
    assert rows[world.user("other_school_coordinator").email].invitation_state == "expired"
    assert rows[world.user("district_worker").email].invitation_state == "none"
    assert rows[invited.email].invitation_state == "none"
    body = client.get(reverse("contacts:accounts"), {"q": "school_coordinator@"}).content.decode()
    assert "in afwachting tot" in body and "verlopen op" in body


def test_a_bad_invitation_filter_value_gives_a_message_not_a_500(world, client):
    client.force_login(admin(world))
    response = client.get(reverse("contacts:accounts"), {"invitation": "expired\x00"})
    assert response.status_code == 200
    assert "invitation" in response.context["form"].errors


def test_the_detail_page_shows_this_regions_invitations_only(world, invited, client):
    client.force_login(admin(world))
    response = client.get(reverse("contacts:account_detail", args=[invited.pk]))
    assert response.context["invitations"] == []
    assert "Opnieuw versturen" not in response.content.decode()
    response = client.get(reverse("contacts:account_detail", args=[ib(world).pk]))
    [invitation] = response.context["invitations"]
    body = response.content.decode()
    assert "in afwachting tot" in body and escape(admin(world).full_name) in body
    assert "Opnieuw versturen" in body
    accepted = client.get(reverse("contacts:account_detail", args=[world.user("district_worker").pk]))
    body = accepted.content.decode()
    assert "aangenomen op" in body and "Opnieuw versturen" not in body


def test_sending_again_from_the_detail_page_returns_there(
    world, invited, client, django_capture_on_commit_callbacks, mailoutbox
):
    person = world.user("other_school_coordinator")
    invitation = Invitation.objects.get(user=person)
    detail = reverse("contacts:account_detail", args=[person.pk])
    client.force_login(admin(world))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contacts:invitation_resend", args=[invitation.pk]), {"next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    invitation.refresh_from_db()
    assert invitation.state() == Invitation.State.OPEN and invitation.times_sent == 2
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [person.email]
    body = client.get(detail).content.decode()
    assert "in afwachting tot" in body and "verlopen op" not in body


@pytest.mark.parametrize(
    "target", ["", "https://evil.example/", "//evil.example/x", "/netwerk/\x00", "javascript:alert(1)"]
)
def test_sending_again_never_goes_to_another_site(world, invited, client, target):
    invitation = Invitation.objects.get(user=world.user("other_school_coordinator"))
    client.force_login(admin(world))
    response = client.post(reverse("contacts:invitation_resend", args=[invitation.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("contacts:invite")


def test_adding_a_membership_through_the_form(world, client):
    client.force_login(admin(world))
    url = reverse("contacts:membership_add", args=[ib(world).pk])
    response = client.post(
        url, {"role": "school_coordinator", "organisation": f"school:{world.other_school.pk}"}
    )
    assert response.status_code == 302
    assert ib(world).memberships.filter(school=world.other_school).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "district_worker", "organisation": "school:{school}"}, "role"),
        ({"role": "school_coordinator", "organisation": "school:{school}"}, "organisation"),
        ({"role": "school_coordinator\x00", "organisation": "school:{school}"}, "role"),
        ({"role": "school_coordinator", "organisation": "school:{foreign}"}, "organisation"),
        ({"role": "school_coordinator", "organisation": ""}, "organisation"),
    ],
)
def test_bad_input_on_the_add_form_gives_a_message_at_the_field(world, foreign, client, data, field):
    client.force_login(admin(world))
    data = {k: v.format(school=world.school.pk, foreign=foreign["school"].pk) for k, v in data.items()}
    response = client.post(reverse("contacts:membership_add", args=[ib(world).pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ib(world).memberships.count() == 1
    assert not MembershipRecord.objects.exists()


def test_ending_through_the_form_and_a_bad_date(world, client):
    client.force_login(admin(world))
    membership = ib(world).memberships.get()
    url = reverse("contacts:membership_end", args=[membership.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"ended_on": tomorrow.isoformat()})
    assert response.status_code == 200 and "ended_on" in response.context["form"].errors
    response = client.post(url, {"ended_on": "2026-13-45\x00"})
    assert response.status_code == 200 and "ended_on" in response.context["form"].errors
    response = client.post(url, {"ended_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    # An ended membership has nothing left to end.
    assert client.get(url).status_code == 404


def test_the_two_factor_reset_is_access_logged(world, client):
    client.force_login(admin(world))
    TOTPDevice.objects.create(user=ib(world), name="phone", confirmed=True)
    response = client.post(reverse("contacts:account_reset_two_factor", args=[ib(world).pk]))
    assert response.status_code == 302
    entry = AccessLog.objects.get(activity="two_factor_reset")
    assert entry.user == admin(world) and entry.object_id == str(ib(world).pk)
    assert entry.action == AccessLog.Action.CHANGE
    assert not TOTPDevice.objects.filter(user=ib(world)).exists()


@pytest.mark.parametrize(
    "name", ["account_detail", "membership_add", "account_deactivate", "account_reset_two_factor"]
)
def test_a_foreign_regions_account_is_404(world, foreign, client, name):
    client.force_login(admin(world))
    method = client.get if name in ("account_detail", "membership_add") else client.post
    assert method(reverse(f"contacts:{name}", args=[foreign["user"].pk])).status_code == 404
    foreign["user"].refresh_from_db()
    assert foreign["user"].is_active


def test_a_foreign_regions_membership_is_404(world, foreign, client):
    client.force_login(admin(world))
    url = reverse("contacts:membership_end", args=[foreign["membership"].pk])
    assert client.post(url, {"ended_on": timezone.localdate().isoformat()}).status_code == 404
    foreign["membership"].refresh_from_db()
    assert foreign["membership"].ended_on is None


def test_a_person_in_two_regions_is_managed_here_for_this_regions_roles_only(world, foreign):
    shared = foreign["user"]
    own = Membership.objects.create(user=shared, role=Role.SCHOOL_COORDINATOR, school=world.other_school)
    services.end_membership(admin(world), own, timezone.localdate())
    own.refresh_from_db()
    foreign["membership"].refresh_from_db()
    assert own.ended_on == timezone.localdate()
    assert foreign["membership"].ended_on is None
    with pytest.raises(Http404):
        services.end_membership(admin(world), foreign["membership"], timezone.localdate())


def test_a_role_in_another_region_does_not_make_its_accounts_manageable(world, client):
    """The registry administrator manages the accounts of the region they administer, not of
    another region where they hold some other role."""
    elsewhere = f.SchoolFactory()
    keeper = admin(world)
    Membership.objects.create(user=keeper, role=Role.SCHOOL_COORDINATOR, school=elsewhere)
    foreign = f.make_member(Role.SCHOOL_COORDINATOR, elsewhere, email="elders@example.test")
    client.force_login(keeper)
    assert "elders@example.test" not in client.get(reverse("contacts:accounts")).content.decode()
    assert client.get(reverse("contacts:account_detail", args=[foreign.pk])).status_code == 404


def test_a_role_cannot_be_added_in_another_region_where_the_admin_holds_a_role(world):
    from django.core.exceptions import ValidationError

    from contacts import services

    elsewhere = f.SchoolFactory()
    keeper = admin(world)
    Membership.objects.create(user=keeper, role=Role.SCHOOL_COORDINATOR, school=elsewhere)
    account = ib(world)
    with pytest.raises(ValidationError):
        services.add_membership(keeper, account, Role.SCHOOL_COORDINATOR, elsewhere)
    assert not Membership.objects.filter(user=account, school=elsewhere).exists()

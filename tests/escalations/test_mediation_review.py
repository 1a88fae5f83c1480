"""Mediation before escalation, the review of ADR 0149 (ADR 0162): a mediation the referral's own
course overtakes is closed; the preconditions hold on the locked row; an escalated dispute takes
no mediation outcome; the mediator's grant costs nobody else a subquery; candidates hold a
current membership; the mediator's view of the texts ends with the access to the referral."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts import permissions as contact_permissions
from contacts.models import Invitation, Membership, Role
from escalations import permissions as perms
from escalations import services
from escalations.models import Escalation, Mediation
from portal.models import AccessLog
from referrals import services as referral_services
from referrals.models import Referral, ReferralEvent, Status
from referrals.permissions import visible_referrals
from referrals.workflow import TransitionNotAllowed
from tests.contacts import factories as cf
from tests.escalations.fixtures import (
    decide,
    named_mediator,
    open_mediation,
    recorded_mediation,
)
from tests.helpers.queries import assert_queries_pinned, count_queries

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request sees it (memberships and flags not cached yet)."""
    return type(user).objects.get(pk=user.pk)


def _overtaken(mediation):
    mediation.refresh_from_db()
    return mediation.state == Mediation.State.OVERTAKEN and mediation.recorded_at is not None


# --- 1. An open mediation is closed when the referral's course overtakes it --------------------


def test_the_automatic_escalation_closes_the_open_mediation(world):
    mediation = open_mediation(world)
    escalation = services.auto_escalate_referral(mediation.referral, 10)
    assert escalation is not None
    assert _overtaken(mediation) and mediation.recorded_by is None
    event = ReferralEvent.objects.get(referral=mediation.referral, action="mediation_overtaken")
    assert event.from_status == event.to_status == Status.ESCALATED
    # The mediator's access to the referral ends with it; the escalation is offered no outcome.
    assert mediation.referral not in visible_referrals(_fresh(world.user("steering_member")))
    assert not perms.can_record_outcome(world.user("steering_member"), mediation)


def test_withdrawing_the_referral_closes_the_open_mediation(world):
    mediation = open_mediation(world)
    referral_services.withdraw(world.user("school_coordinator"), mediation.referral, "Ouders verhuizen.")
    assert _overtaken(mediation) and mediation.recorded_by == world.user("school_coordinator")
    event = ReferralEvent.objects.get(referral=mediation.referral, action="mediation_overtaken")
    assert event.to_status == Status.WITHDRAWN


def test_a_lapse_closes_the_open_mediation(world):
    mediation = open_mediation(world)
    referral_services.lapse(None, Referral.objects.get(pk=mediation.referral_id))
    assert _overtaken(mediation)
    assert ReferralEvent.objects.filter(referral=mediation.referral, action="mediation_overtaken").exists()


def test_a_move_within_the_mediations_reach_leaves_it_open(world):
    mediation = open_mediation(world)
    referral_services.return_with_question(world.user("district_worker"), mediation.referral, "Graag het OPP")
    mediation.refresh_from_db()
    assert mediation.state == Mediation.State.OPEN
    assert not ReferralEvent.objects.filter(action="mediation_overtaken").exists()


# --- 2. raise_escalation checks again after taking the row lock --------------------------------


def test_raising_checks_the_offer_again_on_the_locked_row(world):
    mediation = open_mediation(world)
    real = perms.escalation_offer
    calls = []

    def stale_first(referral, today=None):
        # The first check ran before the mediator was asked; every later one sees the row.
        calls.append(referral)
        return perms.EscalationOffer(True) if len(calls) == 1 else real(referral, today)

    with mock.patch.object(perms, "escalation_offer", side_effect=stale_first):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.raise_escalation(
                world.user("district_worker"),
                mediation.referral,
                reason="grey_funding",
                position="Onderwijs.",
            )
    assert "bemiddelaar" in str(refused.value) or "mediator" in str(refused.value)
    assert len(calls) == 2
    assert not Escalation.objects.exists()
    assert Referral.objects.get(pk=mediation.referral_id).status == Status.IN_TRIAGE


def test_raising_checks_the_status_again_on_the_locked_row(world):
    referral = open_mediation(world).referral
    Mediation.objects.filter(referral=referral).update(
        state=Mediation.State.NOT_SETTLED, recorded_at=timezone.now()
    )
    stale = Referral.objects.get(pk=referral.pk)
    referral_services.withdraw(world.user("school_coordinator"), referral, "Niet meer nodig.")
    with pytest.raises((TransitionNotAllowed, PermissionDenied)):
        services.raise_escalation(
            world.user("school_coordinator"), stale, reason="grey_funding", position="x"
        )
    assert not Escalation.objects.exists()


# --- 3. No outcome once the dispute went to the deciders ---------------------------------------


def _reopen(mediation):
    """A mediation left open by the code before ADR 0162 (an escalation did not close it)."""
    Mediation.objects.filter(pk=mediation.pk).update(state=Mediation.State.OPEN, recorded_at=None)
    return Mediation.objects.select_related("mediator__user").get(pk=mediation.pk)


@pytest.mark.parametrize("settled", [True, False])
def test_no_outcome_is_recorded_on_an_escalated_dispute(world, settled):
    mediation = open_mediation(world)
    services.auto_escalate_referral(mediation.referral, 10)
    mediation = _reopen(mediation)
    events = ReferralEvent.objects.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        recorded_mediation(world, settled=settled, mediation=mediation)
    assert "deciders" in str(refused.value) or "beslissers" in str(refused.value)
    mediation.refresh_from_db()
    assert mediation.state == Mediation.State.OPEN and mediation.outcome_note == ""
    assert ReferralEvent.objects.count() == events


@pytest.mark.parametrize("settled", [True, False])
def test_no_outcome_is_recorded_on_a_decided_dispute(world, settled):
    mediation = open_mediation(world)
    escalation = services.auto_escalate_referral(mediation.referral, 10)
    decide(world, escalation, assign_help=False)
    mediation = _reopen(mediation)
    referral = Referral.objects.get(pk=mediation.referral_id)
    assert referral.status == Status.IN_TRIAGE  # back in the flow: the transition would allow it
    with pytest.raises(TransitionNotAllowed):
        recorded_mediation(world, settled=settled, mediation=mediation)
    mediation.refresh_from_db()
    assert mediation.state == Mediation.State.OPEN
    assert Referral.objects.get(pk=referral.pk).status == Status.IN_TRIAGE


def test_the_mediation_page_says_why_no_outcome_can_be_recorded(world, client):
    mediation = open_mediation(world)
    services.auto_escalate_referral(mediation.referral, 10)
    mediation = _reopen(mediation)
    client.force_login(world.user("steering_member"))
    response = client.post(
        reverse("escalations:mediation", args=[mediation.pk]), {"outcome": "not_settled", "note": "Nee."}
    )
    assert response.status_code == 200
    assert "beslissers" in response.content.decode()
    assert Mediation.objects.get(pk=mediation.pk).state == Mediation.State.OPEN


# --- 4. The mediator's grant: no subquery for anybody else --------------------------------------


def _sql(user):
    return str(visible_referrals(_fresh(user)).query)


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "district_worker", "partnership_director", "municipal_officer"]
)
def test_other_users_referral_query_has_no_mediation_subquery(world, actor):
    named_mediator(world)  # somebody else is a mediator
    assert "escalations_mediation" not in _sql(world.user(actor))


def test_a_mediator_and_a_former_one_get_the_grant(world):
    admin, steering = world.user("registry_admin"), world.user("steering_member")
    mediation = open_mediation(world)
    assert "escalations_mediation" in _sql(steering)
    assert mediation.referral in visible_referrals(_fresh(steering))
    # Ended as mediator, the mediation already asked keeps them (ADR 0149).
    services.end_mediator(admin, mediation.mediator)
    assert mediation.referral in visible_referrals(_fresh(steering))


def _queries_of_visible_referrals(user):
    with CaptureQueriesContext(connection) as ctx:
        list(visible_referrals(_fresh(user)))
    return [q["sql"] for q in ctx.captured_queries]


def test_the_flag_costs_no_query(world):
    mediation = open_mediation(world)
    for actor in ("district_worker", "school_coordinator"):
        user = world.user(actor)
        _queries_of_visible_referrals(user)  # warm Django's own caches
        with_flag = _queries_of_visible_referrals(user)
        with mock.patch.dict(contact_permissions._USER_FLAGS, clear=True):
            without = _queries_of_visible_referrals(user)
        assert len(with_flag) == len(without), actor
    # The mediator: the user, the memberships (the flag a column of it) and the referrals.
    tables = [sql.split(".", 1)[0] for sql in _queries_of_visible_referrals(world.user("steering_member"))]
    assert tables == ['SELECT "contacts_user"', 'SELECT "contacts_membership"', 'SELECT "referrals_referral"']
    assert mediation.referral in visible_referrals(_fresh(world.user("steering_member")))


# --- 5. Candidates hold a current membership ------------------------------------------------


def test_someone_whose_membership_in_the_region_ended_is_no_candidate(world):
    admin = world.user("registry_admin")
    former = cf.make_member(Role.SCHOOL_COORDINATOR, world.school, email="vertrokken@example.test")
    Membership.objects.filter(user=former).update(ended_on=timezone.localdate())
    assert former not in perms.mediator_candidates([world.region.pk])
    assert world.user("steering_member") in perms.mediator_candidates([world.region.pk])
    with pytest.raises(ValidationError) as refused:
        services.name_mediator(admin, region=world.region, mediator_user=former)
    assert "user" in refused.value.message_dict


# --- 6. The mediator reads the texts only while the referral is shared with them ---------------


def _page(client, user, mediation):
    client.force_login(user)
    return client.get(reverse("escalations:mediation", args=[mediation.pk])).content.decode()


QUESTION = "Wie betaalt de begeleiding in de klas?"


def test_the_mediator_no_longer_reads_the_texts_after_the_outcome(world, client):
    mediation = recorded_mediation(world, settled=False)
    steering = world.user("steering_member")
    html = _page(client, steering, mediation)
    assert QUESTION not in html and "Afgesproken met beide partijen." not in html
    assert 'id="mediation-texts-hidden"' in html
    assert not AccessLog.objects.filter(user=steering, action=AccessLog.Action.VIEW).exists()
    # The parties still read them.
    school = _page(client, world.user("school_coordinator"), mediation)
    assert QUESTION in school and "Afgesproken met beide partijen." in school


def test_the_mediator_no_longer_reads_the_texts_after_the_sharing_stopped(world, client):
    mediation = open_mediation(world)
    Referral.objects.filter(pk=mediation.referral_id).update(sharing_stopped_at=timezone.now())
    html = _page(client, world.user("steering_member"), mediation)
    assert QUESTION not in html and 'id="mediation-texts-hidden"' in html
    assert QUESTION in _page(client, world.user("school_coordinator"), mediation)


def test_the_mediator_reads_the_texts_while_open_and_shared(world, client):
    mediation = open_mediation(world)
    assert QUESTION in _page(client, world.user("steering_member"), mediation)


# --- 8. Pinned query counts ------------------------------------------------------------------


def test_the_mediators_page_query_count_is_pinned(world, client):
    admin = world.user("registry_admin")
    client.force_login(admin)
    url = reverse("escalations:mediators")
    people = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(people)
            user = cf.make_member(Role.STEERING_MEMBER, world.region, email=f"bemiddelaar{i}@example.test")
            services.name_mediator(admin, region=world.region, mediator_user=user)

    add(1)
    count, _queries = count_queries(client, url)
    assert count <= 12
    assert_queries_pinned(client, url, add, expected=count)
    assert client.get(url).content.decode().count("bemiddelaar") >= 12


def test_the_account_page_query_count_is_pinned(world, client):
    admin = world.user("registry_admin")
    client.force_login(admin)
    account = world.user("school_coordinator")
    url = reverse("contacts:account_detail", args=[account.pk])
    schools = iter(range(100))

    def add(n):
        for _ in range(n):
            school = cf.SchoolFactory(municipality=world.municipality, partnership=world.partnership)
            membership = Membership.objects.create(user=account, role=Role.SCHOOL_COORDINATOR, school=school)
            if next(schools) % 2:
                Membership.objects.filter(pk=membership.pk).update(ended_on=timezone.localdate())
            now = timezone.now()
            Invitation.objects.create(
                user=account,
                membership=membership,
                invited_by=admin,
                created_at=now,
                expires_at=now + datetime.timedelta(days=7),
                token_hash=f"{membership.pk:064d}",
            )

    add(1)
    count, _queries = count_queries(client, url)
    assert count <= 14
    assert_queries_pinned(client, url, add, expected=count)

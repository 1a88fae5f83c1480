"""Mediation before escalation (ADR 0149): the region's mediators, asking one, the outcome, and
what the referral and the escalation do with it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from contacts.models import Role
from escalations import permissions as perms
from escalations import services
from escalations.models import CarriedBy, Mediation, Mediator
from escalations.retention import anonymise_mediations
from portal.models import Notification
from referrals.models import ReferralEvent, Status
from referrals.permissions import access_membership, visible_referrals
from referrals.workflow import TransitionNotAllowed
from tests.contacts import factories as cf
from tests.escalations.fixtures import (
    escalatable_referral_in,
    named_mediator,
    open_escalation,
    open_mediation,
    recorded_mediation,
    referral_in,
)

pytestmark = pytest.mark.django_db


def _kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- Naming and ending mediators ---------------------------------------------------------------


def test_the_registry_admin_names_and_ends_a_mediator_of_the_own_region(world):
    admin, steering = world.user("registry_admin"), world.user("steering_member")
    mediator = services.name_mediator(admin, region=world.region, mediator_user=steering)
    assert (mediator.region, mediator.user, mediator.named_by, mediator.ended_at) == (
        world.region,
        steering,
        admin,
        None,
    )
    referral = escalatable_referral_in(world)
    assert list(perms.mediators_for(referral)) == [mediator]
    with pytest.raises(ValidationError) as twice:
        services.name_mediator(admin, region=world.region, mediator_user=steering)
    assert "user" in twice.value.message_dict
    ended = services.end_mediator(admin, mediator)
    assert ended.ended_at is not None and ended.ended_by == admin
    assert list(perms.mediators_for(referral)) == []
    with pytest.raises(TransitionNotAllowed):
        services.end_mediator(admin, ended)
    # Ended, the person may be named again.
    assert services.name_mediator(admin, region=world.region, mediator_user=steering).ended_at is None


def test_only_people_of_the_region_and_only_by_its_registry_admin(world):
    admin = world.user("registry_admin")
    foreign_region = cf.RegionFactory(code="VRR", name="Verre regio")
    stranger = cf.make_member(Role.STEERING_MEMBER, foreign_region, email="ver@example.test")
    with pytest.raises(ValidationError) as not_here:
        services.name_mediator(admin, region=world.region, mediator_user=stranger)
    assert "user" in not_here.value.message_dict
    with pytest.raises(PermissionDenied):
        services.name_mediator(admin, region=foreign_region, mediator_user=stranger)
    for actor in ("steering_member", "partnership_director", "privacy_officer"):
        with pytest.raises(PermissionDenied):
            services.name_mediator(world.user(actor), region=world.region, mediator_user=stranger)
    foreign_admin = cf.make_member(Role.REGISTRY_ADMIN, foreign_region, email="verbeheer@example.test")
    mediator = named_mediator(world)
    with pytest.raises(PermissionDenied):
        services.end_mediator(foreign_admin, mediator)
    assert Mediator.objects.get(pk=mediator.pk).ended_at is None


# --- Asking a mediator -------------------------------------------------------------------------


def test_a_party_asks_a_mediator_and_the_mediator_and_other_side_are_told(world):
    referral = escalatable_referral_in(world)
    mediation = open_mediation(world, referral)
    assert mediation.state == Mediation.State.OPEN
    assert (mediation.asked_side, mediation.asked_by) == ("school", world.user("school_coordinator"))
    event = ReferralEvent.objects.get(referral=referral, action="mediation_asked")
    assert event.from_status == event.to_status == Status.IN_TRIAGE
    assert _kinds(world.user("steering_member")) == ["mediation_asked"]
    assert _kinds(world.user("district_worker")) == ["mediation_asked_party"]
    assert _kinds(world.user("school_coordinator")) == []
    texts = " ".join(f"{n.subject} {n.body}" for n in Notification.objects.all())
    assert referral.child_first_name not in texts and "begeleiding" not in texts
    assert Notification.objects.filter(url=reverse("escalations:mediation", args=[mediation.pk])).count() == 2


def test_asking_has_the_moment_of_escalating_and_one_mediation_at_a_time(world):
    named_mediator(world)
    early = referral_in(world, "submitted")
    with pytest.raises(PermissionDenied):
        open_mediation_without_waiting(world, early)
    referral = escalatable_referral_in(world)
    with pytest.raises(PermissionDenied):
        services.ask_mediator(
            world.user("other_school_coordinator"),
            referral,
            mediator=named_mediator(world),
            question="Wie betaalt?",
        )
    open_mediation(world, referral)
    offer = perms.escalation_offer(referral)
    with translation.override("en"):
        assert not offer.offered and offer.mediating and "mediator" in offer.explanation
    with pytest.raises(PermissionDenied):
        open_escalation(world, referral)
    with pytest.raises(PermissionDenied):
        open_mediation(world, referral, actor="district_worker")
    assert Mediation.objects.filter(referral=referral).count() == 1


def open_mediation_without_waiting(world, referral):
    return services.ask_mediator(
        world.user("school_coordinator"), referral, mediator=named_mediator(world), question="Wie betaalt?"
    )


def test_a_mediator_of_another_region_or_oneself_cannot_be_asked(world):
    referral = escalatable_referral_in(world)
    foreign_region = cf.RegionFactory(code="VRR", name="Verre regio")
    stranger = cf.make_member(Role.STEERING_MEMBER, foreign_region, email="ver@example.test")
    foreign_admin = cf.make_member(Role.REGISTRY_ADMIN, foreign_region, email="verbeheer@example.test")
    foreign = services.name_mediator(foreign_admin, region=foreign_region, mediator_user=stranger)
    own = named_mediator(world, actor="school_coordinator")
    for mediator in (foreign, own):
        with pytest.raises(ValidationError) as refused:
            services.ask_mediator(world.user("school_coordinator"), referral, mediator=mediator, question="?")
        assert "mediator" in refused.value.message_dict
    assert not Mediation.objects.exists()
    assert not ReferralEvent.objects.filter(action="mediation_asked").exists()


def test_the_mediator_reads_the_referral_while_the_mediation_is_open(world):
    mediation = open_mediation(world)
    referral, steering = mediation.referral, world.user("steering_member")
    assert referral in visible_referrals(steering)
    assert access_membership(steering, referral).role == Role.STEERING_MEMBER
    assert referral not in visible_referrals(world.user("other_partnership_director"))
    recorded_mediation(world, settled=False, mediation=mediation)
    steering = type(steering).objects.get(pk=steering.pk)
    assert referral not in visible_referrals(steering)
    # The record of the mediation stays visible to the mediator, as a decider's decision.
    assert mediation in perms.visible_mediations(steering)


# --- The outcome -----------------------------------------------------------------------------


def test_settled_with_help_the_referral_goes_to_accepted(world):
    mediation = open_mediation(world)
    done = recorded_mediation(world, mediation=mediation, carried_by=CarriedBy.SHARED, assign_help=True)
    assert done.state == Mediation.State.SETTLED and done.recorded_at is not None
    assert (done.carried_by, done.assign_help, done.recorded_by) == (
        CarriedBy.SHARED,
        True,
        world.user("steering_member"),
    )
    referral = done.referral
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.decided_at is not None
    event = ReferralEvent.objects.get(referral=referral, action="mediation_settled")
    assert (event.from_status, event.to_status) == (Status.IN_TRIAGE, Status.ACCEPTED)
    assert _kinds(world.user("school_coordinator")) == ["mediation_settled"]
    assert "mediation_settled" in _kinds(world.user("district_worker"))


@pytest.mark.parametrize(
    ("status", "after"),
    [("returned", Status.IN_TRIAGE), ("accepted", Status.ACCEPTED), ("in_triage", Status.IN_TRIAGE)],
)
def test_settled_without_help_the_referral_continues_where_it_was(world, status, after):
    mediation = open_mediation(world, escalatable_referral_in(world, status))
    done = recorded_mediation(world, mediation=mediation, carried_by=CarriedBy.EDUCATION)
    done.referral.refresh_from_db()
    assert done.referral.status == after


def test_settled_needs_who_carries_it_and_only_the_mediator_records(world):
    mediation = open_mediation(world)
    with pytest.raises(ValidationError) as missing:
        services.record_mediation_outcome(world.user("steering_member"), mediation, settled=True)
    assert "carried_by" in missing.value.message_dict
    for actor in ("school_coordinator", "district_worker", "partnership_director", "registry_admin"):
        with pytest.raises(PermissionDenied):
            services.record_mediation_outcome(
                world.user(actor), mediation, settled=True, carried_by=CarriedBy.EDUCATION
            )
    mediation.refresh_from_db()
    assert mediation.state == Mediation.State.OPEN
    assert not ReferralEvent.objects.filter(action__startswith="mediation_s").exists()
    recorded_mediation(world, settled=False, mediation=mediation)
    with pytest.raises(PermissionDenied):
        recorded_mediation(world, settled=True, mediation=Mediation.objects.get(pk=mediation.pk))


def test_a_referral_escalated_meanwhile_cannot_be_settled(world):
    mediation = open_mediation(world)
    Mediation.objects.filter(pk=mediation.pk).update(
        state=Mediation.State.NOT_SETTLED, recorded_at=mediation.asked_at
    )
    open_escalation(world, mediation.referral)
    Mediation.objects.filter(pk=mediation.pk).update(state=Mediation.State.OPEN, recorded_at=None)
    with pytest.raises(TransitionNotAllowed):
        recorded_mediation(world, mediation=Mediation.objects.get(pk=mediation.pk))
    assert Mediation.objects.get(pk=mediation.pk).state == Mediation.State.OPEN


def test_not_settled_escalation_is_offered_and_shows_that_mediation_was_tried(world, client):
    mediation = recorded_mediation(world, settled=False)
    referral = mediation.referral
    event = ReferralEvent.objects.get(referral=referral, action="mediation_not_settled")
    assert event.from_status == event.to_status == Status.IN_TRIAGE
    assert _kinds(world.user("school_coordinator")) == ["mediation_not_settled"]
    assert perms.escalation_offer(referral).offered
    escalation = open_escalation(world, referral, actor="district_worker")
    client.force_login(world.user("partnership_director"))
    page = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert 'id="mediation-tried"' in page and "Afgesproken met beide partijen." in page


def test_the_texts_are_blanked_with_the_referrals_personal_data(world):
    mediation = recorded_mediation(world, settled=False)
    anonymise_mediations([mediation.referral_id])
    mediation.refresh_from_db()
    assert (mediation.question, mediation.outcome_note) == ("", "")
    assert mediation.state == Mediation.State.NOT_SETTLED

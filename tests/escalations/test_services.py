"""Escalation rules: raise, positions, decide, precedents (ADR 0060, 0061)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contacts.models import Role
from escalations import permissions as perms
from escalations import services
from escalations.models import CarriedBy, Decision, Escalation, Precedent, Side, age_band
from portal.models import Notification
from referrals.models import ReferralEvent, Status
from referrals.workflow import TransitionNotAllowed, transition
from tests.contacts import factories as cf
from tests.escalations.fixtures import (
    decide,
    open_escalation,
    past_the_norm,
    referral_in,
)
from tests.referrals.factories import GuardianFactory

pytestmark = pytest.mark.django_db


def _kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def _all_notification_text():
    return " ".join(f"{n.subject} {n.body} {n.url}" for n in Notification.objects.all())


@pytest.mark.parametrize("status", ["submitted", "in_triage", "returned", "accepted"])
def test_school_coordinator_raises_and_deciders_and_other_side_are_notified(world, status):
    referral = referral_in(world, status)
    escalation = open_escalation(world, referral, other_position="Het wijkteam vindt dit onderwijs.")
    referral.refresh_from_db()
    assert referral.status == Status.ESCALATED
    assert referral.status_before_escalation == status
    assert escalation.state == Escalation.State.OPEN
    assert escalation.raised_side == Side.SCHOOL
    assert (escalation.partnership, escalation.municipality) == (world.partnership, world.municipality)
    assert escalation.other_position_by is None
    assert _kinds(world.user("partnership_director")) == ["escalation_raised"]
    assert _kinds(world.user("municipal_officer")) == ["escalation_raised"]
    assert _kinds(world.user("district_worker")) == ["escalation_raised_party"]
    assert _kinds(world.user("school_coordinator")) == []
    assert _kinds(world.user("other_partnership_director")) == []
    event = ReferralEvent.objects.filter(referral=referral, action="escalate").get()
    assert event.to_status == Status.ESCALATED
    text = _all_notification_text() + event.note
    assert referral.child_first_name not in text and referral.child_last_name not in text


def test_district_worker_raises_for_its_side(world):
    escalation = open_escalation(world, actor="district_worker", reason="capacity")
    assert escalation.raised_side == Side.DISTRICT_TEAM
    assert _kinds(world.user("school_coordinator")) == ["escalation_raised_party"]


def test_deciders_come_from_the_home_municipality_not_the_school_location(world):
    referral = referral_in(world, "in_triage", home_municipality=world.other_municipality)
    escalation = open_escalation(world, referral)
    assert escalation.municipality == world.other_municipality
    assert _kinds(world.user("other_municipal_officer")) == ["escalation_raised"]
    assert _kinds(world.user("municipal_officer")) == []


@pytest.mark.parametrize("actor", ["other_school_coordinator", "partnership_director", "steering_member"])
def test_outsiders_cannot_raise(world, actor):
    referral = past_the_norm(referral_in(world, "in_triage"))
    assert perms.escalation_offer(referral).offered
    with pytest.raises(PermissionDenied):
        services.raise_escalation(world.user(actor), referral, reason="other", position="x")
    assert not Escalation.objects.exists()


@pytest.mark.parametrize("status", ["draft", "help_started"])
def test_cannot_raise_outside_the_escalatable_states(world, status):
    referral = referral_in(world, status)
    with pytest.raises(PermissionDenied):
        services.raise_escalation(world.user("school_coordinator"), referral, reason="other", position="x")


@pytest.mark.parametrize("status", ["submitted", "in_triage"])
@pytest.mark.parametrize("actor", ["school_coordinator", "district_worker"])
def test_escalation_is_refused_before_the_team_answered_or_the_norm_passed(world, status, actor):
    """ADR 0141: right after submission the team has not looked yet; the service refuses with
    a message that says from when escalating becomes possible, and nothing changes."""
    referral = referral_in(world, status)
    offer = perms.escalation_offer(referral)
    assert not offer.offered and offer.opens_on is not None
    assert not perms.can_raise(world.user(actor), referral)
    assert perms.may_raise_as_party(world.user(actor), referral)
    with pytest.raises(PermissionDenied, match="beslisnorm is verstreken"):
        services.raise_escalation(world.user(actor), referral, reason="other", position="x")
    referral.refresh_from_db()
    assert referral.status == status and not Escalation.objects.exists()
    assert not ReferralEvent.objects.filter(referral=referral, action="escalate").exists()


@pytest.mark.parametrize("status", ["returned", "accepted"])
def test_escalation_is_offered_once_the_team_has_answered(world, status):
    referral = referral_in(world, status)
    assert perms.escalation_offer(referral).offered
    assert perms.can_raise(world.user("school_coordinator"), referral)


def test_an_answered_question_keeps_escalation_open_after_resubmission(world):
    referral = referral_in(world, "returned")
    referral = transition(referral, "resubmit", world.user("school_coordinator"))
    assert referral.status == Status.SUBMITTED
    assert perms.escalation_offer(referral).offered


def test_escalation_is_offered_when_the_decision_norm_passed(world):
    referral = referral_in(world, "in_triage")
    offer = perms.escalation_offer(referral)
    assert not offer.offered
    # The day it opens is the first working day past the norm.
    assert perms.escalation_offer(referral, today=offer.opens_on).offered
    before = offer.opens_on - datetime.timedelta(days=1)
    assert not perms.escalation_offer(referral, today=before).offered


def test_a_second_raise_on_an_escalated_referral_is_refused(world):
    escalation = open_escalation(world)
    with pytest.raises(PermissionDenied):
        open_escalation(world, escalation.referral)
    assert Escalation.objects.count() == 1


def test_the_other_side_adds_its_position_once_open_only(world):
    escalation = open_escalation(world)
    with pytest.raises(PermissionDenied):
        services.add_position(world.user("school_coordinator"), escalation, "nog eens")
    escalation = services.add_position(world.user("district_worker"), escalation, "Dit is onderwijs.")
    assert escalation.other_position == "Dit is onderwijs."
    assert escalation.other_position_by == world.user("district_worker")
    assert ReferralEvent.objects.filter(action="escalation_position").count() == 1
    assert "escalation_position" in _kinds(world.user("partnership_director"))
    decide(world, escalation)
    escalation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_position(world.user("district_worker"), escalation, "te laat")


def test_decision_resumes_to_accepted_drafts_a_precedent_and_ends_deciders_access(world):
    escalation = open_escalation(world)
    director = world.user("partnership_director")
    assert perms.may_read_referral(director, escalation)
    decision = decide(world, escalation, carried_by=CarriedBy.YOUTH_CARE)
    escalation.refresh_from_db()
    referral = escalation.referral
    referral.refresh_from_db()
    assert escalation.state == Escalation.State.DECIDED and escalation.decided_at
    assert referral.status == Status.ACCEPTED
    assert decision.agreed_by == world.user("municipal_officer")
    event = ReferralEvent.objects.filter(referral=referral, action="resume").get()
    assert event.to_status == Status.ACCEPTED
    assert str(CarriedBy.YOUTH_CARE.label) in event.note
    assert referral.child_first_name not in event.note
    assert decision.help not in event.note
    # The deciders' access ends; the parties keep theirs.
    assert not perms.may_read_referral(director, escalation)
    assert not perms.may_see_positions(director, escalation)
    assert perms.may_see_positions(world.user("district_worker"), escalation)
    # The draft copies facts only, never free text.
    precedent = Precedent.objects.get(decision=decision)
    assert precedent.status == Precedent.Status.DRAFT
    assert (precedent.reason, precedent.carried_by, precedent.school_type) == (
        "grey_funding",
        "youth_care",
        "po",
    )
    assert precedent.age_band == age_band(referral.child_date_of_birth, timezone.localdate())
    assert list(precedent.domains.values_list("domain", flat=True)) == ["behaviour"]
    assert (precedent.title, precedent.summary, precedent.outcome, precedent.rationale, precedent.split) == (
        "",
        "",
        "",
        "",
        "",
    )
    # Youth care carries it: the district team is the responsible side.
    assert "escalation_decided_responsible" in _kinds(world.user("district_worker"))
    assert "escalation_decided" in _kinds(world.user("school_coordinator"))
    assert "escalation_decided" in _kinds(world.user("municipal_officer"))


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("submitted", "submitted"),
        ("in_triage", "in_triage"),
        ("returned", "in_triage"),
        ("accepted", "accepted"),
    ],
)
def test_a_decision_without_help_resumes_where_the_referral_was(world, before, expected):
    escalation = open_escalation(world, referral_in(world, before))
    decide(world, escalation, assign_help=False)
    escalation.referral.refresh_from_db()
    assert escalation.referral.status == expected


def test_agreement_must_come_from_a_decider_of_the_other_side(world):
    escalation = open_escalation(world)
    for wrong in ("partnership_director", "other_municipal_officer", "school_coordinator"):
        with pytest.raises(ValidationError):
            decide(world, escalation, actor="partnership_director", agreed=wrong)
    with pytest.raises(ValidationError):
        services.decide(
            world.user("municipal_officer"),
            escalation,
            agreed_by=None,
            help="h",
            carried_by="education",
            rationale="r",
            carry_out_by=timezone.localdate(),
        )
    assert not Decision.objects.exists()
    decide(world, escalation, actor="municipal_officer", agreed="partnership_director")
    assert Decision.objects.get().agreed_by == world.user("partnership_director")


def test_shared_needs_a_split_and_non_deciders_cannot_decide(world):
    escalation = open_escalation(world)
    with pytest.raises(ValidationError):
        decide(world, escalation, carried_by=CarriedBy.SHARED, split=" ")
    for actor in ("other_partnership_director", "school_coordinator", "district_worker"):
        with pytest.raises(PermissionDenied):
            decide(world, escalation, actor=actor)
    assert not Decision.objects.exists()


def test_a_decider_without_a_counterpart_account_decides_alone(world):
    referral = referral_in(world, "in_triage", home_municipality=cf.MunicipalityFactory())
    escalation = open_escalation(world, referral)
    assert not services.agreement_candidates(world.user("partnership_director"), escalation).exists()
    services.decide(
        world.user("partnership_director"),
        escalation,
        agreed_by=None,
        help="h",
        carried_by="education",
        rationale="r",
        carry_out_by=timezone.localdate(),
    )
    assert Decision.objects.get().agreed_by is None


@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_exactly_one_decision(world):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL row locks")
    escalation = open_escalation(world)
    results, barrier = [], threading.Barrier(2)

    def run(actor, agreed):
        barrier.wait()
        try:
            decide(world, Escalation.objects.get(pk=escalation.pk), actor=actor, agreed=agreed)
            results.append("won")
        except (TransitionNotAllowed, PermissionDenied):
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("partnership_director", "municipal_officer")),
        threading.Thread(target=run, args=("municipal_officer", "partnership_director")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "won"]
    assert Decision.objects.count() == 1
    assert ReferralEvent.objects.filter(action="resume").count() == 1


# --- Precedents ----------------------------------------------------------------------------


def _fill(world, precedent, **texts):
    values = {
        "title": "Begeleiding bij gedrag in groep 6",
        "summary": "Een leerling met gedragsproblemen op school en thuis.",
        "outcome": "Ambulante begeleiding in de klas.",
        "rationale": "De problemen spelen vooral thuis; de Jeugdwet is leidend.",
    }
    values.update(texts)
    return services.update_precedent(world.user("partnership_director"), precedent, **values)


def _draft(world, **referral_kwargs):
    referral = referral_in(world, "in_triage", **referral_kwargs)
    escalation = open_escalation(world, referral)
    decide(world, escalation)
    return Precedent.objects.get(decision__escalation=escalation), referral


@pytest.mark.parametrize(
    "field,text",
    [
        ("summary", "{first} heeft moeite in de klas."),
        ("title", "Casus {FIRST_UPPER}"),
        ("outcome", "Gezin {last} krijgt begeleiding."),
        ("rationale", "Geboren op 17-05-2016."),
        ("rationale", "Geboren 17/5/2016."),
        ("summary", "geboortedatum 2016-05-17"),
        ("summary", "geboren op 17 mei 2016"),
        ("split", "moeder {guardian} betaalt niets"),
    ],
)
def test_publishing_is_refused_while_a_text_identifies_the_child(world, field, text):
    precedent, referral = _draft(
        world,
        child_first_name="Noor",
        child_last_name="van den Bosch",
        child_date_of_birth=datetime.date(2016, 5, 17),
    )
    GuardianFactory(referral=referral, name="Fatima el Amrani")
    text = text.format(first="Noor", FIRST_UPPER="NOOR", last="Bosch", guardian="Amrani")
    with pytest.raises(ValidationError) as exc:  # not even stored as a draft
        _fill(world, precedent, **{field: text})
    assert field in exc.value.message_dict
    # Stored before the name was known (e.g. corrected later on the referral): publishing refuses.
    Precedent.objects.filter(pk=precedent.pk).update(**{field: text})
    precedent.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.publish_precedent(world.user("partnership_director"), precedent)
    assert field in exc.value.message_dict
    precedent.refresh_from_db()
    assert precedent.status == Precedent.Status.DRAFT


def test_a_clean_reviewed_precedent_is_published_once(world):
    precedent, _referral = _draft(world, child_first_name="Noor", child_last_name="Bosch")
    precedent = _fill(
        world,
        precedent,
        summary="Een leerling die niet naar school kwam (geen naam: Noordwijk is een plaats).",
    )
    officer = world.user("municipal_officer")
    published = services.publish_precedent(officer, precedent)
    assert published.status == Precedent.Status.PUBLISHED
    assert published.published_by == officer and published.published_at
    with pytest.raises(PermissionDenied):
        services.publish_precedent(officer, published)
    with pytest.raises(PermissionDenied):
        _fill(world, published, title="anders")


def test_publishing_needs_the_texts_and_a_reviewer_of_the_deciders(world):
    precedent, _referral = _draft(world)
    with pytest.raises(ValidationError) as exc:
        services.publish_precedent(world.user("partnership_director"), precedent)
    assert {"title", "summary", "outcome", "rationale"} <= set(exc.value.message_dict)
    precedent = _fill(world, precedent)
    for actor in ("other_partnership_director", "school_coordinator", "steering_member"):
        with pytest.raises(PermissionDenied):
            services.publish_precedent(world.user(actor), precedent)


def test_age_bands():
    on = datetime.date(2026, 11, 28)
    assert age_band(datetime.date(2023, 1, 1), on) == "0-3"
    assert age_band(datetime.date(2022, 11, 28), on) == "4-7"
    assert age_band(datetime.date(2018, 11, 29), on) == "4-7"
    assert age_band(datetime.date(2018, 11, 28), on) == "8-11"
    assert age_band(datetime.date(2014, 6, 1), on) == "12-15"
    assert age_band(datetime.date(2010, 11, 28), on) == "16+"
    assert age_band(None, on) == ""


def test_party_and_decider_user_lists(world):
    referral = referral_in(world, "in_triage")
    escalation = open_escalation(world, referral)
    assert list(perms.decider_users(escalation)) == sorted(
        [world.user("partnership_director"), world.user("municipal_officer")],
        key=lambda u: (u.full_name, u.pk),
    )
    assert list(perms.party_users(referral, Side.SCHOOL)) == [world.user("school_coordinator")]
    inactive = cf.make_member(Role.DISTRICT_WORKER, world.district_team)
    inactive.is_active = False
    inactive.save()
    assert list(perms.party_users(referral, Side.DISTRICT_TEAM)) == [world.user("district_worker")]


def test_deciders_read_the_referral_only_while_the_escalation_is_open(world):
    from referrals.models import Referral

    escalation = open_escalation(world)
    other = referral_in(world, "in_triage")

    def readable(actor):
        return set(Referral.objects.filter(perms.decider_referral_q(world.user(actor))))

    assert readable("partnership_director") == {escalation.referral}
    assert readable("municipal_officer") == {escalation.referral}
    assert readable("other_partnership_director") == set()
    assert readable("school_coordinator") == set()
    assert other not in readable("partnership_director")
    decide(world, escalation)
    assert readable("partnership_director") == set()
    assert readable("municipal_officer") == set()


def _declined(world):
    from referrals import services as referral_services

    referral = referral_in(world, "in_triage")
    return referral_services.decline(
        world.user("district_worker"), referral, reason="other", explanation="Niet voor het wijkteam."
    )


def test_the_school_escalates_a_declined_referral_at_once(world, client):
    """A decline is what a school most often disputes (ADR 0141): it is offered right away, and
    a decision without help leaves the referral declined, one with help makes it accepted."""
    referral = _declined(world)
    assert referral.status == Status.DECLINED
    assert perms.escalation_offer(referral).offered
    assert perms.can_raise(world.user("school_coordinator"), referral)
    client.force_login(world.user("school_coordinator"))
    page = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert reverse("escalations:raise", args=[referral.uuid]) in page
    upheld = services.raise_escalation(
        world.user("school_coordinator"), referral, reason="grey_funding", position="Dit is jeugdhulp."
    )
    referral.refresh_from_db()
    assert (referral.status, referral.status_before_escalation) == (Status.ESCALATED, Status.DECLINED)
    decide(world, upheld, assign_help=False)
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED

    second = _declined(world)
    escalation = services.raise_escalation(
        world.user("school_coordinator"), second, reason="grey_funding", position="Dit is jeugdhulp."
    )
    decide(world, escalation, assign_help=True)
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED

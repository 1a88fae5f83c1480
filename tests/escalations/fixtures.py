"""Test data for escalations: referrals brought to a state through the real workflow, and
escalations / decisions / precedents made through the real services."""

import datetime

from django.utils import timezone

from escalations import permissions as perms
from escalations import services
from escalations.models import CarriedBy, Mediator, Precedent, PrecedentDomain
from referrals.models import Referral
from referrals.workflow import transition
from tests.referrals.factories import ReferralDomainFactory, ReferralFactory

PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_triage": ["submit", "take_up"],
    "returned": ["submit", "take_up", "return"],
    "accepted": ["submit", "take_up", "accept"],
    "help_started": ["submit", "take_up", "accept", "start_help"],
}


def referral_in(world, status="submitted", domains=("behaviour",), **kwargs):
    """A referral of the world's school, home municipality and district team, in `status`."""
    kwargs.setdefault("school", world.school)
    kwargs.setdefault("home_municipality", world.municipality)
    kwargs.setdefault("routed_team", world.district_team)
    kwargs.setdefault("created_by", world.user("school_coordinator"))
    referral = ReferralFactory(**kwargs)
    for domain in domains:
        ReferralDomainFactory(referral=referral, domain=domain)
    for action in PATHS[status]:
        referral = transition(referral, action, referral.created_by)
    return referral


def past_the_norm(referral, working_days=30):
    """Let the decision norm pass: the referral was first submitted `working_days` ago (so
    escalating it makes sense, ADR 0141) — in the database and on the instance."""
    if referral.first_submitted_at is None or perms.escalation_offer(referral).offered:
        return referral
    when = timezone.now() - datetime.timedelta(days=working_days * 7 // 5 + 2)
    Referral.objects.filter(pk=referral.pk).update(first_submitted_at=when, submitted_at=when)
    referral.first_submitted_at = referral.submitted_at = when
    return referral


def escalatable_referral_in(world, status="in_triage", **kwargs):
    """A referral in `status` on which escalating makes sense: past the decision norm."""
    return past_the_norm(referral_in(world, status, **kwargs))


def open_escalation(world, referral=None, actor="school_coordinator", reason="grey_funding", **kwargs):
    """Escalate through the real service; the referral is first let past the decision norm
    when the team has not answered yet, since escalating makes sense only then (ADR 0141)."""
    referral = past_the_norm(referral or referral_in(world, "in_triage"))
    kwargs.setdefault("position", "De school vindt dat de gemeente dit moet betalen.")
    return services.raise_escalation(world.user(actor), referral, reason=reason, **kwargs)


def decide(world, escalation, actor="partnership_director", agreed="municipal_officer", **kwargs):
    kwargs.setdefault("help", "Ambulante begeleiding in de klas, twee dagdelen per week.")
    kwargs.setdefault("carried_by", CarriedBy.YOUTH_CARE)
    kwargs.setdefault("rationale", "Het gaat om gedrag thuis en op school; de Jeugdwet is leidend.")
    kwargs.setdefault("carry_out_by", timezone.localdate() + datetime.timedelta(days=14))
    return services.decide(world.user(actor), escalation, agreed_by=world.user(agreed), **kwargs)


def decided_escalation(world, **kwargs):
    escalation = open_escalation(world)
    decide(world, escalation, **kwargs)
    escalation.refresh_from_db()
    return escalation


def published_precedent(publisher, domains=("behaviour",), **kwargs):
    defaults = {
        "reason": "grey_funding",
        "school_type": "po",
        "age_band": "8-11",
        "carried_by": CarriedBy.SHARED,
        "split": "50/50",
        "title": "Begeleiding in de klas bij gedrag",
        "summary": "Een leerling met gedragsproblemen thuis en op school.",
        "outcome": "Ambulante begeleiding in de klas.",
        "rationale": "Onderwijs en jeugdhulp hebben beide een taak.",
        "status": Precedent.Status.PUBLISHED,
        "published_at": timezone.now(),
        "published_by": publisher,
    }
    defaults.update(kwargs)
    precedent = Precedent.objects.create(**defaults)
    for domain in domains:
        PrecedentDomain.objects.create(precedent=precedent, domain=domain)
    return precedent


# --- Mediation before escalation (ADR 0149) ---------------------------------------------------


def named_mediator(world, actor="steering_member"):
    """The world's `actor` named mediator of the world's region by its registry administrator
    (once; a second call returns the same mediator)."""
    user = world.user(actor)
    existing = Mediator.objects.active().filter(region=world.region, user=user).first()
    if existing is not None:
        return existing
    return services.name_mediator(world.user("registry_admin"), region=world.region, mediator_user=user)


def open_mediation(world, referral=None, actor="school_coordinator", mediator_actor="steering_member"):
    """A party asks the mediator through the real service, once escalating makes sense."""
    referral = past_the_norm(referral or referral_in(world, "in_triage"))
    mediator = named_mediator(world, mediator_actor)
    return services.ask_mediator(
        world.user(actor), referral, mediator=mediator, question="Wie betaalt de begeleiding in de klas?"
    )


def recorded_mediation(world, settled=True, mediation=None, **kwargs):
    mediation = mediation or open_mediation(world)
    if settled:
        kwargs.setdefault("carried_by", CarriedBy.YOUTH_CARE)
    return services.record_mediation_outcome(
        mediation.mediator.user, mediation, settled=settled, note="Afgesproken met beide partijen.", **kwargs
    )

import datetime
import string

import factory

from referrals.models import Consent, Guardian, Referral, ReferralDomain, Status
from tests.contacts.factories import SchoolFactory, UserFactory


def _code(n):
    """Four letters from a sequence number: distinct numbers give distinct codes of the same
    length, so no generated child name is part of another one."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters += string.ascii_lowercase[digit]
    return letters


def distinctive_name(pattern):
    """Child and parent names no generated professional can share (Faker's Dutch names gave a
    decider 'van de Noordmark' while a child was 'Noor'): tests assert these names are absent
    from pages, so they must not occur there by accident."""
    return factory.Sequence(lambda n: pattern.format(_code(n)))


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft referral; use `submitted_referral()` or workflow.transition for other states."""

    class Meta:
        model = Referral

    school = factory.SubFactory(SchoolFactory)
    home_municipality = factory.SelfAttribute("school.municipality")
    created_by = factory.SubFactory(UserFactory)
    status = Status.DRAFT
    child_first_name = distinctive_name("Zw{}tje")
    child_last_name = distinctive_name("Quakkel{}steijn")
    child_date_of_birth = datetime.date(2016, 5, 17)
    child_group = "groep 5"
    question = "Vraag van school"
    already_done = "Basisondersteuning"
    goals = "Doel"
    desired_form = "individual"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    referral = factory.SubFactory(ReferralFactory)
    name = distinctive_name("Ouder{}a Bemmelmanns")
    relation = "moeder"
    has_custody = True


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    referral = factory.SubFactory(ReferralFactory)
    giver = Consent.Giver.PARENT
    given_on = datetime.date(2026, 9, 1)
    form = Consent.Form.WRITTEN
    recipients = "wijkteam"
    recorded_by = factory.SelfAttribute("referral.created_by")


class ReferralDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralDomain

    referral = factory.SubFactory(ReferralFactory)
    domain = "behaviour"


# --- Referrals in a given state, for the matrix and view tests --------------------------------

PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_triage": ["submit", "take_up"],
    "returned": ["submit", "take_up", "return"],
    "accepted": ["submit", "take_up", "accept"],
    "declined": ["submit", "take_up", "decline"],
    "help_started": ["submit", "take_up", "accept", "start_help"],
    "closed": ["submit", "take_up", "accept", "start_help", "close"],
    "escalated": ["submit", "take_up", "escalate"],
    "withdrawn": ["submit", "withdraw"],
    "lapsed": ["submit", "take_up", "return", "lapse"],
}


def complete_referral(school, coordinator, home_municipality=None, **kwargs):
    """A draft that may be submitted: pupil of 10, a custody-holding parent who consented."""
    referral = ReferralFactory(
        school=school,
        created_by=coordinator,
        home_municipality=home_municipality or school.municipality,
        **kwargs,
    )
    ReferralDomainFactory(referral=referral, domain="behaviour")
    guardian = GuardianFactory(referral=referral)
    ConsentFactory(referral=referral, guardian=guardian, recorded_by=coordinator)
    return referral


def referral_in(world, status, other=False, **kwargs):
    """A referral of world.school (other: world.other_school) moved into `status`."""
    from escalations.models import Escalation
    from referrals.workflow import transition

    school = world.other_school if other else world.school
    team = world.other_district_team if other else world.district_team
    coordinator = world.user("other_school_coordinator" if other else "school_coordinator")
    worker = world.user("other_district_worker" if other else "district_worker")
    referral = complete_referral(school, coordinator, **kwargs)
    for action in PATHS[status]:
        changes = {}
        actor = worker
        if action == "submit":
            changes = {"routed_team": team, "routing_reason": "test"}
            actor = coordinator
        elif action == "take_up":
            changes = {"assigned_to": worker}
        elif action == "accept":
            changes = {"planned_help_form": "individual", "expected_start": datetime.date(2026, 12, 1)}
        elif action == "decline":
            changes = {"decline_reason": "other", "decline_explanation": "test"}
        referral = transition(referral, action, actor, **changes)
    if status == "escalated":
        Escalation.objects.create(
            referral=referral,
            reason="grey_funding",
            raised_side="school",
            raised_by=coordinator,
            partnership=school.partnership,
            municipality=referral.home_municipality,
        )
    return referral

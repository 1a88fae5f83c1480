"""Shared fixtures: the crafted dataset of the report tests."""

import datetime

import pytest

from contacts.models import SchoolType
from escalations.models import CarriedBy, Decision, Escalation
from referrals.models import Status
from tests.contacts.factories import ContactAssignmentFactory, PersonFactory, SchoolFactory
from tests.reporting.factories import add_domains, add_return, ams, referral

CHILD_FIRST_NAME = "Zwaantje"
CHILD_LAST_NAME = "Verborgen"


# --- The crafted dataset ----------------------------------------------------------------------
@pytest.fixture
def dataset(world):
    """Period 2026-H1, scope subregion A (world.school and a vso school in Gemeente Aan).

    Ten po referrals submitted on Friday 6 March, decided 1..10 working days later (Mon 9 March
    up to Fri 20 March): median 5.5, 90th percentile 9.1. Two declined, eight accepted, five of
    those joint deployments. Three vso referrals still undecided. One return. Outside: a referral
    in subregion B, one just after the period, one before it."""
    actor = world.users["district_worker"]
    vso = SchoolFactory(
        brin="92VS",
        school_type=SchoolType.VSO,
        partnership=world.partnership,
        municipality=world.municipality,
    )
    decision_days = [ams(2026, 3, d) for d in (9, 10, 11, 12, 13, 16, 17, 18, 19, 20)]
    refs = []
    for i, decided in enumerate(decision_days):
        status = Status.DECLINED if i in (0, 1) else Status.ACCEPTED
        ref = referral(
            world.school,
            submitted=ams(2026, 3, 6),
            decided=decided,
            status=status,
            joint_deployment=i in (2, 3, 4, 5, 6),
            child_first_name=CHILD_FIRST_NAME,
            child_last_name=CHILD_LAST_NAME,
        )
        add_domains(ref, "behaviour")
        refs.append(ref)
    add_domains(refs[5], "home_situation")
    add_domains(refs[6], "home_situation")
    add_return(refs[7], actor)
    for _i in range(3):
        add_domains(referral(vso, submitted=ams(2026, 6, 30, 23, 30)), "behaviour")  # still in H1 (Amsterdam)
    referral(world.other_school, submitted=ams(2026, 3, 6))  # subregion B
    referral(world.school, submitted=ams(2026, 7, 1, 0, 30))  # H2 in Amsterdam, 30 June in UTC
    referral(world.school, submitted=ams(2025, 12, 31, 23, 59))  # H2 2025

    # Escalations: 3 about funding, 5 about capacity (total 8: it would reveal the 3).
    for i in range(8):
        esc = Escalation.objects.create(
            referral=refs[i],
            reason="grey_funding" if i < 3 else "capacity",
            raised_side="school",
            partnership=world.partnership,
            municipality=world.municipality,
        )
        Escalation.objects.filter(pk=esc.pk).update(raised_at=ams(2026, 4, 3))  # a Friday
        if i < 6:
            Escalation.objects.filter(pk=esc.pk).update(state="decided", decided_at=ams(2026, 4, 6 + i))
            Decision.objects.create(
                escalation=esc,
                decided_by=world.users["partnership_director"],
                help="hulp",
                carried_by=CarriedBy.SHARED,
                rationale="samen",
                carry_out_by=datetime.date(2026, 5, 1),
            )
    # Coverage: the vso school and Gemeente Aan have a fixed contact; world.school has a tandem.
    person = PersonFactory()
    ContactAssignmentFactory(person=person, school=vso)
    ContactAssignmentFactory(person=person, municipality=world.municipality)
    return {"refs": refs, "vso": vso}


@pytest.fixture
def previous_half_year(world, dataset):
    """2025-H2 in subregion A, beside the dataset's one undecided referral of 31 December:
    twenty po referrals about behaviour, submitted on Monday 6 October 2025 and accepted two
    working days later. So 21 submitted, 20 accepted but hidden ("x", the 1 undecided is "<5"),
    a median of 2 working days to a decision, no joint deployments and no escalations."""
    for _i in range(20):
        ref = referral(world.school, submitted=ams(2025, 10, 6), decided=ams(2025, 10, 8))
        add_domains(ref, "behaviour")

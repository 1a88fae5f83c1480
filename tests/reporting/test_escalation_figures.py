"""The report's escalation figures (reporting.figures): counts by reason and outcome, the
median time to decision in working days, limited to a scope and a half-year."""

import datetime
import zoneinfo

import pytest
import time_machine

from escalations.models import CarriedBy
from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.contacts.factories import PartnershipFactory
from tests.escalations.fixtures import decide, open_escalation, referral_in
from tests.reporting.escalation_counts import escalation_counts

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _at(month, day, hour=10):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=AMS), tick=False)


def _escalation(
    world, raised, decided=None, reason="grey_funding", carried_by=CarriedBy.YOUTH_CARE, foreign=False
):
    kwargs = {"school": world.other_school, "home_municipality": world.other_municipality} if foreign else {}
    with _at(*raised):
        referral = referral_in(world, "in_triage", **kwargs)
        escalation = open_escalation(world, referral, reason=reason, actor="district_worker")
    if decided:
        prefix = "other_" if foreign else ""
        with _at(*decided):
            decide(
                world,
                escalation,
                actor=f"{prefix}partnership_director",
                agreed=f"{prefix}municipal_officer",
                carried_by=carried_by,
                split="50/50",
            )
    return escalation


def test_counts_by_reason_and_outcome_and_the_median_in_days(world):
    # Working days from raising to decision: Mon 2 → Wed 4 March 2; Tue 10 → Sat 14 March 3;
    # Wed 1 → Sat 11 April 7 (calendar days: 2, 4, 10).
    _escalation(world, (3, 2), (3, 4), reason="grey_funding", carried_by=CarriedBy.YOUTH_CARE)
    _escalation(world, (3, 10), (3, 14), reason="grey_funding", carried_by=CarriedBy.SHARED)
    _escalation(world, (4, 1), (4, 11), reason="capacity", carried_by=CarriedBy.EDUCATION)
    _escalation(world, (5, 1), reason="no_progress")  # open
    _escalation(world, (8, 1), (8, 2), reason="other")  # outside the half-year
    region = Scope.for_region(world.region)
    figures = escalation_counts("2026-H1", region)
    assert figures["total"] == 4
    assert figures["open"] == 1
    assert figures["decided"] == 3
    assert figures["by_reason"] == {
        "grey_responsibility": 0,
        "grey_funding": 2,
        "capacity": 1,
        "no_progress": 1,
        "other": 0,
    }
    assert figures["by_outcome"] == {"education": 1, "youth_care": 1, "shared": 1, "collective": 0}
    assert figures["median_working_days"] == 3.0
    # What a reader sees: four escalations are fewer than five.
    shown = {k.label: k.display for k in compute_figures("2026-H1", region).key_figures}
    assert shown["Gestarte opschalingen"] == "<5"


def test_limited_to_schools_and_home_municipalities(world):
    _escalation(world, (3, 2), (3, 3))
    _escalation(world, (3, 2), (3, 5), foreign=True)
    mine = escalation_counts("2026-H1", Scope.for_partnership(world.partnership))
    assert (mine["total"], mine["median_working_days"]) == (1, 1.0)  # Mon 2 → Tue 3 March
    theirs = escalation_counts("2026-H1", Scope.for_municipality(world.other_municipality))
    assert (theirs["total"], theirs["median_working_days"]) == (1, 3.0)  # Mon 2 → Thu 5 March
    none = escalation_counts("2026-H1", Scope.for_partnership(PartnershipFactory()))
    assert none["total"] == 0 and none["median_working_days"] is None


def test_the_period_is_inclusive_in_local_time(world):
    _escalation(world, (6, 30, 23))  # 23:00 in Amsterdam on the last day
    region = Scope.for_region(world.region)
    assert escalation_counts("2026-H1", region)["total"] == 1
    assert escalation_counts("2026-H2", region)["total"] == 0

"""Escalation figures for the reports: counts by reason and outcome, median time to decision."""

import datetime
import zoneinfo

import pytest
import time_machine

from contacts.models import Municipality, School
from referrals.escalation_figures import escalation_figures
from referrals.models import CarriedBy
from tests.referrals.escalation_fixtures import decide, open_escalation, referral_in

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
    _escalation(world, (3, 2), (3, 4), reason="grey_funding", carried_by=CarriedBy.YOUTH_CARE)  # 2 days
    _escalation(world, (3, 10), (3, 14), reason="grey_funding", carried_by=CarriedBy.SHARED)  # 4 days
    _escalation(world, (4, 1), (4, 11), reason="capacity", carried_by=CarriedBy.EDUCATION)  # 10 days
    _escalation(world, (5, 1), reason="no_progress")  # open
    _escalation(world, (8, 1), (8, 2), reason="other")  # outside the half-year
    figures = escalation_figures(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert figures["total"] == 4
    assert figures["open"] == 1
    assert figures["decided"] == 3
    assert figures["automatic"] == 0
    assert figures["by_reason"] == {
        "grey_responsibility": 0,
        "grey_funding": 2,
        "capacity": 1,
        "no_progress": 1,
        "other": 0,
    }
    assert figures["by_outcome"] == {"education": 1, "youth_care": 1, "shared": 1, "collective": 0}
    assert figures["median_days_to_decision"] == 4.0


def test_limited_to_schools_and_home_municipalities(world):
    _escalation(world, (3, 2), (3, 3))
    _escalation(world, (3, 2), (3, 5), foreign=True)
    period = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    mine = escalation_figures(*period, schools_qs=School.objects.filter(pk=world.school.pk))
    assert (mine["total"], mine["median_days_to_decision"]) == (1, 1.0)
    theirs = escalation_figures(
        *period, municipalities_qs=Municipality.objects.filter(pk=world.other_municipality.pk)
    )
    assert (theirs["total"], theirs["median_days_to_decision"]) == (1, 3.0)
    none = escalation_figures(*period, schools_qs=School.objects.none())
    assert none["total"] == 0 and none["median_days_to_decision"] is None


def test_the_period_is_inclusive_in_local_time(world):
    _escalation(world, (6, 30, 23))  # 23:00 in Amsterdam on the last day
    assert escalation_figures(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))["total"] == 1
    assert escalation_figures(datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))["total"] == 0

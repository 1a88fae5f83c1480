"""Deadlines under frozen time around Christmas 2026, Easter 2027 and King's Day 2027 (ADR 0090),
and the region's own norms valid at submission (ADR 0091). Every date below is counted by hand:
norm 5 working days to a decision, "near" at 4, "over" at 6, automatic escalation at 5 + 5 = 10."""

import dataclasses
import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from contacts.models import RegionNorm
from escalations import tasks as escalation_tasks
from escalations.models import Escalation
from referrals.models import WaitingReminder
from referrals.tasks import send_waiting_time_reminders
from referrals.waiting import decision_due, waiting_for, waiting_for_school
from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.referrals.factories import referral_in
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date


def _on(day, hour=7, minute=30):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMS), tick=False
    )


def _submitted(world, day):
    with _on(day, 10, 0):
        return referral_in(world, "submitted")


def _reminder_days(referral, days):
    """{day: levels reminded that day} while running the reminder task on each of `days`."""
    seen = {}
    for day in days:
        with _on(day):
            send_waiting_time_reminders()
        levels = set(WaitingReminder.objects.filter(referral=referral).values_list("level", flat=True))
        seen[day] = levels - set().union(*seen.values()) if seen else levels
    return {day: levels for day, levels in seen.items() if levels}


def _escalation_day(days):
    for day in days:
        with _on(day, 6, 10):
            if escalation_tasks.auto_escalate():
                return day
    return None


def _weekdays(first, last):
    day, out = first, []
    while day <= last:
        if day.weekday() < 5:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


def test_christmas_2026(world):
    # Wednesday 23 December; Christmas Day (Fri 25) and New Year's Day (Fri 1 Jan) are out.
    r = _submitted(world, D(2026, 12, 23))
    assert decision_due(r) == D(2026, 12, 31)  # 24, 28, 29, 30, 31
    with _on(D(2026, 12, 31)):
        assert waiting_for(r).due == D(2026, 12, 31)
        # A list leaves the date out and counts the same days.
        assert waiting_for(r, with_due=False) == dataclasses.replace(waiting_for(r), due=None)
    days = _weekdays(D(2026, 12, 24), D(2027, 1, 8))
    # near (4 days) on Wednesday 30 December; over (6) on Monday 4 January.
    assert _reminder_days(r, days) == {D(2026, 12, 30): {"near"}, D(2027, 1, 4): {"over"}}
    # 10 working days: 4 (6), 5, 6, 7, 8 January (10).
    assert _escalation_day(_weekdays(D(2026, 12, 24), D(2027, 1, 15))) == D(2027, 1, 8)


def test_easter_2027(world):
    # Thursday 25 March; Good Friday (26) counts (not in the Algemene termijnenwet), Easter
    # Monday (29) does not.
    r = _submitted(world, D(2027, 3, 25))
    assert decision_due(r) == D(2027, 4, 2)  # 26, 30, 31, 1, 2
    days = _weekdays(D(2027, 3, 26), D(2027, 4, 9))
    assert _reminder_days(r, days) == {D(2027, 4, 1): {"near"}, D(2027, 4, 5): {"over"}}
    assert _escalation_day(_weekdays(D(2027, 3, 26), D(2027, 4, 16))) == D(2027, 4, 9)


def test_kings_day_and_5_may_2027(world):
    # Friday 23 April; King's Day (Tue 27 April), Liberation Day (Wed 5 May, every year under
    # the Algemene termijnenwet) and Ascension Day (Thu 6 May) are out.
    r = _submitted(world, D(2027, 4, 23))
    assert decision_due(r) == D(2027, 5, 3)  # 26, 28, 29, 30, 3
    days = _weekdays(D(2027, 4, 26), D(2027, 5, 14))
    assert _reminder_days(r, days) == {D(2027, 4, 30): {"near"}, D(2027, 5, 4): {"over"}}
    # 4 May (6), 7 (7), 10 (8), 11 (9), 12 (10).
    assert _escalation_day(days) == D(2027, 5, 12)


def test_half_year_median_by_hand(world):
    # Submitted → decided, working days counted by hand (holidays out):
    cases = [
        ((2027, 1, 7), (2027, 1, 14), 5),
        ((2027, 3, 25), (2027, 3, 30), 2),  # 26 (Good Friday counts), 30; Easter Monday out
        ((2027, 3, 26), (2027, 4, 1), 3),  # 30, 31, 1
        ((2027, 4, 26), (2027, 4, 30), 3),  # 28, 29, 30; King's Day out
        ((2027, 5, 3), (2027, 5, 10), 3),  # 4, 7, 10; 5 May and Ascension Day out
        ((2027, 5, 14), (2027, 5, 21), 4),  # 18, 19, 20, 21; Whit Monday out
    ]
    for submitted, decided, _days in cases:
        referral(world.school, submitted=ams(*submitted), decided=ams(*decided))
    # Sorted 2, 3, 3, 3, 4, 5: median (3 + 3) / 2 = 3; 90th percentile at 0.9 × 5 = 4.5 → 4 + 0.5 × 1.
    with translation.override("nl"):
        figures = compute_figures("2027-H1", Scope.for_region(world.region))
        table = figures.table("waiting_times")
    assert table.rows[0][1:4] == ["6", "3,0", "4,5"]
    assert table.note == (
        "Gemeten tegen: besluit binnen 5, hulp gestart binnen 20 werkdagen (de standaardnormen)."
    )


def test_the_norm_valid_at_submission_applies(world):
    setter = world.user("steering_member")
    RegionNorm.objects.create(
        region=world.region,
        valid_from=D(2027, 4, 1),
        decision_days=8,
        help_started_days=30,
        escalation_margin_days=2,
        set_by=setter,
    )
    before = _submitted(world, D(2027, 3, 25))
    after = _submitted(world, D(2027, 4, 26))
    with _on(D(2027, 4, 28)):
        assert waiting_for(before).norm_days == 5  # submitted before the region's norm
        assert waiting_for(after).norm_days == 8
    assert decision_due(after) == D(2027, 5, 11)  # 28, 29, 30, 3, 4, 7, 10, 11
    # 8 + 2 = 10 working days from 26 April: 28, 29, 30, 3, 4, 7, 10, 11, 12, 13.
    with _on(D(2027, 5, 12), 6, 10):
        escalation_tasks.auto_escalate()
    assert not Escalation.objects.filter(referral=after).exists()
    with _on(D(2027, 5, 13), 6, 10):
        escalation_tasks.auto_escalate()
    assert Escalation.objects.filter(referral=after).exists()
    with translation.override("nl"):
        note = compute_figures("2027-H1", Scope.for_region(world.region)).table("waiting_times").note
    assert "De normen zijn in deze periode gewijzigd" in note
    assert "vanaf 1 april 2027" in note


def test_school_holidays_pause_only_the_wait_for_the_school(world):
    world.region.school_holiday_region = "midden"
    world.region.save()
    with _on(D(2026, 12, 16), 10, 0):
        r = referral_in(world, "returned")
    # Returned Wednesday 16 December; the Christmas holiday (19 December to 3 January) pauses
    # the school's clock: 17, 18, then 4 .. 8 January = 7 (the team's clock: 13).
    assert waiting_for_school(r, D(2027, 1, 8)) == 7
    r.status = "submitted"
    assert waiting_for_school(r, D(2027, 1, 8)) is None


def test_the_over_the_norm_filter_holds_each_referral_to_its_own_norm(world):
    from referrals.models import Referral
    from referrals.waiting import over_norm_q

    RegionNorm.objects.create(
        region=world.region,
        valid_from=D(2027, 4, 1),
        decision_days=8,
        help_started_days=30,
        escalation_margin_days=2,
        set_by=world.user("steering_member"),
    )
    before = _submitted(world, D(2027, 3, 25))  # the default 5
    after = _submitted(world, D(2027, 4, 26))  # the region's 8

    def over(day):
        return set(Referral.objects.filter(over_norm_q("decision", day)))

    # 7 May: `before` has waited 25 March → 7 May well over 5; `after` 6 (28, 29, 30, 3, 4, 7).
    assert over(D(2027, 5, 7)) == {before}
    # 12 May: `after` has waited 9 working days (10, 11, 12), over its 8.
    assert over(D(2027, 5, 12)) == {before, after}


def test_a_stricter_region_norm_escalates_sooner(world):
    RegionNorm.objects.create(
        region=world.region,
        valid_from=D(2027, 1, 1),
        decision_days=2,
        help_started_days=10,
        escalation_margin_days=1,
        set_by=world.user("registry_admin"),
    )
    r = _submitted(world, D(2027, 5, 3))
    # 2 + 1 = 3 working days: 4, 7 (5 and 6 May are out), 10.
    assert _escalation_day(_weekdays(D(2027, 5, 4), D(2027, 5, 14))) == D(2027, 5, 10)
    assert Escalation.objects.get().referral == r


def test_the_referral_page_shows_the_norm_its_due_date_and_the_wait_for_the_school(world, client):
    from django.urls import reverse

    world.region.school_holiday_region = "midden"
    world.region.save()
    submitted = _submitted(world, D(2026, 12, 23))
    with _on(D(2026, 12, 16), 10, 0):
        returned = referral_in(world, "returned")
    with _on(D(2026, 12, 29), 10, 0), translation.override("nl"):
        client.force_login(world.user("district_worker"))
        html = client.get(reverse("referrals:detail", args=[submitted.uuid]), HTTP_ACCEPT_LANGUAGE="nl")
        assert "5 werkdagen, uiterlijk op donderdag 31 december 2026" in html.content.decode()
    with _on(D(2027, 1, 8), 10, 0):
        client.force_login(world.user("district_worker"))
        html = client.get(reverse("referrals:detail", args=[returned.uuid]), HTTP_ACCEPT_LANGUAGE="nl")
        text = html.content.decode()
    assert "Wacht op de school (werkdagen)" in text
    assert "7 <span" in text

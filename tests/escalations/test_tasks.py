"""The daily tasks under frozen time: automatic escalation and the once-only reminder."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from escalations import tasks
from escalations.models import Escalation, EscalationReason, Side
from portal.celery import app
from portal.models import Notification
from referrals.models import Status
from referrals.workflow import transition
from tests.escalations.fixtures import decide, open_escalation, referral_in

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(day, hour=6, minute=10):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=AMS)


def _submitted_on_monday_2_november(world, status="submitted"):
    with time_machine.travel(at(2, 10, 0), tick=False):
        return referral_in(world, status)


def test_beat_runs_both_tasks_daily():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"referrals.auto_escalate", "referrals.decision_reminders"} <= scheduled
    # No CELERY_IMPORTS entry: Celery's autodiscovery finds escalations/tasks.py, and the
    # worker knows both names the beat schedule sends.
    assert "escalations.tasks" not in getattr(settings, "CELERY_IMPORTS", [])
    app.loader.import_default_modules()
    for name in ("referrals.auto_escalate", "referrals.decision_reminders"):
        assert app.tasks[name].__module__ == "escalations.tasks"


def test_escalated_automatically_after_norm_plus_margin_working_days_once(world):
    referral = _submitted_on_monday_2_november(world)
    # Norm 5 + margin 5 = 10 working days: Friday 13 November is the 9th, Monday 16th the 10th.
    for day in (6, 9, 13, 14, 15):
        with time_machine.travel(at(day), tick=False):
            assert tasks.auto_escalate() == 0
    with time_machine.travel(at(16), tick=False):
        assert tasks.auto_escalate() == 1
        assert tasks.auto_escalate() == 0  # twice the same day: nothing new
    with time_machine.travel(at(17), tick=False):
        assert tasks.auto_escalate() == 0
    escalation = Escalation.objects.get()
    assert escalation.referral == referral
    assert (escalation.reason, escalation.raised_side, escalation.raised_by) == (
        EscalationReason.NO_PROGRESS,
        Side.SYSTEM,
        None,
    )
    assert (escalation.partnership, escalation.municipality) == (world.partnership, world.municipality)
    referral.refresh_from_db()
    assert referral.status == Status.ESCALATED
    for role in ("partnership_director", "municipal_officer"):
        assert Notification.objects.filter(user=world.user(role), kind="escalation_raised").count() == 1
    for role in ("school_coordinator", "district_worker"):
        assert Notification.objects.filter(user=world.user(role), kind="escalation_raised_party").count() == 1


def test_the_margin_is_configurable(world, settings):
    settings.TANDEM_AUTO_ESCALATE_MARGIN_DAYS = 0
    _submitted_on_monday_2_november(world, "in_triage")
    with time_machine.travel(at(6), tick=False):  # Friday: 4 working days
        assert tasks.auto_escalate() == 0
    with time_machine.travel(at(9), tick=False):  # Monday: 5 working days
        assert tasks.auto_escalate() == 1


@pytest.mark.parametrize("status", ["returned", "accepted", "draft"])
def test_referrals_with_a_decision_or_waiting_for_the_school_are_left_alone(world, status):
    _submitted_on_monday_2_november(world, status)
    with time_machine.travel(at(30), tick=False):
        assert tasks.auto_escalate() == 0
    assert not Escalation.objects.exists()


def test_after_a_decision_the_clock_restarts(world):
    referral = _submitted_on_monday_2_november(world, "in_triage")
    with time_machine.travel(at(16), tick=False):
        assert tasks.auto_escalate() == 1
    with time_machine.travel(at(17, 12), tick=False):  # Tuesday 17th: decided, back to triage
        decide(world, Escalation.objects.get(), assign_help=False)
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    with time_machine.travel(at(30), tick=False):  # Monday 30th: 9 working days after the 17th
        assert tasks.auto_escalate() == 0
    with time_machine.travel(datetime.datetime(2026, 12, 1, 6, 10, tzinfo=AMS), tick=False):
        assert tasks.auto_escalate() == 1
    assert Escalation.objects.filter(state="open").count() == 1


def test_reminder_is_sent_once_when_the_date_passes_without_help(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2, 9), tick=False):
        escalation = open_escalation(world)
        decide(world, escalation, carry_out_by=datetime.date(2026, 11, 10))
    Notification.objects.all().delete()
    with time_machine.travel(at(10), tick=False):  # on the date itself: not yet passed
        assert tasks.decision_reminders() == 0
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(at(11), tick=False):
            assert tasks.decision_reminders() == 1
            assert tasks.decision_reminders() == 0
        with time_machine.travel(at(12), tick=False):
            assert tasks.decision_reminders() == 0
    reminded = Notification.objects.filter(kind="escalation_decision_overdue")
    # Youth care carries it: the district team, plus the decider and the one who agreed.
    assert sorted(n.user_id for n in reminded) == sorted(
        world.user(r).pk for r in ("district_worker", "partnership_director", "municipal_officer")
    )
    assert len(mailoutbox) == 3
    escalation.decision.refresh_from_db()
    assert escalation.decision.reminder_sent_on == datetime.date(2026, 11, 11)


def test_no_reminder_once_help_started(world):
    with time_machine.travel(at(2, 9), tick=False):
        escalation = open_escalation(world)
        decide(world, escalation, carry_out_by=datetime.date(2026, 11, 10))
        transition(escalation.referral, "start_help", world.user("district_worker"))
    with time_machine.travel(at(20), tick=False):
        assert tasks.decision_reminders() == 0


@pytest.mark.parametrize(
    ("today", "count", "expected"),
    [
        (datetime.date(2026, 11, 16), 10, datetime.date(2026, 11, 2)),  # Monday
        (datetime.date(2026, 11, 14), 10, datetime.date(2026, 11, 1)),  # Saturday counts as Friday
        (datetime.date(2026, 11, 13), 1, datetime.date(2026, 11, 12)),
        (datetime.date(2026, 11, 16), 1, datetime.date(2026, 11, 15)),
    ],
)
def test_working_days_before(today, count, expected):
    from portal.workdays import working_days_before

    assert working_days_before(today, count) == expected

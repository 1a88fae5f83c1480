"""Beat was down for a day: the next run of the daily jobs catches up, exactly once (ADR 0130).

Automatic escalation was due on Monday 16 November 2026 at 06:10 and the overdue-decision
reminder on the 11th; beat did not run them. On Tuesday the 17th every daily job runs once and
does what was due; a second run (as when beat, restarted, replays a missed entry) changes
nothing: no second escalation, notice, e-mail or outbox row.
"""

import datetime

import pytest
import time_machine

from escalations import tasks
from escalations.models import Escalation
from portal.models import Notification, OutboxMessage
from referrals.tasks import lapse_stale_referrals, send_waiting_time_reminders
from tests.escalations.fixtures import decide, open_escalation
from tests.escalations.test_tasks import _submitted_on_monday_2_november, at

pytestmark = pytest.mark.django_db


def run_daily_jobs():
    return (
        tasks.auto_escalate(),
        tasks.decision_reminders(),
        send_waiting_time_reminders(),
        lapse_stale_referrals(),
    )


def state():
    return (
        Escalation.objects.count(),
        Notification.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_day_without_beat_is_caught_up_once(world, mailoutbox, django_capture_on_commit_callbacks):
    _submitted_on_monday_2_november(world)
    with time_machine.travel(at(2, 9), tick=False):
        escalation = open_escalation(world)
        decide(world, escalation, carry_out_by=datetime.date(2026, 11, 10))
    escalations_before, notices_before, rows_before = state()
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(at(17, 7, 30), tick=False):  # beat missed the 16th
            escalated, reminded, _waiting, _lapsed = run_daily_jobs()
            after_first = state()
            second = run_daily_jobs()
    assert escalated >= 1 and reminded == 1
    assert Escalation.objects.count() == escalations_before + escalated
    assert second[:3] == (0, 0, 0)
    assert state() == after_first
    caught_up = after_first[1] - notices_before
    assert caught_up > 0 and after_first[2] - rows_before == caught_up  # one e-mail row per notice
    assert len(mailoutbox) == caught_up  # each notice e-mailed once, after the commit
    new_rows = OutboxMessage.objects.order_by("pk")[rows_before:]
    assert [row.state for row in new_rows] == ["sent"] * caught_up

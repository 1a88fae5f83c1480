import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from portal.models import Notification
from portal.workdays import nth_working_day_back, working_days_between
from referrals.models import Referral, WaitingReminder
from referrals.tasks import send_waiting_time_reminders
from referrals.waiting import waited_at_least_cutoff, waiting_for
from tests.referrals.factories import referral_in

MON = datetime.date(2026, 11, 2)


def test_working_days_skip_weekends():
    assert working_days_between(MON, MON) == 0
    assert working_days_between(MON, MON + datetime.timedelta(days=4)) == 4  # to Friday
    assert working_days_between(MON, MON + datetime.timedelta(days=7)) == 5  # next Monday
    assert working_days_between(MON - datetime.timedelta(days=2), MON) == 1  # Saturday to Monday
    assert working_days_between(MON, MON + datetime.timedelta(days=28)) == 20


def test_cutoff_matches_counting():
    for offset in range(0, 14):
        today = MON + datetime.timedelta(days=offset)
        for n in range(1, 8):
            day = nth_working_day_back(today, n)
            for back in range(0, 20):
                start = today - datetime.timedelta(days=back)
                assert (start < day) == (working_days_between(start, today) >= n), (today, n, start)


def _submitted_days_ago(world, status, working_days):
    referral = referral_in(world, status)
    day = timezone.localdate()
    moment = timezone.make_aware(
        datetime.datetime.combine(nth_working_day_back(day, working_days + 1), datetime.time(10))
    )
    Referral.objects.filter(pk=referral.pk).update(first_submitted_at=moment, submitted_at=moment)
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 13, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_waiting_levels_and_cutoff(world):
    norm = settings.TANDEM_NORM_DECISION_DAYS
    fresh = _submitted_days_ago(world, "submitted", 1)
    near = _submitted_days_ago(world, "in_triage", norm)
    over = _submitted_days_ago(world, "submitted", norm + 2)
    assert waiting_for(fresh).level == "ok"
    assert waiting_for(near).level == "near"
    assert waiting_for(over).level == "over"
    cutoff = waited_at_least_cutoff(norm + 1)
    assert set(Referral.objects.filter(first_submitted_at__lt=cutoff)) == {over}


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 13, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_reminders_once_per_referral_norm_and_level(world, django_capture_on_commit_callbacks, mailoutbox):
    norm = settings.TANDEM_NORM_DECISION_DAYS
    _submitted_days_ago(world, "submitted", 1)
    near = _submitted_days_ago(world, "in_triage", norm)
    over = _submitted_days_ago(world, "submitted", norm + 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_waiting_time_reminders() == 2
        assert send_waiting_time_reminders() == 0  # the next day: nothing twice
    assert set(WaitingReminder.objects.values_list("referral_id", "level")) == {
        (near.pk, "near"),
        (over.pk, "over"),
    }
    dw = world.user("district_worker")
    assert Notification.objects.filter(user=dw, kind__startswith="referral_waiting").count() == 2
    assert len(mailoutbox) == 2
    assert all(over.child_first_name not in m.body for m in mailoutbox)


def test_the_reminder_is_on_the_beat_schedule():
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "referrals.tasks.send_waiting_time_reminders" in entries


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 13, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_no_reminder_while_the_school_holds_the_ball(world):
    _submitted_days_ago(world, "returned", settings.TANDEM_NORM_DECISION_DAYS + 3)
    assert send_waiting_time_reminders() == 0
    assert not WaitingReminder.objects.exists()

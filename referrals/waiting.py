"""Waiting time in working days, against the configurable norms (ADR 0052).

The working days themselves are counted in portal/workdays.py (the same count the figures make
in SQL). `waited_at_least_cutoff` turns "waiting at least N working days" into a moment, so SQL
filters on it without a per-row function.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from portal.workdays import nth_working_day_back, working_days_between
from referrals.models import FINAL_STATUSES

NEAR_MARGIN_DAYS = 1  # "near the norm": at most this many working days left


def waited_at_least_cutoff(n, today=None):
    """An aware datetime: a moment before it has waited at least n working days by today."""
    today = today or timezone.localdate()
    if n <= 0:
        return timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
        )
    day = nth_working_day_back(today, n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def decision_norm():
    return settings.TANDEM_NORM_DECISION_DAYS


def help_started_norm():
    return settings.TANDEM_NORM_HELP_STARTED_DAYS


@dataclass(frozen=True)
class Waiting:
    norm: str  # "decision" or "help_started"
    days: int
    norm_days: int

    @property
    def over(self):
        return self.days > self.norm_days

    @property
    def near(self):
        return not self.over and self.days >= self.norm_days - NEAR_MARGIN_DAYS

    @property
    def level(self):
        return "over" if self.over else "near" if self.near else "ok"


def waiting_for(referral, today=None):
    """The running wait of a referral: for a decision while none was taken, for the start of
    help once accepted. None when nothing is awaited (draft, declined, help started, closed)."""
    today = today or timezone.localdate()
    start = referral.first_submitted_at
    if start is None:
        return None
    if referral.decided_at is None and referral.status not in ("draft", *FINAL_STATUSES):
        return Waiting("decision", working_days_between(start, today), decision_norm())
    if referral.status == "accepted" and referral.help_started_at is None:
        return Waiting("help_started", working_days_between(start, today), help_started_norm())
    return None


def decision_days(referral):
    """Submitted → decision in working days (None while undecided)."""
    if referral.first_submitted_at is None or referral.decided_at is None:
        return None
    return working_days_between(referral.first_submitted_at, referral.decided_at)


def help_started_days(referral):
    if referral.first_submitted_at is None or referral.help_started_at is None:
        return None
    return working_days_between(referral.first_submitted_at, referral.help_started_at)

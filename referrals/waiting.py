"""Waiting time in working days (Monday to Friday), against the configurable norms.

Reused by the reports: `working_days_between` for a single figure, `over_norm_before` for a
cut-off that lets SQL filter "waiting at least N working days" without a per-row function.
Public holidays are not counted out (ADR 0052).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

NEAR_MARGIN_DAYS = 1  # "near the norm": at most this many working days left


def _as_date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def working_days_between(start, end):
    """Working days in the half-open interval (start, end]: submitted on Monday, decided on
    Friday is 4 working days; the same day is 0."""
    start, end = _as_date(start), _as_date(end)
    if start is None or end is None or end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + datetime.timedelta(days=i)).weekday() < 5:
            count += 1
    return count


def nth_working_day_back(day, n):
    """The n-th working day counting back from `day` (day itself counts when it is a working
    day). Anything that started before it has waited at least n working days by `day`."""
    day = _as_date(day)
    count = 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count >= n:
                return day
        day -= datetime.timedelta(days=1)


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
    if referral.decided_at is None and referral.status not in ("draft", "declined", "closed"):
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

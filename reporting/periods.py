"""Half-year reporting periods (`2026-H1`, `2026-H2`), bounded in Europe/Amsterdam time."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.workdays import AMSTERDAM

PERIOD_RE = re.compile(r"^(?P<year>[0-9]{4})-H(?P<half>[12])$")
MIN_YEAR, MAX_YEAR = 2000, 2100


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int

    @classmethod
    def parse(cls, value):
        """`2026-H1` → Period(2026, 1); anything else raises InvalidPeriod (message safe to show)."""
        match = PERIOD_RE.match(str(value or "").strip().upper())
        if not match:
            raise InvalidPeriod(_("Enter a half-year as YYYY-H1 or YYYY-H2, for example 2026-H1."))
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidPeriod(_("Choose a year between 2000 and 2100."))
        return cls(year, int(match["half"]))

    @classmethod
    def containing(cls, day):
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def current(cls):
        return cls.containing(timezone.localdate())

    @classmethod
    def previous_completed(cls, day=None):
        """The last half-year that has ended before `day` (the schedule's period)."""
        return cls.containing(day or timezone.localdate()).previous()

    def previous(self):
        return Period(self.year - 1, 2) if self.half == 1 else Period(self.year, 1)

    @property
    def next_period(self):
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)

    @property
    def label(self):
        return f"{self.year}-H{self.half}"

    def __str__(self):
        return self.label

    @property
    def first_day(self):
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self):
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    @property
    def start(self):
        """Aware start (inclusive): midnight in Amsterdam on the first day."""
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=AMSTERDAM)

    @property
    def end(self):
        """Aware end (exclusive): midnight in Amsterdam after the last day."""
        return datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=AMSTERDAM
        )

    @property
    def measured_on(self):
        """The day on which point-in-time figures (coverage) are taken: the last day, or today."""
        return min(self.last_day, timezone.localdate())

    @property
    def verbose(self):
        if self.half == 1:
            return _("first half of %(year)s") % {"year": self.year}
        return _("second half of %(year)s") % {"year": self.year}


def recent_periods(count=6, today=None):
    """The current half-year and the ones before it, newest first (the period picker)."""
    period = Period.containing(today or timezone.localdate())
    periods = []
    for _i in range(count):
        periods.append(period)
        period = period.previous()
    return periods

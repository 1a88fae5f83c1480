"""Live indicators of the work agenda, defined once: the agenda pages and the progress reports
(reporting app) both read their figures from here.

Each indicator is a registry entry: a key (stored on `Goal.indicator`), a label (gettext),
a unit, and a function `scope -> value`. Some also know their total (e.g. "of 14 (v)so
schools"), so a goal that aims at "every (v)so school" compares against it.

    from agenda import indicators
    m = indicators.measure("practitioner_meetings", indicators.Scope.calendar_year(2026, region))
    m.value, m.total, m.available

A `Scope` is a period (start and end date, inclusive) and optionally a region: a region also
covers its subregions. Questions about "current" things (who is the vaste contactpersoon)
are answered on the scope's end date, or today when the period has not ended yet. Meetings
count as held when their date lies in the period and not after today.

The keys and labels live in agenda/indicator_keys.py (the choices of `Goal.indicator`). An
indicator whose data source is missing answers `Measurement.unavailable()`, which the pages show
as "not available yet".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agenda.indicator_keys import INDICATOR_LABELS
from agenda.models import Meeting, MeetingType
from contacts.arrangements import pilot_school_q
from contacts.models import SPECIAL_SCHOOL_TYPES, Municipality, School
from contacts.permissions import registry_cached
from contacts.selectors import coverage_counts, in_region_q
from portal.suppression import SMALL, THRESHOLD, fmt_count, is_small
from portal.workdays import WorkingDays, day_count_stats, local_date
from referrals.models import Referral


@dataclass(frozen=True)
class Scope:
    start: datetime.date
    end: datetime.date
    region: object = None  # contacts.Region or None for everything

    @classmethod
    def calendar_year(cls, year, region=None):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), region)

    @classmethod
    def half_year(cls, label, region=None):
        """`2026-H1` → 1 January to 30 June 2026; `2026-H2` → 1 July to 31 December."""
        year, half = label.split("-H")
        year = int(year)
        if half == "1":
            return cls(datetime.date(year, 1, 1), datetime.date(year, 6, 30), region)
        if half == "2":
            return cls(datetime.date(year, 7, 1), datetime.date(year, 12, 31), region)
        raise ValueError(f"Not a half-year: {label!r}")

    @property
    def on(self):
        """The day on which "current" is measured."""
        return min(self.end, timezone.localdate())

    def region_q(self, path):
        """Q for objects whose region (at `path`) is the scope's region or one of its subregions."""
        return in_region_q(self.region, path)

    @cached_property
    def coverage(self):
        """The registry's coverage counts on `on`: counted once per scope, though several
        indicators of one page read them, and cached with the registry (ADR 0169)."""
        return registry_cached(
            "coverage-counts",
            lambda: coverage_counts(_schools(self), _municipalities(self), self.on),
            self.region.pk if self.region is not None else "all",
            self.on.isoformat(),
        )

    @cached_property
    def meetings_held(self):
        """{meeting type: meetings held from the period's start up to today}: one query for
        every meeting indicator of a page, counted once per scope."""
        last = min(self.end, timezone.localdate())
        if last < self.start:
            return {}
        rows = (
            Meeting.objects.filter(self.region_q("region"), date__gte=self.start, date__lte=last)
            .order_by()
            .values("meeting_type")
            .annotate(n=Count("pk"))
        )
        return {row["meeting_type"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Measurement:
    value: object = None  # int, float or None (no data, or suppressed)
    total: object = None  # int or None when the indicator has no natural total
    available: bool = True  # False: the data source does not exist in this installation
    # True: the value is derived from fewer than THRESHOLD referrals and is not shown (ADR 0070,
    # 0099); `value` is None then, so the real number never leaves this module.
    suppressed: bool = False

    @classmethod
    def unavailable(cls):
        return cls(value=None, total=None, available=False)

    @classmethod
    def small(cls, total=None):
        return cls(value=None, total=total, suppressed=True)

    @property
    def display(self):
        """The value as pages and exports show it: "<5" when suppressed."""
        if self.suppressed:
            return SMALL
        if self.value is None:
            return None
        if isinstance(self.value, float):
            return number_format(round(self.value, 1), force_grouping=True)
        return fmt_count(self.value)


@dataclass(frozen=True)
class Indicator:
    key: str  # one of agenda.indicator_keys.INDICATOR_LABELS
    unit: str
    function: Callable
    total: Callable | None = None
    default_target: object = None
    higher_is_better: bool = True
    description: str = field(default="")
    # A count of referrals: suppressed below THRESHOLD like every figure of the report (ADR 0099).
    counts_referrals: bool = False

    @property
    def label(self):
        return INDICATOR_LABELS[self.key]

    def measure(self, scope):
        value = self.function(scope)
        if isinstance(value, Measurement):
            return value
        total = self.total(scope) if self.total else None
        if self.counts_referrals and is_small(value or 0):
            return Measurement.small(total)
        return Measurement(value=value, total=total)


# --- The functions --------------------------------------------------------------------------


def _special_schools(scope):
    return School.objects.filter(scope.region_q("municipality__region"), school_type__in=SPECIAL_SCHOOL_TYPES)


def _municipalities(scope):
    return Municipality.objects.filter(scope.region_q("region"))


def _schools(scope):
    return School.objects.filter(scope.region_q("municipality__region"))


def _coverage(scope):
    return scope.coverage


def special_schools_with_contact(scope):
    return _coverage(scope).special_schools_with_contact


def municipalities_with_contact(scope):
    return _coverage(scope).municipalities_with_contact


def fixed_contact_coverage(scope):
    counts = _coverage(scope)
    return counts.special_schools_with_contact + counts.municipalities_with_contact


def _fixed_contact_total(scope):
    counts = _coverage(scope)
    return counts.special_schools + counts.municipalities


def schools_with_tandem(scope):
    return _coverage(scope).schools_with_tandem


def _meetings_held(scope, meeting_type):
    return scope.meetings_held.get(meeting_type, 0)


def practitioner_meetings(scope):
    return _meetings_held(scope, MeetingType.PRACTITIONER)


def inspiration_sessions(scope):
    return _meetings_held(scope, MeetingType.INSPIRATION)


def collective_funding_pilots(scope):
    """Schools with a current collective arrangement on the scope's day, or flagged as a pilot
    school before arrangements were recorded (ADR 0161)."""
    return _schools(scope).filter(pilot_school_q(scope.on)).count()


def referrals_submitted(scope):
    """Referrals first submitted in the period (a returned and resubmitted one counts once)."""
    return Referral.objects.filter(
        scope.region_q("school__municipality__region"),
        first_submitted_at__date__gte=scope.start,
        first_submitted_at__date__lte=scope.end,
    ).count()


def median_days_to_decision(scope):
    """Median WORKING days from first submission to decision (accepted or declined), over the
    referrals decided in the period, computed in the database with the same expressions as the
    progress report (portal/workdays.py); None when none were decided."""
    decided = Referral.objects.filter(
        scope.region_q("school__municipality__region"),
        first_submitted_at__isnull=False,
        decided_at__date__gte=scope.start,
        decided_at__date__lte=scope.end,
    ).annotate(days=WorkingDays(local_date("first_submitted_at"), local_date("decided_at")))
    ((n, median, _p90),) = day_count_stats(decided, "days")
    if 0 < n < THRESHOLD:
        # A median of one to four referrals tells their waiting times (ADR 0070, 0099).
        return Measurement.small()
    return median


# --- The registry ---------------------------------------------------------------------------

INDICATORS = {
    indicator.key: indicator
    for indicator in [
        Indicator(
            "special_schools_with_contact",
            _("schools"),
            special_schools_with_contact,
            total=lambda scope: _special_schools(scope).count(),
        ),
        Indicator(
            "municipalities_with_contact",
            _("municipalities"),
            municipalities_with_contact,
            total=lambda scope: _municipalities(scope).count(),
        ),
        Indicator(
            "fixed_contact_coverage",
            _("schools and municipalities"),
            fixed_contact_coverage,
            total=_fixed_contact_total,
        ),
        Indicator(
            "schools_with_tandem",
            _("schools"),
            schools_with_tandem,
            total=lambda scope: _schools(scope).count(),
        ),
        Indicator(
            "practitioner_meetings",
            _("meetings"),
            practitioner_meetings,
            default_target=2,
        ),
        Indicator(
            "inspiration_sessions",
            _("sessions"),
            inspiration_sessions,
            default_target=1,
        ),
        Indicator(
            "collective_funding_pilots",
            _("schools"),
            collective_funding_pilots,
            default_target=2,
        ),
        Indicator(
            "referrals_submitted",
            _("referrals"),
            referrals_submitted,
            counts_referrals=True,
        ),
        Indicator(
            "median_days_to_decision",
            _("working days"),
            median_days_to_decision,
            higher_is_better=False,
        ),
    ]
}


def get(key):
    return INDICATORS[key]


def measure(key, scope):
    return INDICATORS[key].measure(scope)


def measure_all(scope):
    """Every indicator for one scope, in registry order: [(indicator, measurement)]."""
    return [(indicator, indicator.measure(scope)) for indicator in INDICATORS.values()]

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

The referral indicators read `referrals.models.Referral` (fields `submitted_at`,
`decided_at`, `school`); until that model exists they answer "not available".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        if self.region is None:
            return Q()
        return Q(**{path: self.region}) | Q(**{f"{path}__parent": self.region})


@dataclass(frozen=True)
class Measurement:
    value: object = None  # int, float or None (no data)
    total: object = None  # int or None when the indicator has no natural total
    available: bool = True  # False: the data source does not exist in this installation

    @classmethod
    def unavailable(cls):
        return cls(value=None, total=None, available=False)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    function: Callable
    total: Callable | None = None
    default_target: object = None
    higher_is_better: bool = True
    description: str = field(default="")

    def measure(self, scope):
        value = self.function(scope)
        if isinstance(value, Measurement):
            return value
        total = self.total(scope) if self.total else None
        return Measurement(value=value, total=total)


# --- The functions --------------------------------------------------------------------------


def _special_schools(scope):
    from contacts.models import School, SchoolType

    return School.objects.filter(
        scope.region_q("municipality__region"), school_type__in=[SchoolType.SO, SchoolType.VSO]
    )


def _municipalities(scope):
    from contacts.models import Municipality

    return Municipality.objects.filter(scope.region_q("region"))


def _schools(scope):
    from contacts.models import School

    return School.objects.filter(scope.region_q("municipality__region"))


def _coverage(scope):
    from contacts.selectors import coverage_counts

    return coverage_counts(_schools(scope), _municipalities(scope), scope.on)


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
    from agenda.models import Meeting

    last = min(scope.end, timezone.localdate())
    if last < scope.start:
        return 0
    return Meeting.objects.filter(
        scope.region_q("region"), meeting_type=meeting_type, date__gte=scope.start, date__lte=last
    ).count()


def practitioner_meetings(scope):
    from agenda.models import MeetingType

    return _meetings_held(scope, MeetingType.PRACTITIONER)


def inspiration_sessions(scope):
    from agenda.models import MeetingType

    return _meetings_held(scope, MeetingType.INSPIRATION)


def collective_funding_pilots(scope):
    return _schools(scope).filter(collective_funding_pilot=True).count()


def _referral_model():
    try:
        from referrals.models import Referral
    except ImportError:
        return None
    return Referral


def referrals_submitted(scope):
    """Referrals first submitted in the period (a returned and resubmitted one counts once)."""
    referral = _referral_model()
    if referral is None:
        return Measurement.unavailable()
    return referral.objects.filter(
        scope.region_q("school__municipality__region"),
        first_submitted_at__date__gte=scope.start,
        first_submitted_at__date__lte=scope.end,
    ).count()


def median_days_to_decision(scope):
    """Median WORKING days from first submission to decision (accepted or declined), over the
    referrals decided in the period, computed in the database with the same expression as the
    progress report (reporting.sql); None when none were decided."""
    from django.db import connection
    from django.db.models.functions import TruncDate

    from reporting.periods import AMSTERDAM
    from reporting.sql import PercentileCont, WorkingDays, percentile_cont

    referral = _referral_model()
    if referral is None:
        return Measurement.unavailable()
    decided = referral.objects.filter(
        scope.region_q("school__municipality__region"),
        first_submitted_at__isnull=False,
        decided_at__date__gte=scope.start,
        decided_at__date__lte=scope.end,
    ).annotate(
        days=WorkingDays(
            TruncDate("first_submitted_at", tzinfo=AMSTERDAM), TruncDate("decided_at", tzinfo=AMSTERDAM)
        )
    )
    if connection.vendor == "postgresql":
        return decided.aggregate(median=PercentileCont("days", 0.5))["median"]
    return percentile_cont(list(decided.values_list("days", flat=True)), 0.5)  # SQLite demo


# --- The registry ---------------------------------------------------------------------------

INDICATORS = {
    indicator.key: indicator
    for indicator in [
        Indicator(
            "special_schools_with_contact",
            _("(v)so schools with a fixed contact person"),
            _("schools"),
            special_schools_with_contact,
            total=lambda scope: _special_schools(scope).count(),
        ),
        Indicator(
            "municipalities_with_contact",
            _("municipalities with a fixed contact person"),
            _("municipalities"),
            municipalities_with_contact,
            total=lambda scope: _municipalities(scope).count(),
        ),
        Indicator(
            "fixed_contact_coverage",
            _("(v)so schools and municipalities with a fixed contact person"),
            _("schools and municipalities"),
            fixed_contact_coverage,
            total=_fixed_contact_total,
        ),
        Indicator(
            "schools_with_tandem",
            _("schools with an active tandem"),
            _("schools"),
            schools_with_tandem,
            total=lambda scope: _schools(scope).count(),
        ),
        Indicator(
            "practitioner_meetings",
            _("practitioner meetings held this calendar year"),
            _("meetings"),
            practitioner_meetings,
            default_target=2,
        ),
        Indicator(
            "inspiration_sessions",
            _("inspiration sessions held this calendar year"),
            _("sessions"),
            inspiration_sessions,
            default_target=1,
        ),
        Indicator(
            "collective_funding_pilots",
            _("pilot schools with collective funding"),
            _("schools"),
            collective_funding_pilots,
            default_target=2,
        ),
        Indicator(
            "referrals_submitted",
            _("referrals submitted in the period"),
            _("referrals"),
            referrals_submitted,
        ),
        Indicator(
            "median_days_to_decision",
            _("median working days from submission to decision"),
            _("working days"),
            median_days_to_decision,
            higher_is_better=False,
        ),
    ]
}


def indicator_choices():
    return [(key, indicator.label) for key, indicator in INDICATORS.items()]


INDICATOR_CHOICES = indicator_choices


def get(key):
    return INDICATORS[key]


def measure(key, scope):
    return INDICATORS[key].measure(scope)


def measure_all(scope):
    """Every indicator for one scope, in registry order: [(indicator, measurement)]."""
    return [(indicator, indicator.measure(scope)) for indicator in INDICATORS.values()]

"""Waiting time in working days, against the norms (ADR 0052): the region's own, valid at the
referral's submission date, else the environment defaults (contacts/norms.py, ADR 0091).

The working days themselves are counted in portal/workdays.py (the same count the figures make
in SQL, public holidays left out, ADR 0090). `waited_at_least_cutoff` turns "waiting at least N
working days" into a moment, so SQL filters on it without a per-row function. The clock that
waits for the school (a returned referral) also pauses in the school holidays of the school's
region (`waiting_for_school`); the district team's norms never do.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from contacts.norms import NormBook, norms_for_referral
from portal.workdays import (
    add_working_days,
    as_date,
    nth_working_day_back,
    school_days_between,
    working_days_between,
)
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
    """The default decision norm (a region may set its own: contacts/norms.py)."""
    return settings.TANDEM_NORM_DECISION_DAYS


def help_started_norm():
    """The default help-started norm (a region may set its own: contacts/norms.py)."""
    return settings.TANDEM_NORM_HELP_STARTED_DAYS


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def over_norm_q(norm, today=None, book=None):
    """A Q on Referral: submitted long enough ago to be over its own `norm` ("decision" or
    "help_started") by today, each against its region's norm valid at its submission (ADR
    0091). Combine it with the state that is awaited (undecided, accepted without help)."""
    today = today or timezone.localdate()
    book = book or NormBook()

    def days(norms):
        return norms.decision_days if norm == "decision" else norms.help_started_days

    def over(norms):
        return Q(first_submitted_at__lt=waited_at_least_cutoff(days(norms) + 1, today))

    segments = book.segments()
    own = Q(school__municipality__region_id__in=segments) | Q(
        school__municipality__region__parent_id__in=segments
    )
    q = ~own & over(book.defaults)
    for region_id, spans in segments.items():
        in_region = Q(school__municipality__region_id=region_id) | Q(
            school__municipality__region__parent_id=region_id
        )
        for start, end, norms in spans:
            span = in_region & over(norms)
            if start is not None:
                span &= Q(first_submitted_at__gte=_midnight(start))
            if end is not None:
                span &= Q(first_submitted_at__lt=_midnight(end))
            q |= span
    return q


@dataclass(frozen=True)
class Waiting:
    norm: str  # "decision" or "help_started"
    days: int
    norm_days: int
    due: datetime.date | None = None  # the last working day within the norm

    @property
    def over(self):
        return self.days > self.norm_days

    @property
    def near(self):
        return not self.over and self.days >= self.norm_days - NEAR_MARGIN_DAYS

    @property
    def level(self):
        return "over" if self.over else "near" if self.near else "ok"


def decision_due(referral, norms=None):
    """The date by which a decision is due: the norm's number of working days after submission."""
    if referral.first_submitted_at is None:
        return None
    norms = norms or norms_for_referral(referral)
    return add_working_days(referral.first_submitted_at, norms.decision_days)


def waiting_for(referral, today=None, norms=None, with_due=True):
    """The running wait of a referral: for a decision while none was taken, for the start of
    help once accepted. None when nothing is awaited (draft, declined, help started, closed).
    `norms` (contacts.norms.Norms) saves the lookup when the caller has them. `with_due=False`
    leaves the due date out (None): a list that shows the days and not the date spares the
    count of the norm's working days a row."""
    today = today or timezone.localdate()
    start = referral.first_submitted_at
    if start is None:
        return None
    if referral.decided_at is None and referral.status not in ("draft", *FINAL_STATUSES):
        norms = norms or norms_for_referral(referral)
        n = norms.decision_days
        due = add_working_days(start, n) if with_due else None
        return Waiting("decision", working_days_between(start, today), n, due)
    if referral.status == "accepted" and referral.help_started_at is None:
        norms = norms or norms_for_referral(referral)
        n = norms.help_started_days
        due = add_working_days(start, n) if with_due else None
        return Waiting("help_started", working_days_between(start, today), n, due)
    return None


def waiting_for_school(referral, today=None):
    """Working days a returned referral has waited for the school's answer, counted from the
    latest return and paused in the school holidays of the school's region (ADR 0090). None
    unless the referral is returned."""
    if referral.status != "returned":
        return None
    returned_at = referral.events.filter(action="return").order_by("-at").values_list("at", flat=True).first()
    if returned_at is None:
        return None
    region = referral.school.municipality.region
    return school_days_between(as_date(returned_at), today or timezone.localdate(), region.school_region)


def decision_days(referral):
    """Submitted → decision in working days (None while undecided)."""
    if referral.first_submitted_at is None or referral.decided_at is None:
        return None
    return working_days_between(referral.first_submitted_at, referral.decided_at)


def help_started_days(referral):
    if referral.first_submitted_at is None or referral.help_started_at is None:
        return None
    return working_days_between(referral.first_submitted_at, referral.help_started_at)

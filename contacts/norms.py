"""Which waiting-time norms apply (ADR 0091): a region's own, valid at a referral's submission
date, else the environment defaults. Read by the referral waiting times, the reminders, the
automatic escalation and the report.

    norms_for_referral(referral)           one referral (one query, or none with a NormBook)
    NormBook()                             every region's norms in one query, for a batch
    norms_on(region, day)                  a region on a date
"""

import bisect
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from contacts.models import RegionNorm
from contacts.permissions import registry_cached
from portal.workdays import as_date

DEFAULT_AUTO_ESCALATE_MARGIN_DAYS = 5


@dataclass(frozen=True)
class Norms:
    decision_days: int
    help_started_days: int
    escalation_margin_days: int
    source: RegionNorm | None = None  # None: the environment defaults

    @property
    def escalation_threshold(self):
        """Working days without a decision after which a referral is escalated automatically."""
        return self.decision_days + self.escalation_margin_days

    @property
    def is_default(self):
        return self.source is None


def default_norms():
    return Norms(
        settings.TANDEM_NORM_DECISION_DAYS,
        settings.TANDEM_NORM_HELP_STARTED_DAYS,
        getattr(settings, "TANDEM_AUTO_ESCALATE_MARGIN_DAYS", DEFAULT_AUTO_ESCALATE_MARGIN_DAYS),
    )


def _from_row(row):
    return Norms(row.decision_days, row.help_started_days, row.escalation_margin_days, row)


def root_region_id(region):
    """The id of the region that owns the norms: a subregion's parent, else the region itself."""
    if region is None:
        return None
    return region.parent_id or region.pk


def referral_region_id(referral):
    """The norm-owning region of a referral: its school's municipality's region (ADR 0071)."""
    school = getattr(referral, "school", None)
    if school is None:
        return None
    return root_region_id(school.municipality.region)


def _norm_rows(region_ids):
    rows = (
        RegionNorm.objects.select_related("set_by")
        .defer("set_by__password")  # the rows are cached (below): no password hash in the cache
        .order_by("region_id", "valid_from", "set_at", "id")
    )
    if region_ids is not None:
        rows = rows.filter(region_id__in=region_ids)
    return list(rows)


class NormBook:
    """Every region's norms, loaded once (one query, or none: the rows are cached with the
    registry, whose generation a saved norm moves on; ADR 0169), to look up many referrals."""

    def __init__(self, region_ids=None):
        ids = None if region_ids is None else sorted(set(region_ids))
        rows = registry_cached(
            "norms", lambda: _norm_rows(ids), "all" if ids is None else ",".join(map(str, ids))
        )
        self._by_region = {}
        for row in rows:
            self._by_region.setdefault(row.region_id, []).append(row)
        self._starts = {rid: [r.valid_from for r in rs] for rid, rs in self._by_region.items()}
        self.defaults = default_norms()

    def on(self, region_id, day):
        """The norms of region `region_id` valid on `day` (a date or moment)."""
        rows = self._by_region.get(region_id)
        day = as_date(day)
        if not rows or day is None:
            return self.defaults
        index = bisect.bisect_right(self._starts[region_id], day)
        return _from_row(rows[index - 1]) if index else self.defaults

    def for_referral(self, referral):
        return self.on(referral_region_id(referral), referral.first_submitted_at)

    def segments(self):
        """{region_id: [(first day or None, day after the last or None, Norms)]}: the periods of
        submission dates in which each region with norms of its own had one norm."""
        out = {}
        for region_id, rows in self._by_region.items():
            latest = {}
            for row in rows:
                latest[row.valid_from] = row  # on the same date the latest set wins
            starts = sorted(latest)
            spans = [(None, starts[0], self.defaults)]
            for i, start in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else None
                spans.append((start, end, _from_row(latest[start])))
            out[region_id] = spans
        return out

    def thresholds(self):
        """Every automatic-escalation threshold in use: the default's and each row's."""
        rows = (row for rows in self._by_region.values() for row in rows)
        return {self.defaults.escalation_threshold, *(_from_row(row).escalation_threshold for row in rows)}

    def history(self, region_id):
        """The region's rows, newest first."""
        return list(reversed(self._by_region.get(region_id, [])))


def norms_on(region, day):
    """From the region's cached rows (NormBook): the latest set of those valid on `day`."""
    region_id = root_region_id(region) if hasattr(region, "parent_id") else region
    return NormBook([region_id]).on(region_id, day)


def norms_for_referral(referral):
    """The norms that apply to `referral`: valid at its submission date (today while a draft)."""
    return norms_on(referral_region_id(referral), referral.first_submitted_at or timezone.localdate())


def norms_in_period(region_id, first_day, last_day):
    """[(from, to or None, Norms)] that applied in the region from `first_day` to `last_day`, in
    order: what a report over that period measured against."""
    book = NormBook([region_id])
    spans = []
    current = book.on(region_id, first_day)
    start = first_day
    for row in reversed(book.history(region_id)):
        if first_day < row.valid_from <= last_day:
            norms = book.on(region_id, row.valid_from)
            if norms != current:
                spans.append((start, row.valid_from - datetime.timedelta(days=1), current))
                current, start = norms, row.valid_from
    spans.append((start, None, current))
    return spans

"""Escalation figures for the progress report and the dashboard (DESIGN §7), in SQL.

`escalation_figures(start, end)` counts the escalations RAISED from `start` to `end` (dates,
both inclusive, local time), optionally limited to referrals of some schools and/or some home
municipalities. Outcomes and the time to decision are those of the escalations among them that
have been decided. No child data leaves this function: counts and a median only. Counts below
5 are suppressed by the report, not here.
"""

import datetime

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from referrals.models import CarriedBy, Decision, Escalation, EscalationReason, Side


class Median(Aggregate):
    """percentile_cont(0.5) on PostgreSQL (production and tests)."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _bounds(start, end):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def escalation_queryset(start, end, schools_qs=None, municipalities_qs=None):
    low, high = _bounds(start, end)
    qs = Escalation.objects.filter(raised_at__gte=low, raised_at__lt=high)
    if schools_qs is not None:
        qs = qs.filter(referral__school__in=schools_qs)
    if municipalities_qs is not None:
        qs = qs.filter(referral__home_municipality__in=municipalities_qs)
    return qs


def escalation_figures(start, end, schools_qs=None, municipalities_qs=None):
    """{"total", "open", "decided", "by_reason": {code: n}, "by_outcome": {code: n},
    "automatic", "median_days_to_decision": float | None} — every reason and outcome present."""
    qs = escalation_queryset(start, end, schools_qs, municipalities_qs)
    by_reason = dict.fromkeys(EscalationReason.values, 0)
    by_reason.update(dict(qs.order_by().values_list("reason").annotate(n=Count("pk"))))
    decisions = Decision.objects.filter(escalation__in=qs.values("pk"))
    by_outcome = dict.fromkeys(CarriedBy.values, 0)
    by_outcome.update(dict(decisions.order_by().values_list("carried_by").annotate(n=Count("pk"))))
    totals = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state=Escalation.State.OPEN)),
        automatic=Count("pk", filter=Q(raised_side=Side.SYSTEM)),
    )
    duration = ExpressionWrapper(
        F("escalation__decided_at") - F("escalation__raised_at"), output_field=DurationField()
    )
    median = None
    if connection.vendor == "postgresql":
        value = decisions.aggregate(m=Median(duration, output_field=DurationField()))["m"]
        if value is not None:
            median = round(value.total_seconds() / 86400, 1)
    else:  # SQLite demo database: no percentile_cont
        values = sorted(
            (d.total_seconds() / 86400)
            for d in decisions.annotate(d=duration).values_list("d", flat=True)
            if d is not None
        )
        if values:
            mid = len(values) // 2
            median = round(values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2, 1)
    return {
        "total": totals["total"],
        "open": totals["open"],
        "decided": sum(by_outcome.values()),
        "automatic": totals["automatic"],
        "by_reason": by_reason,
        "by_outcome": by_outcome,
        "median_days_to_decision": median,
    }


__all__ = ["Median", "escalation_figures", "escalation_queryset"]

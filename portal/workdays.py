"""Working days, counted in Python for one referral and in SQL for millions: both live here,
side by side, so they keep agreeing (tests/reporting/test_working_days_agree.py).

A working day is Monday to Friday; public holidays are not counted out (ADR 0052). Counting is
over the half-open interval (start, end]: submitted on Monday, decided on Friday is 4 working
days; submitted on Friday, decided on Monday is 1; the same day is 0. A moment counts on its
date in Amsterdam.

The waiting-time figures are medians and 90th percentiles of such counts: `PercentileCont` in
SQL on PostgreSQL, `percentile_cont` in Python on the SQLite demo database, both behind
`day_count_stats`.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# --- Python -------------------------------------------------------------------------------------
def as_date(value):
    """A date from a date or a datetime (an aware one on its local date); None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def working_days_between(start, end):
    """Working days in the half-open interval (start, end]; 0 when end is not after start."""
    start, end = as_date(start), as_date(end)
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
    day = as_date(day)
    count = 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count >= n:
                return day
        day -= datetime.timedelta(days=1)


def working_days_before(day, count):
    """The latest date from which `count` working days have passed by the end of `day`: the
    working days after it, up to and including `day`, number `count` (`day` itself for 0)."""
    day = as_date(day)
    if count <= 0:
        return day
    return nth_working_day_back(day, count) - datetime.timedelta(days=1)


# --- SQL ----------------------------------------------------------------------------------------
# 2001-01-01 was a Monday. f(n) = weekdays in the n days from that Monday = 5*(n//7) + min(n%7, 5);
# working days in (start, end] = f(end - epoch + 1) - f(start - epoch + 1). A closed formula on
# day numbers, so it runs inside the database for any number of rows.
_PG_DAYNO = "(({d}) - DATE '2001-01-01' + 1)"
_SQLITE_DAYNO = "(CAST(julianday({d}) - julianday('2001-01-01') AS INTEGER) + 1)"


def _weekdays(dayno, least):
    return f"(5 * ({dayno} / 7) + {least}({dayno} %% 7, 5))"


class WorkingDays(Func):
    """Working days from the date `start` (exclusive) to the date `end` (inclusive); NULL when
    either is NULL. Both arguments must be dates: `local_date(field)` for a moment."""

    arity = 2
    output_field = IntegerField()

    def _sql(self, compiler, connection, dayno, least):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        end = _weekdays(dayno.format(d=end_sql), least)
        start = _weekdays(dayno.format(d=start_sql), least)
        # Each date appears twice in the formula, so its parameters do too.
        return f"({end} - {start})", [*end_params, *end_params, *start_params, *start_params]

    def as_postgresql(self, compiler, connection, **extra):
        return self._sql(compiler, connection, _PG_DAYNO, "LEAST")

    def as_sqlite(self, compiler, connection, **extra):
        return self._sql(compiler, connection, _SQLITE_DAYNO, "MIN")


def local_date(name):
    """The date in Amsterdam of the datetime field `name` (what WorkingDays counts with)."""
    return TruncDate(name, tzinfo=AMSTERDAM)


# --- Percentiles of day counts ------------------------------------------------------------------
class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont (linear interpolation), e.g. PercentileCont("days", 0.9)."""

    function = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction, **extra):
        if not 0 <= float(fraction) <= 1:
            raise ValueError("fraction must lie between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_cont(values, fraction):
    """The same interpolation as PostgreSQL's percentile_cont, for the SQLite demo only, on a
    list of day counts the database already computed."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    position = fraction * (len(data) - 1)
    lower = int(position)
    upper = min(lower + 1, len(data) - 1)
    return data[lower] + (data[upper] - data[lower]) * (position - lower)


def day_count_stats(queryset, *names):
    """[(n, median, p90)] per annotated day count `name`, in one query: percentiles in SQL on
    PostgreSQL; on SQLite (demo only) the database counts the days and Python interpolates."""
    if connection.vendor == "postgresql":
        aggregates = {}
        for name in names:
            aggregates[f"{name}_n"] = Count(name)
            aggregates[f"{name}_median"] = PercentileCont(name, 0.5)
            aggregates[f"{name}_p90"] = PercentileCont(name, 0.9)
        result = queryset.aggregate(**aggregates)
        return [(result[f"{n}_n"], result[f"{n}_median"], result[f"{n}_p90"]) for n in names]
    stats = []
    for name in names:
        days = list(queryset.filter(**{f"{name}__isnull": False}).values_list(name, flat=True))
        stats.append((len(days), percentile_cont(days, 0.5), percentile_cont(days, 0.9)))
    return stats

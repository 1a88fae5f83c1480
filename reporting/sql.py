"""SQL building blocks for the figures: working days between two dates, and percentiles.

Working days are Monday–Friday (no public holidays), counted from the day after the start up to
and including the end: submitted on Friday, decided on Monday = 1 working day. The count is a
closed formula on day numbers, so it runs inside the database for any number of rows.
"""

from django.db.models import Aggregate, FloatField, Func, IntegerField

# 2001-01-01 was a Monday. f(n) = weekdays in the n days from that Monday = 5*(n//7) + min(n%7, 5);
# working days in (start, end] = f(end - epoch + 1) - f(start - epoch + 1).
_PG_DAYNO = "(({d}) - DATE '2001-01-01' + 1)"
_SQLITE_DAYNO = "(CAST(julianday({d}) - julianday('2001-01-01') AS INTEGER) + 1)"


def _weekdays(dayno, least):
    return f"(5 * ({dayno} / 7) + {least}({dayno} %% 7, 5))"


class WorkingDays(Func):
    """Working days from the date `start` (exclusive) to the date `end` (inclusive); NULL when
    either is NULL. Both arguments must be dates (use TruncDate with the Amsterdam zone)."""

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

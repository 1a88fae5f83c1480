"""Working days, counted in Python for one referral and in SQL for millions: both live here,
side by side, so they keep agreeing (tests/reporting/test_working_days_agree.py).

A working day is Monday to Friday that is not a public holiday counted by
TANDEM_WORKDAY_HOLIDAYS (ADR 0090; the dates come from the `holidays` package). Counting is over
the half-open interval (start, end]: submitted on Monday, decided on Friday is 4 working days;
submitted on Friday, decided on Monday is 1; the same day is 0. A moment counts on its date in
Amsterdam.

Python asks the calendar directly; SQL subtracts the rows of the `Holiday` table, which holds
the same days (only those on Monday to Friday) for CALENDAR_FIRST_YEAR up to
CALENDAR_YEARS_AHEAD years from now. `sync_calendar` fills it: the migration that creates it,
every `migrate` (post_migrate, so a changed setting takes effect on deploy) and the daily beat
task `portal.sync_calendar` keep it filled.

School holidays (per school-holiday region noord/midden/zuid, the `SchoolHoliday` table, ADR
0090) are not part of this count: they pause only the clock that waits for a school
(`school_days_between`).

The waiting-time figures are medians and 90th percentiles of such counts: `PercentileCont` in
SQL on PostgreSQL, `percentile_cont` in Python on the SQLite demo database, both behind
`day_count_stats`.
"""

import bisect
import datetime
import functools
import json
import pathlib
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.models import Holiday, SchoolHoliday

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# --- Which days are public holidays (ADR 0090) ---------------------------------------------------
# TANDEM_WORKDAY_HOLIDAYS, one of:
TERMIJNENWET = "termijnenwet"  # the Algemene termijnenwet, art. 3: New Year's Day, Easter Monday,
# King's Day, 5 May every year, Ascension Day, Whit Monday, Christmas Day and Boxing Day
# (Easter and Whit Sunday are Sundays anyway). Good Friday is not in it. The default.
TERMIJNENWET_GOOD_FRIDAY = "termijnenwet+goede-vrijdag"  # the same and Good Friday
NONE = "none"  # weekends only (as before ADR 0090)
HOLIDAY_CHOICES = (TERMIJNENWET, TERMIJNENWET_GOOD_FRIDAY, NONE)

# The years the Holiday table holds: from CALENDAR_FIRST_YEAR up to this many years ahead.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_YEARS_AHEAD = 10

# School-holiday regions (rijksoverheid.nl, "regio's schoolvakanties").
SCHOOL_REGION_NORTH = "noord"
SCHOOL_REGION_MIDDLE = "midden"
SCHOOL_REGION_SOUTH = "zuid"
SCHOOL_REGIONS = (SCHOOL_REGION_NORTH, SCHOOL_REGION_MIDDLE, SCHOOL_REGION_SOUTH)


def holiday_choice():
    return getattr(settings, "TANDEM_WORKDAY_HOLIDAYS", TERMIJNENWET)


@functools.lru_cache(maxsize=512)
def _holidays_of_year(year, choice):
    """{date: name} of the counted public holidays of one year, weekends included."""
    if choice == NONE:
        return {}
    # Imported on first use, not with the module: the package weighs about 9 MB, and a process
    # that counts from the Holiday table only (the half-year report) never needs it.
    import holidays

    # PUBLIC holds 5 May only in lustrum years and Good Friday; OPTIONAL holds 5 May every year.
    calendar = holidays.country_holidays(
        "NL", years=year, categories=(holidays.PUBLIC, holidays.OPTIONAL), language="nl"
    )
    days = dict(calendar.items())
    if choice != TERMIJNENWET_GOOD_FRIDAY:
        days.pop(easter(year) - datetime.timedelta(days=2), None)
    return days


def public_holidays(year, choice=None):
    """{date: name} of the public holidays counted in `year` (weekends included)."""
    return dict(_holidays_of_year(year, choice or holiday_choice()))


@functools.lru_cache(maxsize=512)
def _weekday_holidays(year, choice):
    return tuple(sorted(d for d in _holidays_of_year(year, choice) if d.weekday() < 5))


def is_working_day(day):
    day = as_date(day)
    return day.weekday() < 5 and day not in _holidays_of_year(day.year, holiday_choice())


def _holidays_in(start, end):
    """How many counted holidays on Monday to Friday fall in (start, end]."""
    choice = holiday_choice()
    count = 0
    for year in range(start.year, end.year + 1):
        days = _weekday_holidays(year, choice)
        count += bisect.bisect_right(days, end) - bisect.bisect_right(days, start)
    return count


# --- Python -------------------------------------------------------------------------------------
def as_date(value):
    """A date from a date or a datetime (an aware one on its local date); None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def weekdays_between(start, end):
    """Monday to Friday in (start, end], holidays not counted out; 0 when end is not after start."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + datetime.timedelta(days=i)).weekday() < 5:
            count += 1
    return count


def working_days_between(start, end):
    """Working days in the half-open interval (start, end]; 0 when end is not after start."""
    start, end = as_date(start), as_date(end)
    if start is None or end is None or end <= start:
        return 0
    return weekdays_between(start, end) - _holidays_in(start, end)


def nth_working_day_back(day, n):
    """The n-th working day counting back from `day` (day itself counts when it is a working
    day). Anything that started before it has waited at least n working days by `day`."""
    day = as_date(day)
    count = 0
    while True:
        if is_working_day(day):
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


def add_working_days(day, count):
    """The date `count` working days after `day`: the day a norm of `count` working days from
    `day` falls due (working_days_between(day, result) == count; `day` itself for 0)."""
    day = as_date(day)
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


# --- School holidays (the clock that waits for a school) -------------------------------------
def school_holiday_dates(school_region, first, last):
    """The set of dates from `first` to `last` (both included) in a school holiday of
    `school_region` (noord, midden or zuid; empty when blank)."""
    if not school_region:
        return set()
    days = set()
    rows = SchoolHoliday.objects.filter(region=school_region, first_day__lte=last, last_day__gte=first)
    for first_day, last_day in rows.values_list("first_day", "last_day"):
        day = max(first_day, first)
        while day <= min(last_day, last):
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


def school_days_between(start, end, school_region):
    """Working days in (start, end] outside the school holidays of `school_region`: the clock
    that waits for a school pauses during its holidays (ADR 0090); the district team's norms
    never do (working_days_between)."""
    start, end = as_date(start), as_date(end)
    count = working_days_between(start, end)
    if not count or not school_region:
        return count
    paused = school_holiday_dates(school_region, start + datetime.timedelta(days=1), end)
    return count - sum(1 for day in paused if is_working_day(day))


SHIPPED_SCHOOL_HOLIDAYS = pathlib.Path(__file__).parent / "data" / "school_holidays.json"


class SchoolHolidayDataError(ValueError):
    """A school-holiday file that cannot be loaded; the message says which entry and why."""


def parse_school_holidays(data):
    """[(region, name, first_day, last_day)] from the JSON document `data` (the shape of
    portal/data/school_holidays.json: {"holidays": [{"region", "name", "first_day",
    "last_day"}, ...]}); SchoolHolidayDataError on the first bad entry."""
    rows = data.get("holidays") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise SchoolHolidayDataError('expected an object with a list "holidays"')
    parsed = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise SchoolHolidayDataError(f"entry {number}: expected an object")
        region, name = row.get("region"), str(row.get("name") or "").strip()
        if region not in SCHOOL_REGIONS:
            raise SchoolHolidayDataError(f"entry {number}: region must be one of {', '.join(SCHOOL_REGIONS)}")
        if not name or len(name) > 100 or "\x00" in name:
            raise SchoolHolidayDataError(f"entry {number}: a name of 1 to 100 characters is required")
        try:
            first = datetime.date.fromisoformat(str(row.get("first_day")))
            last = datetime.date.fromisoformat(str(row.get("last_day")))
        except ValueError:
            raise SchoolHolidayDataError(
                f"entry {number}: first_day and last_day must be dates (YYYY-MM-DD)"
            ) from None
        if last < first or (last - first).days > 80:
            raise SchoolHolidayDataError(
                f"entry {number}: last_day must be on or after first_day, at most 80 days later"
            )
        parsed.append((region, name, first, last))
    return parsed


def load_school_holidays(rows, school_holiday_model=None, using="default"):
    """Store parsed school holidays: one row per region and first day, updated when it exists.
    All or nothing. Returns (created, updated)."""
    if school_holiday_model is None:
        school_holiday_model = SchoolHoliday
    created = updated = 0
    with transaction.atomic(using=using):
        for region, name, first, last in rows:
            _obj, new = school_holiday_model.objects.using(using).update_or_create(
                region=region, first_day=first, defaults={"name": name, "last_day": last}
            )
            created += new
            updated += not new
    return created, updated


def load_shipped_school_holidays(school_holiday_model=None, using="default"):
    with open(SHIPPED_SCHOOL_HOLIDAYS, encoding="utf-8") as handle:
        return load_school_holidays(parse_school_holidays(json.load(handle)), school_holiday_model, using)


# --- The Holiday table the SQL count reads ------------------------------------------------------
def calendar_years(today=None):
    today = today or datetime.date.today()
    return range(CALENDAR_FIRST_YEAR, today.year + CALENDAR_YEARS_AHEAD + 1)


def sync_calendar(years=None, using="default", holiday_model=None):
    """Make the Holiday table hold exactly the counted holidays on Monday to Friday of `years`
    (default calendar_years()); rows of other years are left alone. Returns (added, removed).
    Idempotent; the migration passes its historical model."""
    if holiday_model is None:
        holiday_model = Holiday
    years = list(years if years is not None else calendar_years())
    choice = holiday_choice()
    wanted = {}
    for year in years:
        for day, name in _holidays_of_year(year, choice).items():
            if day.weekday() < 5:
                wanted[day] = name[:100]
    rows = holiday_model.objects.using(using).filter(day__year__in=years)
    with transaction.atomic(using=using):
        present = dict(rows.values_list("day", "name"))
        stale = [day for day, name in present.items() if wanted.get(day) != name]
        if stale:
            holiday_model.objects.using(using).filter(day__in=stale).delete()
        missing = [holiday_model(day=d, name=n) for d, n in wanted.items() if present.get(d) != n]
        holiday_model.objects.using(using).bulk_create(missing)
    return len(missing), len(stale)


# --- SQL ----------------------------------------------------------------------------------------
# 2001-01-01 was a Monday. f(n) = weekdays in the n days from that Monday = 5*(n//7) + min(n%7, 5);
# weekdays in (start, end] = f(end - epoch + 1) - f(start - epoch + 1): a closed formula on day
# numbers. The holidays on weekdays in (start, end] are counted from the Holiday table (a few
# hundred rows, primary key on the date) and subtracted.
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
        table = connection.ops.quote_name(Holiday._meta.db_table)
        holidays_sql = (
            f"(SELECT COUNT(*) FROM {table} AS wd_h WHERE wd_h.day > {start_sql} AND wd_h.day <= {end_sql})"  # noqa: S608 (compiled expressions, parameters apart)
        )
        # Each date appears three times in the formula, so its parameters do too.
        return f"({end} - {start} - {holidays_sql})", [
            *end_params,
            *end_params,
            *start_params,
            *start_params,
            *start_params,
            *end_params,
        ]

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

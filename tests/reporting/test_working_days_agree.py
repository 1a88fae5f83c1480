"""Working days exist twice on purpose: in Python for one referral and in SQL for millions
(portal.workdays.working_days_between and WorkingDays). They must agree, public holidays
included (ADR 0090), under every TANDEM_WORKDAY_HOLIDAYS choice."""

import datetime

import pytest
from django.db.models import DateField, Value
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.models import Region
from portal import workdays
from portal.models import Holiday
from portal.workdays import WorkingDays, working_days_before, working_days_between

dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))


def _sql_days(start, end):
    Region.objects.get_or_create(code="WD", defaults={"name": "Werkdagen"})
    return (
        Region.objects.filter(code="WD")
        .annotate(
            days=WorkingDays(Value(start, output_field=DateField()), Value(end, output_field=DateField()))
        )
        .values_list("days", flat=True)
        .get()
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(start=dates, end=dates)
def test_sql_and_python_working_days_agree(start, end):
    sql = _sql_days(start, end)
    expected = working_days_between(start, end)
    if end >= start:
        assert sql == expected
    else:
        assert expected == 0  # Python clamps a reversed interval; SQL returns a negative count


# Short periods around the holidays, where a disagreement would show.
near_holidays = st.builds(
    lambda day, before, after: (day - datetime.timedelta(days=before), day + datetime.timedelta(days=after)),
    st.sampled_from(
        sorted(d for year in range(2020, 2031) for d in workdays.public_holidays(year, workdays.TERMIJNENWET))
    ),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=10),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(period=near_holidays, choice=st.sampled_from(workdays.HOLIDAY_CHOICES))
def test_sql_and_python_agree_around_holidays_under_every_choice(period, choice):
    start, end = period
    with override_settings(TANDEM_WORKDAY_HOLIDAYS=choice):
        workdays.sync_calendar(range(start.year, end.year + 1))
        try:
            assert _sql_days(start, end) == working_days_between(start, end)
        finally:
            with override_settings(TANDEM_WORKDAY_HOLIDAYS=workdays.TERMIJNENWET):
                workdays.sync_calendar(range(start.year, end.year + 1))


@pytest.mark.django_db
def test_the_table_holds_the_weekday_holidays_of_the_coming_years():
    next_year = datetime.date.today().year + workdays.CALENDAR_YEARS_AHEAD
    days = set(Holiday.objects.values_list("day", flat=True))
    assert datetime.date(2027, 4, 27) in days  # King's Day, a Tuesday
    assert datetime.date(2026, 12, 26) not in days  # Boxing Day 2026 is a Saturday
    assert datetime.date(2027, 3, 26) not in days  # Good Friday: not in the Algemene termijnenwet
    assert datetime.date(2026, 5, 5) in days  # 5 May every year, not only in lustrum years
    assert any(d.year == next_year for d in days)
    assert all(d.weekday() < 5 for d in days)
    assert workdays.sync_calendar() == (0, 0)  # idempotent


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # Christmas 2026 (Fri) and New Year's Day 2027 (Fri); Boxing Day is a Saturday.
        (datetime.date(2026, 12, 21), datetime.date(2027, 1, 8), 13),
        # April 2027: King's Day, Tuesday 27 April; Easter Monday is 29 March.
        (datetime.date(2027, 4, 1), datetime.date(2027, 4, 30), 21),
        # Easter 2027: Good Friday counts, Easter Monday does not.
        (datetime.date(2027, 3, 26), datetime.date(2027, 3, 29), 1),
        # Ascension Day 2027 (Thu 6 May) and Whit Monday (17 May); 5 May (Wed) too.
        (datetime.date(2027, 5, 3), datetime.date(2027, 5, 21), 12),
    ],
)
def test_accepted_answers(first, last, expected):
    assert working_days_between(first - datetime.timedelta(days=1), last) == expected


def test_good_friday_and_none_choices():
    good_friday = datetime.date(2027, 3, 26)
    assert workdays.is_working_day(good_friday)
    with override_settings(TANDEM_WORKDAY_HOLIDAYS=workdays.TERMIJNENWET_GOOD_FRIDAY):
        assert not workdays.is_working_day(good_friday)
    with override_settings(TANDEM_WORKDAY_HOLIDAYS=workdays.NONE):
        assert workdays.is_working_day(datetime.date(2026, 12, 25))
        assert working_days_between(datetime.date(2026, 12, 20), datetime.date(2027, 1, 8)) == 15


def test_add_working_days_is_the_inverse_of_the_count():
    # From Wednesday 23 December 2026, Christmas Day (Fri) and New Year's Day (Fri) left out:
    # five working days later is Thursday 31 December, six is Monday 4 January 2027.
    assert workdays.add_working_days(datetime.date(2026, 12, 23), 5) == datetime.date(2026, 12, 31)
    assert workdays.add_working_days(datetime.date(2026, 12, 23), 6) == datetime.date(2027, 1, 4)
    assert workdays.add_working_days(datetime.date(2026, 12, 23), 0) == datetime.date(2026, 12, 23)


@settings(max_examples=200, deadline=None)
@given(day=dates, count=st.integers(min_value=0, max_value=30))
def test_working_days_before_is_the_latest_day_with_that_many_working_days_after_it(day, count):
    start = working_days_before(day, count)
    assert working_days_between(start, day) == count
    if count:
        assert working_days_between(start + datetime.timedelta(days=1), day) < count


@settings(max_examples=200, deadline=None)
@given(day=dates, count=st.integers(min_value=0, max_value=30))
def test_add_working_days_lands_on_a_working_day_that_many_days_later(day, count):
    due = workdays.add_working_days(day, count)
    assert working_days_between(day, due) == count
    if count:
        assert workdays.is_working_day(due)

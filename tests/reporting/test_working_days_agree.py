"""Working days exist twice on purpose: in Python for one referral and in SQL for millions
(portal.workdays.working_days_between and WorkingDays). They must agree."""

import datetime

import pytest
from django.db.models import DateField, Value
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.models import Region
from portal.workdays import WorkingDays, working_days_before, working_days_between

dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(start=dates, end=dates)
def test_sql_and_python_working_days_agree(start, end):
    Region.objects.get_or_create(code="WD", defaults={"name": "Werkdagen"})
    sql = (
        Region.objects.filter(code="WD")
        .annotate(
            days=WorkingDays(Value(start, output_field=DateField()), Value(end, output_field=DateField()))
        )
        .values_list("days", flat=True)
        .get()
    )
    expected = working_days_between(start, end)
    if end >= start:
        assert sql == expected
    else:
        assert expected == 0  # Python clamps a reversed interval; SQL returns a negative count


@settings(max_examples=200, deadline=None)
@given(day=dates, count=st.integers(min_value=0, max_value=30))
def test_working_days_before_is_the_latest_day_with_that_many_working_days_after_it(day, count):
    start = working_days_before(day, count)
    assert working_days_between(start, day) == count
    if count:
        assert working_days_between(start + datetime.timedelta(days=1), day) < count

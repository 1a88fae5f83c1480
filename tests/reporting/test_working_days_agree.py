"""Working days exist twice on purpose: in Python for one referral (referrals.waiting) and in
SQL for millions (reporting.sql.WorkingDays). They must agree."""

import datetime

import pytest
from django.db.models import DateField, Value
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.models import Region
from referrals.waiting import working_days_between
from reporting.sql import WorkingDays

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

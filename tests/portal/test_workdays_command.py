"""`manage.py workdays` and `load_school_holidays` (ADR 0090)."""

import datetime
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Region
from portal import workdays
from portal.apps import _sync_calendar
from portal.models import SchoolHoliday


def _run(*args):
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-12-21", "2027-01-08", "13"),
        ("2027-04-01", "2027-04-30", "21"),
        ("2027-04-27", "2027-04-27", "0"),
    ],
)
def test_prints_the_count_alone_on_the_last_line(first, last, expected):
    lines = _run(first, last)
    assert lines[-1] == expected


@pytest.mark.django_db
def test_lists_the_holidays_it_left_out():
    lines = _run("2027-04-01", "2027-04-30")
    assert any("2027-04-27" in line and "Koningsdag" in line for line in lines[:-1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2027-04-30", "2027-04-01"), "lies before FROM"),
        (("2027-4-1", "2027-04-30"), "FROM must be a date"),
        (("2027-04-01", "morgen"), "TO must be a date"),
        (("2027-02-30", "2027-03-01"), "FROM must be a date"),
        (("1900-01-01", "2027-03-01"), "more than 50 years"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


@pytest.mark.django_db
def test_bad_input_on_the_command_line_is_one_line_without_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "2027-13-01", "2027-04-30"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FROM must be a date" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_school_region_leaves_out_that_regions_school_holidays():
    # Christmas holiday 2026-27 in every region: 19 December to 3 January.
    assert _run("2026-12-21", "2027-01-08", "--school-region", "midden")[-1] == "5"


@pytest.mark.django_db
def test_the_shipped_school_holidays_are_loaded_for_three_school_years():
    for region in workdays.SCHOOL_REGIONS:
        rows = SchoolHoliday.objects.filter(region=region)
        assert rows.filter(first_day__gte="2025-08-01", last_day__lte="2028-09-30").count() == 15
    summer = SchoolHoliday.objects.get(region="midden", name="Zomervakantie", first_day__year=2026)
    assert (summer.first_day, summer.last_day) == (datetime.date(2026, 7, 18), datetime.date(2026, 8, 30))


@pytest.mark.django_db(transaction=True)
def test_a_flush_refills_an_emptied_school_holiday_table_and_leaves_a_loaded_one_alone():
    # A transactional test ends with a flush; the tests after it in the same process still
    # need the shipped school holidays, as a fresh database has them from the migration.
    shipped = SchoolHoliday.objects.count()
    SchoolHoliday.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    assert SchoolHoliday.objects.count() == shipped > 0
    # A table with rows (an operator's own file) is not overwritten by the next migrate/flush.
    SchoolHoliday.objects.exclude(region="midden").delete()
    SchoolHoliday.objects.filter(region="midden").update(name="Eigen naam")
    _sync_calendar()
    assert set(SchoolHoliday.objects.values_list("name", flat=True)) == {"Eigen naam"}


@pytest.mark.django_db
def test_load_school_holidays_loads_a_later_year_and_updates(tmp_path):
    path = tmp_path / "2028-2029.json"
    rows = [
        {"region": "noord", "name": "Herfstvakantie", "first_day": "2028-10-14", "last_day": "2028-10-22"},
        {"region": "noord", "name": "Kerstvakantie", "first_day": "2028-12-23", "last_day": "2029-01-07"},
    ]
    path.write_text(json.dumps({"holidays": rows}))
    out = StringIO()
    call_command("load_school_holidays", str(path), stdout=out)
    assert "2 added, 0 updated" in out.getvalue()
    call_command("load_school_holidays", str(path), stdout=out)
    assert "0 added, 2 updated" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        (json.dumps({"holidays": [{"region": "oost", "name": "x"}]}), "entry 1: region"),
        (
            json.dumps(
                {
                    "holidays": [
                        {"region": "zuid", "name": "x", "first_day": "2029-01-09", "last_day": "2029-01-01"}
                    ]
                }
            ),
            "on or after first_day",
        ),
        (json.dumps([1, 2]), "a list"),
    ],
)
def test_load_school_holidays_refuses_a_bad_file_and_loads_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = SchoolHoliday.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_school_holidays", str(path))
    assert SchoolHoliday.objects.count() == before


@pytest.mark.django_db
def test_school_holidays_pause_only_the_school_clock():
    returned = datetime.date(2026, 12, 18)  # Friday before the Christmas holiday
    back = datetime.date(2027, 1, 8)
    assert workdays.working_days_between(returned, back) == 13
    assert workdays.school_days_between(returned, back, "midden") == 5
    assert workdays.school_days_between(returned, back, "") == 13
    region = Region.objects.create(code="SH", name="Schoolregio", school_holiday_region="zuid")
    sub = Region.objects.create(code="SH1", name="Deelregio", parent=region)
    assert sub.school_region == "zuid"

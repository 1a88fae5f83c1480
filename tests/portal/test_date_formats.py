"""Dates in text go through the active language's formats (ADR 0166): no template writes its
own date format, a Dutch page reads "3 december 2026", an English one "Dec. 3, 2026", and where
the moment matters outside the portal the zone follows ("14:05 (CET)")."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.dates import moment_with_zone
from portal.models import Notification

TEMPLATES = Path(settings.BASE_DIR) / "templates"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The format names of django.conf.global_settings (resolved per language, ADR 0166); "T" is the
# zone abbreviation shown after a time, "l" the weekday before a DATE_FORMAT date.
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
    "T",
    "l",
}
# Machine-readable values, which must not follow the language: ISO 8601 in a meta element's
# content or a URL's query string.
MACHINE = {
    ("reporting/report_pdf.html", "c"),
    ("security/register_pdf.html", "c"),
    ("security/subject_access_pdf.html", "c"),
    ("security/request_detail.html", "Y-m-d"),
}
FILTER = re.compile(r"""\|(date|time):\s*(["'])(.*?)\2""")


def hand_written_formats(root=TEMPLATES):
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".html", ".txt"} or not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in FILTER.finditer(line):
                fmt = match.group(3)
                if fmt not in NAMED and (name, fmt) not in MACHINE:
                    found.append(f"{name}:{number}: |{match.group(1)}:{match.group(2)}{fmt}{match.group(2)}")
    return found


def test_no_template_writes_its_own_date_format():
    assert hand_written_formats() == [], "use a named format (DATE_FORMAT, SHORT_DATETIME_FORMAT, …)"


def test_the_scan_finds_a_hand_written_format(tmp_path):
    (tmp_path / "x.html").write_text('{{ a|date:"DATE_FORMAT" }} {{ b|date:"j-n-Y" }}\n{{ c|time:\'H:i\' }}')
    assert hand_written_formats(tmp_path) == ['x.html:1: |date:"j-n-Y"', "x.html:2: |time:'H:i'"]


def test_the_allow_list_names_only_lines_that_exist():
    for name, fmt in MACHINE:
        assert f"|date:'{fmt}'" in (TEMPLATES / name).read_text(), name


APPS = ("agenda", "contacts", "escalations", "portal", "referrals", "reporting", "security")
# In Python: date_format with a literal that is no named format, or strftime in a human order
# (day before month, a month's name). ISO stamps ("%Y-%m-%d", "%Y%m%d-%H%M%S") are machine text.
PY_FORMAT = re.compile(
    r"""date_format\([^()]*(?:\([^()]*\))?[^()]*,\s*["']([^"']+)["']\)|strftime\(["']([^"']*(?:%d-%m|%B|%b|%A)[^"']*)["']\)"""
)


def hand_written_python_formats(root=Path(settings.BASE_DIR)):
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for match in PY_FORMAT.finditer(line):
                    fmt = match.group(1) or match.group(2)
                    if match.group(2) or fmt not in NAMED:
                        found.append(f"{path.relative_to(root).as_posix()}:{number}: {match.group(0)}")
    return found


def test_no_python_code_writes_its_own_date_format():
    assert hand_written_python_formats() == [], "use date_format(value, 'SHORT_DATE_FORMAT') and the like"


def test_the_python_scan_finds_a_hand_written_format(tmp_path):
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "x.py").write_text(
        'a = date_format(timezone.localtime(v), "j F Y")\nb = d.strftime("%d-%m-%Y")\n'
        'c = date_format(v, "DATE_FORMAT")\nd = now.strftime("%Y%m%d-%H%M%S")\n'
    )
    assert [f.split(": ")[0] for f in hand_written_python_formats(tmp_path)] == [
        "portal/x.py:1",
        "portal/x.py:2",
    ]


MOMENT = datetime.datetime(2026, 12, 3, 14, 5, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        ("nl", "DATE_FORMAT", "3 december 2026"),
        ("nl", "DATETIME_FORMAT", "3 december 2026 14:05"),
        ("nl", "SHORT_DATE_FORMAT", "03-12-2026"),
        ("nl", "SHORT_DATETIME_FORMAT", "03-12-2026 14:05"),
        ("nl", "YEAR_MONTH_FORMAT", "december 2026"),
        ("en", "DATE_FORMAT", "Dec. 3, 2026"),
        ("en", "SHORT_DATE_FORMAT", "12/03/2026"),
    ],
)
def test_the_named_formats_per_language(language, fmt, expected):
    with translation.override(language):
        assert Template("{{ d|date:'" + fmt + "' }}").render(Context({"d": MOMENT})) == expected


def test_a_moment_with_its_zone_in_winter_and_summer():
    summer = datetime.datetime(2026, 7, 3, 12, 5, tzinfo=datetime.UTC)
    with translation.override("nl"):
        assert moment_with_zone(MOMENT.astimezone(datetime.UTC)) == "3 december 2026 14:05 (CET)"
        assert moment_with_zone(summer, "SHORT_DATETIME_FORMAT") == "03-07-2026 14:05 (CEST)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "other"),
    [("nl", "3 december 2026 14:05", "Dec. 3, 2026"), ("en", "Dec. 3, 2026, 2:05", "3 december 2026")],
)
def test_a_page_shows_the_date_in_its_language(client, world, language, expected, other):
    user = world.user("school_coordinator")
    n = Notification.objects.create(user=user, kind="k", subject="Er wacht iets", body="b", url="/")
    Notification.objects.filter(pk=n.pk).update(created_at=MOMENT)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("notifications:list")).content.decode()
    assert expected in html
    assert other not in html

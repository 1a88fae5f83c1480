"""The aggregate tables as CSV and XLSX (the startfoto extract), from the same figures.

Every value is the displayed, already suppressed value; nothing is recomputed here."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from reporting.startfoto import comparison

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Spreadsheet programs must not run a cell as a formula (CSV injection)."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def rows(figures):
    """Long format: one line per value."""
    yield [_("Period"), _("Scope"), _("Section"), _("Table"), _("Row"), _("Column"), _("Value")]
    meta = [figures.period.label, figures.scope.label]
    for kf in figures.key_figures:
        yield [*meta, _("Summary"), _("Key figures"), kf.label, _("Value"), kf.display]
    for section in figures.sections:
        for table in section.tables:
            body = list(table.rows) + ([table.footer] if table.footer else [])
            for row in body:
                for header, value in zip(table.headers[1:], row[1:], strict=False):
                    yield [*meta, section.title, table.caption, row[0], header, value]


def to_csv(figures):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows(figures):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(figures):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Startfoto"
    for row in rows(figures):
        sheet.append([_safe(v) for v in row])
    for column, width in zip("ABCDEFG", (10, 30, 28, 40, 40, 30, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def startfoto_rows(current, previous):
    """The startfoto (ADR 0155) of `current` (a StartPhoto) next to `previous` (or None)."""
    before = previous.school_year_label if previous else _("previous school year")
    yield [_("Area"), _("Measure"), current.school_year_label, before, _("Difference")]
    for area in comparison(current.data, previous.data if previous else None):
        for line in area.lines:
            difference = line.change if line.change is not None else line.difference
            yield [area.name, line.label, line.current, line.previous, difference]


def startfoto_xlsx(current, previous):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Startfoto"
    for row in startfoto_rows(current, previous):
        # The difference is a number cell where there is one, so a spreadsheet can sum it.
        sheet.append([v if isinstance(v, int | float) else _safe(v) for v in row])
    for column, width in zip("ABCDE", (30, 55, 14, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

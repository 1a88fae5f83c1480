"""The aggregate tables as CSV and XLSX (the startfoto extract), from the same figures.

Every value is the displayed, already suppressed value; nothing is recomputed here."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

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

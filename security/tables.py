"""The rows of the access-log viewer, written in Python: as template code per row (50 rows, seven
cells, two date filters each) they were most of the page's rendering (ADR 0177). The
same markup, escaped the same way (tests/security/test_tables.py compares it with the rows the
template wrote), each value by portal.markup.esc; the table, its caption and head stay in
templates/security/access_log.html."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from portal.markup import esc


def access_log_row_html(entry):
    """One entry, described by security.accesslog.describe (its labels and references)."""
    at = timezone.localtime(entry.at)
    cells = [
        f"{date_format(at, 'SHORT_DATETIME_FORMAT')} ({date_format(at, 'T')})",
        entry.user.email,
        entry.role_label,
        entry.organisation,
        entry.action_label,
        entry.object_label,
        entry.references,
    ]
    tds = "\n".join(f'      <td class="utrecht-table__cell">{esc(cell)}</td>' for cell in cells)
    return mark_safe(f'    <tr class="utrecht-table__row">\n{tds}\n    </tr>\n')  # noqa: S308 - cells escaped


def access_log_rows_html(entries):
    return mark_safe("".join(access_log_row_html(entry) for entry in entries))  # noqa: S308 - rows are safe

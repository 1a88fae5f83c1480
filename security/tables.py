"""The rows of the access-log viewer, written in Python: as template code per row (50 rows, seven
cells, two date filters each) they were most of the page's rendering (ADR 0177). The
same markup, escaped the same way (tests/security/test_tables.py compares it with the rows the
template wrote), each value by portal.markup.esc; the table, its caption and head stay in
templates/security/access_log.html."""

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

from portal.markup import esc


def _when_format():
    """The moment as `{{ at|date:"SHORT_DATETIME_FORMAT" }} ({{ at|date:"T" }})` writes it, as
    one format of the current language: one formatter a row instead of two."""
    return f"{get_format('SHORT_DATETIME_FORMAT')} (T)"


def access_log_row_html(entry, when_format=None):
    """One entry, described by security.accesslog.describe (its labels and references)."""
    at = timezone.localtime(entry.at)
    when_format = when_format or _when_format()
    cells = [
        dateformat.format(at, when_format),
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
    when_format = _when_format()
    return mark_safe("".join(access_log_row_html(entry, when_format) for entry in entries))  # noqa: S308 - rows are safe

"""Dates and times for people: the active language's formats, in the portal's time zone (ADR 0166).

Machine-readable values (exports' cells, `datetime` attributes, URLs) stay ISO 8601; this is
only for text a person reads. Where the moment matters outside the portal (e-mails, the access
log, exports) the zone abbreviation follows in brackets: "3 december 2026 14:05 (CET)".
"""

from django.utils import timezone
from django.utils.formats import date_format


def moment_with_zone(value, format_name="DATETIME_FORMAT"):
    """`value` (an aware datetime) in TIME_ZONE, formatted by `format_name`, with its zone."""
    local = timezone.localtime(value)
    return f"{date_format(local, format_name)} ({date_format(local, 'T')})"

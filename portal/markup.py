"""Escaping for markup written in Python, one value at a time (ADR 0177).

`esc(value)` is what `django.utils.html.conditional_escape` does to a value, without its
wrappers for lazy strings: a safe string (one with `__html__`) as it is, anything else as its
text with & < > " ' escaped, the same characters as `django.utils.html.escape`. A row writer
puts each value through it as it writes the value in, and marks the finished row safe once;
format_html's machinery per cell cost a table page more than the rest of its row
(bench/FINDINGS.md). tests/portal/test_markup.py holds it to Django's own escaping. Beside
it the two other things every row writer needs: a date as the `date` filter writes it, and a
link reversed once per table."""

import html

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import template_localtime


def esc(value):
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def date_text(value, format_name="DATE_FORMAT"):
    """As `{{ value|date:format_name }}`: a moment on its date in the current time zone, a date
    as it is; "" for None."""
    if not value:
        return ""
    return date_format(template_localtime(value), format_name)


class Link:
    """A URL a table repeats per row, reversed once: `Link("agenda:activity")(activity.pk)`.
    The row's argument takes the place of a placeholder that the URL pattern accepts (an id, or
    a uuid where the pattern wants one); a `reverse` a row cost as much as its other cells."""

    ID = 999_999_999_999
    UUID = "00000000-0000-0000-0000-000000000000"

    def __init__(self, name, placeholder=ID):
        self.placeholder = str(placeholder)
        self.pattern = reverse(name, args=[placeholder])

    def __call__(self, value):
        return self.pattern.replace(self.placeholder, str(value))

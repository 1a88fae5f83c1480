"""Escaping for markup written in Python, one value at a time (ADR 0177).

`esc(value)` is what `django.utils.html.conditional_escape` does to a value, without its
wrappers for lazy strings: a safe string (one with `__html__`) as it is, anything else as its
text with & < > " ' escaped, the same characters as `django.utils.html.escape`. A row writer
puts each value through it as it writes the value in, and marks the finished row safe once;
format_html's machinery per cell cost a table page more than the rest of its row
(bench/FINDINGS.md). tests/portal/test_markup.py holds it to Django's own escaping."""

import html


def esc(value):
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))

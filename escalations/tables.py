"""The rows of the precedent tables (the library's results and the drafts a decider reviews),
written in Python: as a template included per row they were the larger part of the library
page's rendering (bench/FINDINGS.md). The same markup, escaped the same way
(tests/escalations/test_tables.py compares it with the row the template wrote); the table,
its caption and head stay in templates/escalations/."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.choices import choice_label

ROW = '<tr>\n  <th scope="row"><a class="utrecht-link" href="{}">{}</a></th>\n{}\n</tr>'
CELL = "  <td>{}</td>"


def precedent_row_html(precedent, *, edit=False):
    """One precedent: its domains prefetched (escalations.selectors.DOMAINS), its partnership
    and municipality with their regions joined."""
    p = precedent
    url = reverse("escalations:precedent_edit" if edit else "escalations:precedent", args=[p.pk])
    region = p.region
    cells = [
        capfirst(choice_label(p, "reason")),
        ", ".join(choice_label(d, "domain") for d in p.domains.all()),
        p.school_type.upper(),
        choice_label(p, "age_band"),
        capfirst(choice_label(p, "carried_by")),
        (region.name if region is not None else "") or "—",
    ]
    return format_html(
        ROW,
        url,
        p.title or _("(untitled draft)"),
        format_html_join("\n", CELL, ((cell,) for cell in cells)),
    )


def precedent_rows_html(precedents, *, edit=False):
    return format_html_join("", "{}", ((precedent_row_html(p, edit=edit),) for p in precedents))

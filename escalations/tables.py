"""The rows of the precedent tables (the library's results and the drafts a decider reviews)
and of the escalation inbox's two tables, written in Python: as template code per row they
were the larger part of those pages' rendering (ADR 0177). The same markup, escaped
the same way (tests/escalations/test_tables.py compares it with the rows the templates
wrote); the tables, their captions and heads stay in templates/escalations/."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
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


def _date(moment):
    """As `{{ moment|date:"DATE_FORMAT" }}`: in the current time zone; nothing for None."""
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _escalation_rows(escalations, cells_of):
    """A row per escalation: its reference linking to its page, then `cells_of(escalation)`."""
    return format_html_join(
        "",
        ROW,
        (
            (
                reverse("escalations:detail", args=[e.pk]),
                e.referral.reference,
                format_html_join("\n", CELL, ((cell,) for cell in cells_of(e))),
            )
            for e in escalations
        ),
    )


def _open_cells(e):
    return [
        capfirst(choice_label(e, "reason")),
        e.referral.school.name,
        e.municipality.name,
        capfirst(choice_label(e, "raised_side")),
        _date(e.raised_at),
    ]


def _decided_cells(e):
    return [
        capfirst(choice_label(e, "reason")),
        e.referral.school.name,
        capfirst(choice_label(e.decision, "carried_by")),
        _date(e.decided_at),
    ]


def open_escalation_rows_html(escalations):
    """The inbox's open escalations (escalations.views.INBOX_COLUMNS loaded)."""
    return _escalation_rows(escalations, _open_cells)


def decided_escalation_rows_html(escalations):
    """The inbox's recently decided escalations, their decisions joined."""
    return _escalation_rows(escalations, _decided_cells)

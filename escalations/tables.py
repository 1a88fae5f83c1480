"""The rows of the precedent tables (the library's results and the drafts a decider reviews)
and of the escalation inbox's two tables, written in Python: as template code per row they
were the larger part of those pages' rendering (ADR 0177). The same markup, escaped the same
way (tests/escalations/test_tables.py compares it with the rows the templates wrote), each
value by portal.markup.esc; the tables, their captions and heads stay in
templates/escalations/."""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.choices import choice_label
from portal.markup import Link, date_text, esc


def _row(url, title, cells):
    """A row: its title linking to `url`, then a cell per value; every value escaped."""
    tds = "\n".join(f"  <td>{esc(cell)}</td>" for cell in cells)
    head = f'<th scope="row"><a class="utrecht-link" href="{esc(url)}">{esc(title)}</a></th>'
    return f"<tr>\n  {head}\n{tds}\n</tr>"


# What a precedent's row reads: its facts and the name of the region where it was decided
# (Precedent.region: the partnership's or else the municipality's top region). A table fetches
# these columns only, not the precedent's texts (situation, outcome, rationale) that no row shows.
ROW_FIELDS = (
    "title",
    "reason",
    "school_type",
    "age_band",
    "carried_by",
    *(
        f"{organisation}__region__{part}"
        for organisation in ("partnership", "municipality")
        for part in ("name", "parent_id", "parent__name")
    ),
)


def for_rows(queryset):
    """`queryset` (with the partnership's and municipality's regions joined) fetching only what
    precedent_row_html reads."""
    return queryset.only(*ROW_FIELDS)


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
    return mark_safe(_row(url, p.title or _("(untitled draft)"), cells))  # noqa: S308 - escaped in _row


def precedent_rows_html(precedents, *, edit=False):
    return mark_safe("".join(precedent_row_html(p, edit=edit) for p in precedents))  # noqa: S308 - rows


def _escalation_rows(escalations, cells_of):
    """A row per escalation: its reference linking to its page, then `cells_of(escalation)`."""
    detail = Link("escalations:detail")
    rows = (_row(detail(e.pk), e.referral.reference, cells_of(e)) for e in escalations)
    return mark_safe("".join(rows))  # noqa: S308 - escaped in _row


def _open_cells(e):
    return [
        capfirst(choice_label(e, "reason")),
        e.referral.school.name,
        e.municipality.name,
        capfirst(choice_label(e, "raised_side")),
        date_text(e.raised_at),
    ]


def _decided_cells(e):
    return [
        capfirst(choice_label(e, "reason")),
        e.referral.school.name,
        capfirst(choice_label(e.decision, "carried_by")),
        date_text(e.decided_at),
    ]


def open_escalation_rows_html(escalations):
    """The inbox's open escalations (escalations.views.INBOX_COLUMNS loaded)."""
    return _escalation_rows(escalations, _open_cells)


def decided_escalation_rows_html(escalations):
    """The inbox's recently decided escalations, their decisions joined."""
    return _escalation_rows(escalations, _decided_cells)

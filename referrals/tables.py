"""The rows of the referral lists (the triage inbox and the school's list), written in Python.

Both pages show up to a page of referrals. Written by the template, every row cost about 0.7 ms
of CPU under the profiler (a `with`, a `url`, an include of the waiting time, a dozen variable
lookups): the largest part of the inbox's rendering (bench/FINDINGS.md). Here a row is a few
`format_html` calls: the same markup, escaped the same way (tests/referrals/test_tables.py
compares it with the waiting-time template and with the row the template wrote). The table
around the rows, its caption and header stay in templates/referrals/_referral_table.html.
"""

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from portal.choices import choice_label

DASH = "—"


def waiting_html(waiting):
    """What templates/referrals/_waiting.html writes for a `referrals.waiting.Waiting`."""
    if not waiting:
        return DASH
    badge = ""
    if waiting.over:
        text = _("over the decision norm") if waiting.norm == "decision" else _("over the help norm")
        badge = format_html(
            ' <span class="utrecht-status-badge utrecht-status-badge--danger">{}</span>', text
        )
    elif waiting.near:
        badge = format_html(
            ' <span class="utrecht-status-badge utrecht-status-badge--warning">{}</span>', _("near the norm")
        )
    return format_html("{}{}", formats.localize(waiting.days), badge)


def _pupil(referral):
    if not referral.is_about_child:
        return referral.group_label()
    if referral.anonymised_at:
        return format_html("{} ({})", DASH, _("anonymised"))
    return format_html("{} {}", referral.child_first_name, referral.child_last_name)


def _urgency(referral):
    label = choice_label(referral, "urgency")
    if referral.urgency == "high":
        return format_html('<span class="utrecht-status-badge utrecht-status-badge--danger">{}</span>', label)
    return label


ROW = '<tr class="utrecht-table__row">{}</tr>'
CELL = '<td class="utrecht-table__cell">{}</td>'


def referral_row_html(row, *, show_school=False, show_municipality=False, show_assigned=False):
    """One row: `row` is {"referral": Referral, "waiting": Waiting or None}. The referral comes
    with its school, home municipality and assignee joined (the pages' querysets)."""
    r = row["referral"]
    url = reverse("referrals:edit" if r.status == "draft" else "referrals:detail", args=[r.uuid])
    cells = [
        format_html('<a class="utrecht-link" href="{}">{}</a>', url, r.reference or _("draft")),
        _pupil(r),
    ]
    if show_school:
        cells.append(r.school.name)
    if show_municipality:
        cells.append((r.home_municipality.name if r.home_municipality_id else "") or DASH)
    cells += [choice_label(r, "status"), _urgency(r)]
    if show_assigned:
        cells.append((r.assigned_to.full_name if r.assigned_to_id else "") or DASH)
    cells.append(waiting_html(row["waiting"]))
    return format_html(
        '<tr class="utrecht-table__row">{}</tr>', format_html_join("", CELL, ((c,) for c in cells))
    )


# What a row reads, with what its waiting time (referrals.waiting.waiting_for, the region's norm
# through school → municipality → region) and the list's access-log entry read: a list fetches
# these columns only, not the referral's texts (its question, goals, reasons) that no row shows.
ROW_FIELDS = (
    "uuid",
    "reference",
    "status",
    "subject_kind",
    "group_name",
    "group_size",
    "child_first_name",
    "child_last_name",
    "anonymised_at",
    "urgency",
    "first_submitted_at",
    "decided_at",
    "help_started_at",
    "school__name",
    "school__municipality__region__parent_id",
)


def for_rows(queryset, *, show_municipality=False, show_assigned=False):
    """`queryset` with the joins and the columns the rows of referral_row_html read (with the
    same column switches), and nothing else."""
    joins, fields = ["school__municipality__region"], list(ROW_FIELDS)
    if show_municipality:
        joins.append("home_municipality")
        fields.append("home_municipality__name")
    if show_assigned:
        joins.append("assigned_to")
        fields.append("assigned_to__full_name")
    return queryset.select_related(*joins).only(*fields)


def referral_rows_html(rows, **columns):
    return format_html_join("\n", "{}", ((referral_row_html(row, **columns),) for row in rows))

"""The rows of the referral lists (the triage inbox and the school's list), written in Python.

Both pages show up to a page of referrals. Written by the template, every row cost about 0.7 ms
of CPU under the profiler (a `with`, a `url`, an include of the waiting time, a dozen variable
lookups): the largest part of the inbox's rendering (bench/FINDINGS.md). Here a row is one
string put together, each value escaped as it goes in (portal.markup.esc, ADR 0177), and its
link reversed once per list: the same markup, escaped the same way (tests/referrals/
test_tables.py compares it with the waiting-time template and with the row the template
wrote, names and schools with markup in them included). The table
around the rows, its caption and header stay in templates/referrals/_referral_table.html.
"""

from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.choices import choice_label
from portal.markup import Link, esc

DASH = "—"


def waiting_html(waiting):
    """What templates/referrals/_waiting.html writes for a `referrals.waiting.Waiting`."""
    if not waiting:
        return DASH
    badge = ""
    if waiting.over:
        text = _("over the decision norm") if waiting.norm == "decision" else _("over the help norm")
        badge = f' <span class="utrecht-status-badge utrecht-status-badge--danger">{esc(text)}</span>'
    elif waiting.near:
        near = esc(_("near the norm"))
        badge = f' <span class="utrecht-status-badge utrecht-status-badge--warning">{near}</span>'
    return mark_safe(f"{esc(formats.localize(waiting.days))}{badge}")  # noqa: S308 - every part escaped


def _pupil(referral):
    if not referral.is_about_child:
        return esc(referral.group_label())
    if referral.anonymised_at:
        return f"{DASH} ({esc(_('anonymised'))})"
    return f"{esc(referral.child_first_name)} {esc(referral.child_last_name)}"


def _urgency(referral):
    label = esc(choice_label(referral, "urgency"))
    if referral.urgency == "high":
        return f'<span class="utrecht-status-badge utrecht-status-badge--danger">{label}</span>'
    return label


class _Links:
    """The edit and detail links of a list (portal.markup.Link)."""

    def __init__(self):
        self.edit = Link("referrals:edit", Link.UUID)
        self.detail = Link("referrals:detail", Link.UUID)

    def of(self, referral):
        return (self.edit if referral.status == "draft" else self.detail)(referral.uuid)


def referral_row_html(row, *, show_school=False, show_municipality=False, show_assigned=False, links=None):
    """One row: `row` is {"referral": Referral, "waiting": Waiting or None}. The referral comes
    with its school, home municipality and assignee joined (the pages' querysets, `for_rows`).
    Every value is escaped where it is written."""
    r = row["referral"]
    url = (links or _Links()).of(r)
    cells = [
        f'<a class="utrecht-link" href="{esc(url)}">{esc(r.reference or _("draft"))}</a>',
        _pupil(r),
    ]
    if show_school:
        cells.append(esc(r.school.name))
    if show_municipality:
        cells.append(esc((r.home_municipality.name if r.home_municipality_id else "") or DASH))
    cells += [esc(choice_label(r, "status")), _urgency(r)]
    if show_assigned:
        cells.append(esc((r.assigned_to.full_name if r.assigned_to_id else "") or DASH))
    cells.append(waiting_html(row["waiting"]))
    tds = "".join(f'<td class="utrecht-table__cell">{cell}</td>' for cell in cells)
    return mark_safe(f'<tr class="utrecht-table__row">{tds}</tr>')  # noqa: S308 - every cell escaped


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
    links = _Links()
    return mark_safe("\n".join(referral_row_html(row, links=links, **columns) for row in rows))  # noqa: S308

"""The rows of the activity tables (the agenda page and "my activities"), written in Python: as
template code per row (a url, two badges, three date and default filters) they were the largest
part of the agenda page's rendering (ADR 0177, bench/FINDINGS.md). The same markup, escaped the
same way (tests/agenda/test_tables.py compares it with the row the template wrote), each value
by portal.markup.esc; the table, its caption and head stay in
templates/agenda/_activity_table.html."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agenda.templatetags.agenda_badges import overdue_badge, status_badge
from portal.choices import choice_label
from portal.markup import Link, date_text, esc

NONE = "–"
SHORT = "SHORT_DATE_FORMAT"


def _owner(activity):
    organisation = activity.owner_organisation
    if organisation:
        text = esc(organisation)
        if activity.owner_region_id:
            text += f" ({esc(_('steering group'))})"
    else:
        text = f'<span class="tandem-muted">{esc(_("not assigned"))}</span>'
    if activity.owner_person:
        text += f"<br>{esc(activity.owner_person)}"
    return text


def activity_row_html(activity, url):
    """One activity of agenda.progress.activities_queryset (its latest update annotated)."""
    latest = str(status_badge(activity.latest_status, activity.latest_status_label))
    if activity.latest_date:
        when = esc(date_text(activity.latest_date, SHORT))
        latest += f' <span class="tandem-muted agenda-nowrap">{when}</span>'
    due = esc(date_text(activity.due_date, SHORT) or NONE)
    cell = '<td class="utrecht-table__cell">'
    return (
        f'<tr class="utrecht-table__row" id="activity-{activity.pk}">'
        f'<td class="utrecht-table__cell agenda-nowrap">{esc(activity.code)}</td>'
        f'<th scope="row" class="utrecht-table__header-cell agenda-table__title">'
        f'<a class="utrecht-link" href="{esc(url)}">{esc(activity.title)}</a></th>'
        f"{cell}{_owner(activity)}</td>"
        f"{cell}{esc(choice_label(activity, 'status'))}{overdue_badge(activity)}</td>"
        f'<td class="utrecht-table__cell agenda-nowrap">{due}</td>'
        f"{cell}{esc(activity.impact or NONE)}</td>"
        f"{cell}{esc(activity.added_value or NONE)}</td>"
        f"{cell}{latest}</td>"
        "</tr>"
    )


def activity_rows_html(activities):
    detail = Link("agenda:activity")
    rows = (activity_row_html(a, detail(a.pk)) for a in activities)
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped where it is written

"""`{% load agenda_badges %}`: the work agenda's status badges. A table of activities shows two
per row; as tags they cost a function call each instead of an `{% include %}` each
(ADR 0177)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from agenda.models import UpdateStatus

register = template.Library()

# A progress update's status -> the modifier of the Utrecht status badge.
STATUS_BADGES = {
    UpdateStatus.ON_TRACK: "success",
    UpdateStatus.AT_RISK: "warning",
    UpdateStatus.OFF_TRACK: "danger",
}


@register.simple_tag
def status_badge(status, label):
    """The badge of a progress status (`label` its display text); "no update yet" without one."""
    modifier = STATUS_BADGES.get(status)
    if modifier is None:
        return format_html('<span class="tandem-muted">{}</span>', _("no update yet"))
    return format_html(
        '<span class="utrecht-status-badge utrecht-status-badge--{}">{}</span>', modifier, label
    )


@register.simple_tag
def overdue_badge(activity):
    """The "past its due date" badge after an activity's status, when it is (Activity.is_overdue)."""
    if not activity.is_overdue:
        return ""
    return format_html(
        ' <span class="utrecht-status-badge utrecht-status-badge--danger agenda-overdue">{}</span>',
        _("past its due date"),
    )

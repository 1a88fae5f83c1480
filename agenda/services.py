"""One function per user action on the work agenda: check permission, change state inside
a transaction. Progress updates are themselves the append-only record of what happened."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from agenda import permissions
from agenda.models import ProgressUpdate


@transaction.atomic
def post_update(user, activity, *, status, note, date):
    if not permissions.can_post_update(user, activity):
        raise PermissionDenied
    return ProgressUpdate.objects.create(activity=activity, author=user, status=status, note=note, date=date)


@transaction.atomic
def save_activity(user, agenda, form):
    """Create (form.instance unsaved) or change an activity."""
    activity = form.instance
    if activity.pk is None:
        allowed = permissions.can_add_activity(user, agenda)
    else:
        allowed = permissions.can_edit_activity(user, activity)
    if not allowed:
        raise PermissionDenied
    return form.save()


@transaction.atomic
def save_goal(user, goal, form):
    if not permissions.can_edit_agenda(user, goal.ambition.agenda):
        raise PermissionDenied
    return form.save()


@transaction.atomic
def save_meeting(user, agenda, form):
    meeting = form.instance
    if meeting.pk is None:
        allowed = permissions.can_add_meeting(user, agenda)
        meeting.region = agenda.region
    else:
        allowed = permissions.can_edit_meeting(user, meeting)
    if not allowed:
        raise PermissionDenied
    return form.save()

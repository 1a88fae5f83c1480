"""Write access-log entries (NEN 7513). Call on every read of a referral, attachment or export,
and on every action on one (`log_action`).

An action is logged once, with its kind (`activity`, e.g. "accept"). The page its redirect
leads to shows the user what they just acted on; that GET is not logged again as a read
(`follows_action`), so the log reads "acted on: accepted", not "viewed" after every click."""

import time
from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

from portal.models import AccessLog

# Session key of the one GET that follows a logged action: {"path": ..., "at": epoch seconds}.
AFTER_ACTION_KEY = "tandem_after_action"
# The redirect is followed at once; a marker older than this is stale and ignored.
AFTER_ACTION_SECONDS = 60


def log_access(
    user,
    action,
    obj=None,
    *,
    role="",
    organisation="",
    object_type="",
    object_id="",
    reference="",
    activity="",
):
    """Record that `user` did `action` (AccessLog.Action) on `obj` acting as `role` for
    `organisation`. Only ids and reference numbers are stored, never child data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        reference = reference or getattr(obj, "reference", "") or ""
    return AccessLog.objects.create(
        user=user,
        role=str(role),
        organisation=str(organisation)[:250],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_reference=reference or "",
        activity=str(activity)[:40],
    )


def log_action(request, activity, obj=None, *, next_url, **fields):
    """Log the action `activity` on `obj` (AccessLog.Action.CHANGE) and mark the page the view
    redirects to (`next_url`), so that the GET which follows is not logged as a read."""
    entry = log_access(request.user, AccessLog.Action.CHANGE, obj, activity=activity, **fields)
    if url_has_allowed_host_and_scheme(str(next_url), allowed_hosts=None):
        request.session[AFTER_ACTION_KEY] = {"path": urlsplit(str(next_url)).path, "at": time.time()}
    return entry


def follows_action(request):
    """True for the one GET that the redirect after a logged action leads to. The marker is
    used up by the first view that asks, whatever the answer."""
    marker = request.session.pop(AFTER_ACTION_KEY, None) if hasattr(request, "session") else None
    if not isinstance(marker, dict) or request.method != "GET":
        return False
    fresh = 0 <= time.time() - float(marker.get("at", 0)) <= AFTER_ACTION_SECONDS
    return fresh and marker.get("path") == request.path

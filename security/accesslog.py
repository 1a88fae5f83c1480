"""The access-log viewer (NEN 7513): only the privacy officer reads the log, and every read
or export of the log is itself written to the log (ADR 0045)."""

import datetime

from django.utils import timezone

from portal.audit import log_access
from portal.models import AccessLog

OBJECT_TYPE = "portal.accesslog"


def filtered_entries(cleaned):
    """The log entries matching a valid AccessLogFilterForm's cleaned data, newest first."""
    qs = AccessLog.objects.select_related("user")
    if cleaned.get("reference"):
        qs = qs.filter(object_reference__iexact=cleaned["reference"].strip())
    if cleaned.get("user"):
        qs = qs.filter(user__email__iexact=cleaned["user"].strip())
    tz = timezone.get_current_timezone()
    if cleaned.get("date_from"):
        qs = qs.filter(at__gte=datetime.datetime.combine(cleaned["date_from"], datetime.time.min, tz))
    if cleaned.get("date_to"):
        end = cleaned["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return qs.order_by("-at", "-id")


def record_log_read(user, action, cleaned):
    """Log that `user` read (VIEW) or exported (EXPORT) the access log. The child filter is
    kept as the reference, so reads about one child show up when that child is looked up."""
    return log_access(
        user,
        action,
        role="privacy_officer",
        object_type=OBJECT_TYPE,
        object_id="log",
        reference=(cleaned.get("reference") or "").strip()[:64],
    )

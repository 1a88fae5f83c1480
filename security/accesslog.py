"""The access-log viewer (NEN 7513): only the privacy officer reads the log, and every read
or export of the log is itself written to the log (ADR 0045)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from contacts.models import User
from contacts.permissions import home_region_ids, users_in_regions_q
from portal.audit import log_access
from portal.models import AccessLog
from referrals.models import ListedReference

OBJECT_TYPE = "portal.accesslog"


def region_users(officer):
    """The users whose log rows the officer reads: those holding a membership in the officer's
    own region (ADR 0123). A row of another region's user does not exist for them."""
    return User.objects.filter(users_in_regions_q(home_region_ids(officer), prefix="")).values("pk")


def filtered_entries(cleaned, officer):
    """The log entries of the officer's region matching a valid AccessLogFilterForm's cleaned
    data, newest first."""
    qs = (
        AccessLog.objects.filter(user__in=region_users(officer))
        .select_related("user")
        .prefetch_related("listed_references")
    )
    if cleaned.get("reference"):
        # A read of the referral itself, or a list page that showed it (ADR 0098).
        reference = cleaned["reference"].strip()
        listed = ListedReference.objects.filter(reference__iexact=reference).values("entry_id")
        qs = qs.filter(Q(object_reference__iexact=reference) | Q(pk__in=listed))
    if cleaned.get("user"):
        qs = qs.filter(user__email__iexact=cleaned["user"].strip())
    tz = timezone.get_current_timezone()
    if cleaned.get("date_from"):
        qs = qs.filter(at__gte=datetime.datetime.combine(cleaned["date_from"], datetime.time.min, tz))
    if cleaned.get("date_to"):
        end = cleaned["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return qs.order_by("-at", "-id")


def shown_references(entry):
    """The reference numbers an entry is about: its own, or those a list page showed (drafts,
    which have none, as their id)."""
    listed = [str(item) for item in entry.listed_references.all()]
    return ", ".join(listed) if listed else entry.object_reference


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

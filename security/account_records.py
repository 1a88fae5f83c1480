"""The account records (ADR 0137) for the privacy officer: who added or ended whose role,
deactivated or reactivated whose account or reset whose two-step verification. Only the
records of the officer's own region exist for them (ADR 0123)."""

import datetime

from django.utils import timezone

from contacts.models import MembershipRecord
from contacts.permissions import privacy_officer_region_ids
from portal.audit import log_access
from portal.models import AccessLog

OBJECT_TYPE = "contacts.membershiprecord"


def filtered_records(cleaned, officer):
    """The records of the officer's region matching a valid AccountRecordFilterForm, newest first."""
    qs = MembershipRecord.objects.filter(region__in=privacy_officer_region_ids(officer)).select_related(
        "actor"
    )
    tz = timezone.get_current_timezone()
    if cleaned.get("date_from"):
        qs = qs.filter(at__gte=datetime.datetime.combine(cleaned["date_from"], datetime.time.min, tz))
    if cleaned.get("date_to"):
        end = cleaned["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    if cleaned.get("kind"):
        qs = qs.filter(kind=cleaned["kind"])
    return qs.order_by("-at", "-id")


def record_read(officer):
    """The records name people: their reading is logged like the access log's (ADR 0045)."""
    return log_access(
        officer,
        AccessLog.Action.VIEW,
        role="privacy_officer",
        object_type=OBJECT_TYPE,
        object_id="list",
    )

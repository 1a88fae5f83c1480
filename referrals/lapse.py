"""Referrals that never end (ADR 0096).

A referral returned to the school that the school does not answer, or one not shared since its
consent was withdrawn, can wait forever: nobody can take it further, and retention (ADR 0046)
reaches only referrals that ended. The daily task reminds the school after
TANDEM_LAPSE_REMINDER_DAYS working days and lapses the referral after TANDEM_LAPSE_DAYS (a
final status, on the timeline, with a notice to school and team); retention then counts from
its end like from a closure.

The clock runs from the moment the referral got stuck: the withdrawal of consent that stopped
the sharing, else the latest return to the school. An escalated referral does not lapse (the
deciders hold it; ADR 0060). Working days are counted by portal/workdays.py.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.workdays import working_days_between
from referrals import services
from referrals.models import Referral, ReferralEvent, Status
from referrals.workflow import ACTIONS, TransitionNotAllowed, record_event

logger = logging.getLogger("tandem.lapse")

S = Status
REMINDER_EVENT = "lapse_reminder"
# From where a stuck referral may lapse: the lapse action's sources, minus nothing; escalated is
# not among them.
LAPSABLE = ACTIONS["lapse"].sources


@dataclass
class LapseResult:
    reminded: int = 0
    lapsed: int = 0


def stuck_since(referral):
    """The moment `referral` got stuck, or None when it is not: the stop of the sharing, else
    (while returned) the latest return to the school."""
    if referral.status not in LAPSABLE:
        return None
    if referral.sharing_stopped_at is not None:
        return referral.sharing_stopped_at
    if referral.status == S.RETURNED:
        return (
            referral.events.filter(action="return").order_by("-at").values_list("at", flat=True).first()
            or referral.updated_at
        )
    return None


def candidates():
    """The referrals that may be stuck: returned, or not shared any more, in a lapsable state."""
    return (
        Referral.objects.filter(status__in=LAPSABLE)
        .filter(Q(status=S.RETURNED) | Q(sharing_stopped_at__isnull=False))
        .select_related("assigned_to")
        .order_by("pk")
    )


def _remind(referral, since):
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if stuck_since(locked) != since:
            return False
        if ReferralEvent.objects.filter(referral=locked, action=REMINDER_EVENT, at__gte=since).exists():
            return False  # already reminded since it got stuck
        left = settings.TANDEM_LAPSE_DAYS - working_days_between(since, timezone.localdate())
        record_event(
            locked,
            REMINDER_EVENT,
            None,
            note=_("Reminder to the school: the referral lapses in %(days)s working days.") % {"days": left},
        )
        services.send_notice(services.school_users(locked), "referral_lapse_reminder", locked)
    return True


def lapse_stale_referrals(today=None):
    """The daily task's work: remind and lapse. Idempotent; returns counts."""
    today = today or timezone.localdate()
    result = LapseResult()
    for referral in candidates().iterator(chunk_size=200):
        since = stuck_since(referral)
        if since is None:
            continue
        days = working_days_between(since, today)
        if days >= settings.TANDEM_LAPSE_DAYS:
            try:
                services.lapse(None, referral)
            except TransitionNotAllowed:
                continue  # it moved on meanwhile
            result.lapsed += 1
        elif days >= settings.TANDEM_LAPSE_REMINDER_DAYS and _remind(referral, since):
            result.reminded += 1
    logger.info("lapse: %s reminded, %s lapsed", result.reminded, result.lapsed)
    return result

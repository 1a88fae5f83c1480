"""The referrals app's Celery tasks; Celery's autodiscovery finds them here, and their beat
entries are in portal/settings.py (CELERY_BEAT_SCHEDULE). They take no arguments and are
idempotent."""

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.norms import NormBook
from referrals import lapse, retention
from referrals import transition as transition_rules
from referrals.models import Referral, Status, Transition, TransitionReminder, WaitingReminder
from referrals.services import school_users, send_notice, team_users
from referrals.waiting import waiting_for

# Where the district team holds the ball: not while returned to the school (the school acts) or
# escalated (the deciders act; the escalation work has its own reminders).
OPEN = (Status.SUBMITTED, Status.IN_TRIAGE, Status.ACCEPTED)


@shared_task(name="referrals.tasks.send_waiting_time_reminders", ignore_result=True)
def send_waiting_time_reminders() -> int:
    """Daily waiting-time reminders (ADR 0052): remind the routed team (the assigned worker,
    else every worker of the team) of each referral near or over a norm, once per referral,
    norm and level (WaitingReminder rows); each against its region's norm valid at its
    submission (ADR 0091). Returns how many."""
    today = timezone.localdate()
    sent = 0
    book = NormBook()
    candidates = (
        Referral.objects.filter(status__in=OPEN, routed_team__isnull=False, sharing_stopped_at__isnull=True)
        .select_related("assigned_to", "school__municipality__region")
        .order_by("pk")
    )
    for referral in candidates.iterator(chunk_size=200):
        waiting = waiting_for(referral, today, norms=book.for_referral(referral), with_due=False)
        if waiting is None or waiting.level == "ok":
            continue
        try:
            with transaction.atomic():
                WaitingReminder.objects.create(referral=referral, norm=waiting.norm, level=waiting.level)
                send_notice(team_users(referral), f"referral_waiting_{waiting.level}", referral)
        except IntegrityError:
            continue  # already reminded for this norm and level
        sent += 1
    return sent


@shared_task(name="referrals.lapse_stale_referrals", ignore_result=True)
def lapse_stale_referrals() -> dict:
    """Daily (ADR 0096): remind the school of a referral that is stuck (returned and not
    answered, or not shared since consent was withdrawn) and lapse it after the term. Counts
    only in the result and the log."""
    result = lapse.lapse_stale_referrals()
    return {"reminded": result.reminded, "lapsed": result.lapsed}


@shared_task(name="referrals.apply_retention", ignore_result=True)
def apply_retention() -> dict:
    """The nightly retention run (ADR 0046): anonymise closed and declined referrals past their
    term; delete stale drafts. Counts only in the result and the log."""
    return retention.apply_retention().as_dict()


@shared_task(name="referrals.tasks.send_transition_reminders", ignore_result=True)
def send_transition_reminders() -> int:
    """Daily 18-/18+ reminders (ADR 0153): for each open referral of a pupil under 18 whose 18th
    birthday is TANDEM_TRANSITION_REMINDER_DAYS days away or closer and whose transition is not
    prepared, remind the district team (the assigned worker, else every worker of the routed
    team; not while sharing is stopped) and the school's coordinators, once per referral and
    reminder day (TransitionReminder rows). The reminder's text holds no child data. Returns
    how many referrals were reminded."""
    today = timezone.localdate()
    sent = 0
    candidates = (
        Referral.objects.filter(transition_rules.pending_q(today))
        .select_related("assigned_to")
        .order_by("pk")
    )
    for referral in candidates.iterator(chunk_size=200):
        days = transition_rules.reminder_due(referral, today)
        if days is None:
            continue
        try:
            with transaction.atomic():
                TransitionReminder.objects.create(referral=referral, days_before=days)
                Transition.objects.get_or_create(referral=referral)
                users = school_users(referral)
                if referral.sharing_stopped_at is None:
                    users += team_users(referral)
                send_notice(users, "referral_transition_reminder", referral)
        except IntegrityError:
            continue  # already reminded for this day
        sent += 1
    return sent

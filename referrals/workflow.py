"""The referral life cycle as one explicit transition table (DESIGN §4), in the style of
Signalen: every change of status goes through `transition()`, which locks the row, checks the
table, and appends a ReferralEvent. Who may perform an action is decided in
referrals/permissions.py; this module only knows which moves exist.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referrals.models import ReferenceCounter, Referral, ReferralEvent, Status

S = Status


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple
    target: str | None  # None: decided at run time (resume after escalation)
    label: str


MOVES = {
    m.action: m
    for m in [
        Move("submit", (S.DRAFT,), S.SUBMITTED, _("submitted")),
        Move("take_up", (S.SUBMITTED,), S.IN_TRIAGE, _("taken up")),
        Move("return", (S.IN_TRIAGE,), S.RETURNED, _("returned with a question")),
        Move("resubmit", (S.RETURNED,), S.SUBMITTED, _("resubmitted")),
        Move("accept", (S.IN_TRIAGE,), S.ACCEPTED, _("accepted")),
        Move("decline", (S.IN_TRIAGE,), S.DECLINED, _("declined")),
        Move("start_help", (S.ACCEPTED,), S.HELP_STARTED, _("help started")),
        Move("close", (S.HELP_STARTED,), S.CLOSED, _("closed (help scaled down)")),
        Move("escalate", (S.SUBMITTED, S.IN_TRIAGE, S.RETURNED, S.ACCEPTED), S.ESCALATED, _("escalated")),
        Move("resume", (S.ESCALATED,), None, _("back in the flow after a decision")),
    ]
}
RESUME_TARGETS = (S.SUBMITTED, S.IN_TRIAGE, S.ACCEPTED, S.HELP_STARTED)

# Moments measured for waiting times, stamped on the first move that reaches them.
TIMESTAMPS = {
    S.SUBMITTED: "submitted_at",
    S.ACCEPTED: "decided_at",
    S.DECLINED: "decided_at",
    S.HELP_STARTED: "help_started_at",
    S.CLOSED: "closed_at",
}


class TransitionNotAllowed(Exception):
    """The move does not exist from the referral's current status (perhaps someone else was
    first). The message is safe to show to the user."""


def allowed_actions(status):
    return [m.action for m in MOVES.values() if status in m.sources]


def next_reference(year):
    """A human-friendly reference, unique under concurrency: the counter row for the year is
    locked for the rest of the caller's transaction. Numbers may skip (a rolled-back
    submission), never repeat."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"AJS-{year}-{counter.last:05d}"


def transition(referral, action, actor, note="", target=None, **changes):
    """Perform `action` on `referral` as `actor`: lock, check the table, apply `changes`,
    stamp measured moments, write the event. Returns the fresh referral. Raises
    TransitionNotAllowed when the current status does not allow it."""
    move = MOVES.get(action)
    if move is None:
        raise TransitionNotAllowed(_("Unknown action."))
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in move.sources:
            raise TransitionNotAllowed(
                _(
                    "This action is not possible: the referral is now “%(status)s”. "
                    "Someone may have acted on it just before you."
                )
                % {"status": locked.get_status_display()}
            )
        to_status = move.target
        if to_status is None:
            to_status = target or locked.status_before_escalation
            if to_status not in RESUME_TARGETS:
                raise TransitionNotAllowed(_("The referral cannot go back to that status."))
        now = timezone.now()
        from_status = locked.status
        if action == "escalate":
            locked.status_before_escalation = from_status
        for field, value in changes.items():
            setattr(locked, field, value)
        if to_status == S.SUBMITTED and not locked.reference:
            locked.reference = next_reference(timezone.localdate(now).year)
        if to_status == S.SUBMITTED:
            # submitted_at: the latest (re)submission; first_submitted_at: when the child's
            # wait began, which the waiting-time figures measure from.
            locked.submitted_at = now
            if locked.first_submitted_at is None:
                locked.first_submitted_at = now
        stamp = TIMESTAMPS.get(to_status)
        if stamp and to_status != S.SUBMITTED and getattr(locked, stamp) is None:
            setattr(locked, stamp, now)
        locked.status = to_status
        locked.save()
        ReferralEvent.objects.create(
            referral=locked,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
    return locked


def record_event(referral, action, actor, note=""):
    """An event that is not a status change (message, attachment added, consent recorded)."""
    return ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        action=action,
        from_status=referral.status,
        to_status=referral.status,
        note=note,
    )

"""The referral life cycle as one explicit transition table, in the style of Signalen (ADR 0054).

`ACTIONS` declares every action on a referral once: the statuses it may start from and the one
it leads to, the side that performs it, the words on the timeline, the button and form on the
referral page, the notice it sends, and the service function that performs it (bound by
`performs` in referrals/services.py). Every change of status goes through `transition()`, which
locks the row, checks the table and appends a ReferralEvent. Who acts for a side is decided in
referrals/permissions.py; the view that performs actions only looks them up here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.arrangements import current_for_school
from referrals import forms as rf
from referrals.models import ReferenceCounter, Referral, ReferralEvent, Status

S = Status

# The side that performs an action; referrals/permissions.py says who acts for it.
SCHOOL = "school"  # a coordinator of the referral's school
TEAM = "district_team"  # a worker of the team it is routed to, while sharing is not stopped
ESCALATIONS = "escalations"  # performed by the escalations app, under its own rules
SYSTEM = "system"  # performed by a scheduled task, never by a person (lapse, ADR 0096)
SIDES = (SCHOOL, TEAM, ESCALATIONS, SYSTEM)

SAME = "same"  # the target of an action that does not change the status


@dataclass(frozen=True)
class Notice:
    """A notification an action sends. Never child data: the subject says what happened, and
    notify() puts the reference number in front of it (ADR 0115); the link opens the referral."""

    kind: str  # Notification.kind
    subject: str
    body: str


@dataclass(eq=False)
class Action:
    name: str
    side: str
    sources: tuple  # the statuses it may be performed from
    target: str | None  # the status after it; None: decided at run time (resume); SAME: unchanged
    label: str  # the timeline's words for it
    button: str | None = None  # the button and the "Done: …" message on the referral page
    form: type | None = None  # None: not performed from the referral page
    open: bool = False  # the form is shown unfolded
    notice: Notice | None = None
    service: Callable | None = None  # service(user, referral, **form.cleaned_data)
    # A further condition on the referral for the action to exist now (None: always).
    available: Callable | None = None

    def is_available(self, referral):
        return self.available is None or self.available(referral)

    @property
    def changes_status(self):
        return self.target != SAME


TO_TEAM = Notice(
    "referral_submitted",
    _("A referral was submitted to your team"),
    _("A referral is waiting for you in Tandem."),
)
TO_ASSIGNEE = Notice(
    "referral_assigned",
    _("A referral was assigned to you"),
    _("A referral was assigned to you in Tandem."),
)

A = Action
ACTIONS = {
    a.name: a
    for a in [
        # submit has its own view (the draft's completeness is checked there).
        A("submit", SCHOOL, (S.DRAFT,), S.SUBMITTED, _("submitted"), notice=TO_TEAM),
        A(
            "take_up",
            TEAM,
            (S.SUBMITTED,),
            S.IN_TRIAGE,
            _("taken up"),
            button=_("Take up"),
            form=rf.TakeUpForm,
            open=True,
            notice=TO_ASSIGNEE,
        ),
        A(
            "return",
            TEAM,
            (S.IN_TRIAGE,),
            S.RETURNED,
            _("returned with a question"),
            button=_("Return with a question"),
            form=rf.ReturnForm,
            notice=Notice(
                "referral_returned",
                _("The district team asks a question"),
                _("The district team asks a question about a referral."),
            ),
        ),
        A(
            "resubmit",
            SCHOOL,
            (S.RETURNED,),
            S.SUBMITTED,
            _("resubmitted"),
            button=_("Answer and resubmit"),
            form=rf.AnswerForm,
            open=True,
            notice=TO_TEAM,
        ),
        A(
            "accept",
            TEAM,
            (S.IN_TRIAGE,),
            S.ACCEPTED,
            _("accepted"),
            button=_("Accept"),
            form=rf.AcceptForm,
            notice=Notice(
                "referral_accepted",
                _("A referral was accepted"),
                _("The district team accepted a referral."),
            ),
        ),
        # Helped through the school's collective arrangement (ADR 0161): a decision without the
        # individual indication route (no care provider, no planned help form), offered only
        # while the referral's school has a current arrangement.
        A(
            "accept_arrangement",
            TEAM,
            (S.IN_TRIAGE,),
            S.ACCEPTED,
            _("accepted: helped through the school's collective arrangement"),
            button=_("Help through the school's collective arrangement"),
            form=rf.ArrangementHelpForm,
            notice=Notice(
                "referral_accepted",
                _("A referral was accepted"),
                _("The district team accepted a referral."),
            ),
            available=lambda referral: current_for_school(referral.school).exists(),
        ),
        A(
            "decline",
            TEAM,
            (S.IN_TRIAGE,),
            S.DECLINED,
            _("declined"),
            button=_("Decline"),
            form=rf.DeclineForm,
            notice=Notice(
                "referral_declined",
                _("A referral was declined"),
                _("The district team declined a referral."),
            ),
        ),
        A(
            "start_help",
            TEAM,
            (S.ACCEPTED,),
            S.HELP_STARTED,
            _("help started"),
            button=_("Help has started"),
            form=rf.StartHelpForm,
            open=True,
            notice=Notice(
                "referral_help_started",
                _("Help has started"),
                _("The help for a referral has started."),
            ),
        ),
        A(
            "close",
            TEAM,
            (S.HELP_STARTED,),
            S.CLOSED,
            _("closed (help scaled down)"),
            button=_("Close (scale down)"),
            form=rf.CloseForm,
            notice=Notice(
                "referral_closed",
                _("A referral was closed"),
                _("A referral was closed (help scaled down)."),
            ),
        ),
        A(
            "escalate",
            ESCALATIONS,
            # A decline is what a school most often disputes (ADR 0141).
            (S.SUBMITTED, S.IN_TRIAGE, S.RETURNED, S.ACCEPTED, S.DECLINED),
            S.ESCALATED,
            _("escalated"),
        ),
        A("resume", ESCALATIONS, (S.ESCALATED,), None, _("back in the flow after a decision")),
        # School and district team settled their disagreement with a mediator before escalating
        # (ADR 0149): on to "accepted" when the district team provides the help, else on where
        # it was (a returned or submitted referral to triage); the target is passed at run time.
        A(
            "mediation_settled",
            ESCALATIONS,
            (S.SUBMITTED, S.IN_TRIAGE, S.RETURNED, S.ACCEPTED, S.DECLINED),
            None,
            _("settled with a mediator"),
        ),
        # The school withdraws its referral before the district team accepted it (ADR 0096).
        A(
            "withdraw",
            SCHOOL,
            (S.SUBMITTED, S.IN_TRIAGE, S.RETURNED),
            S.WITHDRAWN,
            _("withdrawn by the school"),
            button=_("Withdraw the referral"),
            form=rf.WithdrawForm,
            notice=Notice(
                "referral_withdrawn",
                _("A referral was withdrawn"),
                _("The school withdrew a referral."),
            ),
        ),
        # A referral nobody can take further lapses (ADR 0096): returned and not answered, or
        # not shared since consent was withdrawn, for TANDEM_LAPSE_DAYS working days.
        A(
            "lapse",
            SYSTEM,
            (S.SUBMITTED, S.IN_TRIAGE, S.RETURNED, S.ACCEPTED, S.HELP_STARTED),
            S.LAPSED,
            _("lapsed"),
            notice=Notice(
                "referral_lapsed",
                _("A referral has lapsed"),
                _("A referral has lapsed: nothing happened on it for too long. It is now closed."),
            ),
        ),
        # Last, so the referral page lists it after the moves (as it always did).
        A(
            "assign",
            TEAM,
            (S.SUBMITTED, S.IN_TRIAGE, S.ACCEPTED),
            SAME,
            _("assigned"),
            button=_("Assign to a colleague"),
            form=rf.AssignForm,
            notice=TO_ASSIGNEE,
        ),
    ]
}
RESUME_TARGETS = (S.SUBMITTED, S.IN_TRIAGE, S.ACCEPTED, S.HELP_STARTED, S.DECLINED)

# Moments measured for waiting times, stamped on the first move that reaches them.
TIMESTAMPS = {
    S.SUBMITTED: "submitted_at",
    S.ACCEPTED: "decided_at",
    S.DECLINED: "decided_at",
    S.HELP_STARTED: "help_started_at",
    S.CLOSED: "closed_at",
    S.LAPSED: "ended_at",
    S.WITHDRAWN: "ended_at",
}


class TransitionNotAllowed(Exception):
    """The move does not exist from the referral's current status (perhaps someone else was
    first). The message is safe to show to the user."""


def performs(name):
    """Bind the decorated service function to the action `name`: the view performs the action
    as `service(user, referral, **form.cleaned_data)`. An unknown name, or a second service for
    one action, fails at import."""
    action = ACTIONS[name]

    def bind(service):
        if action.service is not None and action.service is not service:
            raise ImproperlyConfigured(f"The action {name!r} already has a service.")
        action.service = service
        return service

    return bind


def moves_from(status):
    """The names of the moves (status changes) that exist from `status`."""
    return [a.name for a in ACTIONS.values() if a.changes_status and status in a.sources]


def next_reference(year):
    """A human-friendly reference, unique under concurrency: the counter row for the year is
    locked for the rest of the caller's transaction. Numbers may skip (a rolled-back
    submission), never repeat."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"AJS-{year}-{counter.last:05d}"


_AFTER_MOVE = []


def register_after_move(func):
    """Called from an AppConfig.ready() of an app above referrals: `func(referral, action,
    actor)` runs inside the transaction of every move, after its event, with the locked and
    updated referral (escalations: a move that overtakes an open mediation closes it, ADR 0162).
    Registering the same function twice changes nothing."""
    if func not in _AFTER_MOVE:
        _AFTER_MOVE.append(func)


def transition(referral, action, actor, note="", target=None, already_locked=False, **changes):
    """Perform `action` on `referral` as `actor`: lock, check the table, apply `changes`,
    stamp measured moments, write the event. Returns the fresh referral. Raises
    TransitionNotAllowed when the current status does not allow it. `already_locked`: the
    caller read `referral` with SELECT ... FOR UPDATE in its own, still open transaction, so it
    is fresh and locked: it is not read a second time."""
    move = ACTIONS.get(action)
    if move is None or not move.changes_status:
        raise TransitionNotAllowed(_("Unknown action."))
    if already_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A referral locked by the caller comes with the caller's transaction.")
    # A caller that locked the referral holds the transaction: no savepoint of our own (a refusal
    # below raises before anything is written, and the caller's transaction ends with it).
    with transaction.atomic(savepoint=not already_locked):
        locked = referral if already_locked else Referral.objects.select_for_update().get(pk=referral.pk)
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
        for func in _AFTER_MOVE:
            func(locked, action, actor)
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

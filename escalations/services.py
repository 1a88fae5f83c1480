"""Escalation with doorzettingsmacht: one function per user action (ADR 0060, 0061).

Each action checks permission (PermissionDenied), changes state inside one transaction,
writes the referral event and queues notifications. Notification texts never carry child
data; they link to the escalation page, and go out in the site's language whatever language
the acting user browses in (portal.notifications.notify).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import Region
from contacts.norms import NormBook
from contacts.permissions import registry_admin_region_ids
from escalations import permissions as perms
from escalations.anonymity import identifying_findings
from escalations.models import (
    CarriedBy,
    Decision,
    Escalation,
    EscalationReason,
    Mediation,
    Mediator,
    Precedent,
    PrecedentDomain,
    Side,
    age_band,
)
from portal.notifications import notify
from portal.workdays import working_days_before
from referrals.models import FINAL_STATUSES, Referral, Status
from referrals.permissions import team_colleagues
from referrals.workflow import ACTIONS, TransitionNotAllowed, record_event, transition

# kind -> (subject, body): lazy, so that notify() renders them in the site's language.
NOTICES = {
    "escalation_raised": (
        gettext_lazy("An escalation waits for your decision"),
        gettext_lazy(
            "School and district team ask you to decide on a referral (doorzettingsmacht). "
            "Consult the other decider and record the decision in Tandem."
        ),
    ),
    "escalation_raised_party": (
        gettext_lazy("A referral of yours was escalated"),
        gettext_lazy("A referral you work on was escalated to the deciders. You may add your position."),
    ),
    "escalation_position": (
        gettext_lazy("A position was added to an escalation"),
        gettext_lazy("A position was added to an escalation that waits for your decision."),
    ),
    "escalation_decided_responsible": (
        gettext_lazy("A decision asks you to act"),
        gettext_lazy(
            "The deciders decided on an escalated referral; your side carries it out. See the decision."
        ),
    ),
    "escalation_decided": (
        gettext_lazy("An escalation was decided"),
        gettext_lazy("A decision was recorded on an escalation you are involved in."),
    ),
    "precedent_draft": (
        gettext_lazy("A precedent waits for your review"),
        gettext_lazy("Review the anonymised precedent of a decision before it is published in the library."),
    ),
    "escalation_withheld_school": (
        gettext_lazy("A referral was not escalated"),
        gettext_lazy(
            "A referral of your school has waited past the norm, but it is not escalated: consent was "
            "withdrawn and it is no longer shared. Record valid consent again, or withdraw the referral."
        ),
    ),
    "escalation_withheld_team": (
        gettext_lazy("A referral was not escalated"),
        gettext_lazy(
            "A referral your team worked on has waited past the norm. It is not escalated: the school "
            "stopped sharing it (consent withdrawn), so nobody may decide on it now."
        ),
    ),
    # Mediation before escalation (ADR 0149).
    "mediation_asked": (
        gettext_lazy("You are asked to mediate"),
        gettext_lazy(
            "School and district team disagree about a referral and ask you to mediate before it goes "
            "to the deciders. Read the disagreement and record the outcome in Tandem."
        ),
    ),
    "mediation_asked_party": (
        gettext_lazy("A mediator was asked"),
        gettext_lazy("A mediator was asked to mediate on a referral you work on."),
    ),
    "mediation_settled": (
        gettext_lazy("The mediation settled the disagreement"),
        gettext_lazy("The mediator recorded that school and district team settled their disagreement."),
    ),
    "mediation_not_settled": (
        gettext_lazy("The mediation did not settle the disagreement"),
        gettext_lazy(
            "The mediator recorded that the disagreement was not settled. You may now escalate to the "
            "deciders."
        ),
    ),
    "escalation_decision_overdue": (
        gettext_lazy("A decision has not been carried out yet"),
        gettext_lazy(
            "The date by which a decision on an escalated referral was to be carried out has passed "
            "and the help has not started."
        ),
    ),
}


def _notify(users, kind, url, referral):
    """The notice starts with the referral's reference number (ADR 0115), never child data."""
    subject, body = NOTICES[kind]
    return notify(users, kind, subject, body, url, reference=referral.reference)


def _url(escalation):
    return reverse("escalations:detail", args=[escalation.pk])


# --- Helpers ---------------------------------------------------------------------------------


def onward_status(status, assign_help, *, to_triage=(Status.RETURNED,)):
    """Where a referral goes when a disagreement ends: to accepted when the district team
    provides the help; otherwise on where it was, except that a status in `to_triage` (or none)
    goes to triage, where the team takes the question up again with the outcome in hand.

    After a decision (ADR 0060) `status` is where the referral was before the escalation (a
    declined referral stays declined: the deciders upheld the decline) and a returned one goes to
    triage; after a settled mediation (ADR 0149) it is the current status, and a submitted or a
    returned referral goes to triage."""
    if assign_help:
        return Status.ACCEPTED
    if not status or status in to_triage:
        return Status.IN_TRIAGE
    return status


def responsible_sides(carried_by):
    if carried_by == CarriedBy.EDUCATION:
        return (Side.SCHOOL,)
    if carried_by == CarriedBy.YOUTH_CARE:
        return (Side.DISTRICT_TEAM,)
    return (Side.SCHOOL, Side.DISTRICT_TEAM)


def _responsible_users(referral, carried_by):
    users = []
    for side in responsible_sides(carried_by):
        users.extend(perms.party_users(referral, side))
    return users


def _deciders_of(referral):
    """The partnership and municipality whose people decide on an escalation of `referral`.
    The home municipality pays (woonplaatsbeginsel); without one, the school's municipality."""
    return referral.school.partnership, referral.home_municipality or referral.school.municipality


# --- Raise ---------------------------------------------------------------------------------


def _offered_side(user, referral):
    """The side for which `user` may escalate `referral` or ask a mediator now: a party, in a
    raisable status, once escalating makes sense (ADR 0141) and while no mediation is open
    (ADR 0149). PermissionDenied (with the offer's explanation) otherwise."""
    sides = perms.party_sides(user, referral)
    if not sides or referral.status not in perms.RAISABLE_STATUSES:
        raise PermissionDenied
    offer = perms.escalation_offer(referral)
    if not offer.offered:
        raise PermissionDenied(offer.explanation)
    return sides[0]


def _lock(referral):
    return Referral.objects.select_for_update().select_related("school").get(pk=referral.pk)


def _recheck(user, locked):
    """The preconditions again, on the locked row: another party may have asked a mediator,
    escalated or moved the referral between the first check and the lock. The refusal is a
    message for the form (TransitionNotAllowed). Returns the side."""
    if locked.status not in perms.RAISABLE_STATUSES:
        raise TransitionNotAllowed(
            _("This is not possible any more: the referral is now “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    try:
        return _offered_side(user, locked)
    except PermissionDenied as exc:
        raise TransitionNotAllowed(str(exc) or _("This is not possible now.")) from exc


def raise_escalation(user, referral, *, reason, position, other_position=""):
    """A party escalates `referral`. Returns the new open Escalation."""
    _offered_side(user, referral)
    with transaction.atomic():
        referral = _lock(referral)
        side = _recheck(user, referral)
        partnership, municipality = _deciders_of(referral)
        referral = transition(
            referral,
            "escalate",
            user,
            note=_("Escalated: %(reason)s") % {"reason": EscalationReason(reason).label},
        )
        escalation = Escalation.objects.create(
            referral=referral,
            reason=reason,
            raised_side=side,
            raised_by=user,
            raiser_position=position,
            other_position=other_position,
            partnership=partnership,
            municipality=municipality,
        )
        _notify_raised(escalation, exclude_side=side)
    return escalation


def _notify_raised(escalation, exclude_side=None):
    url = _url(escalation)
    _notify(perms.decider_users(escalation), "escalation_raised", url, escalation.referral)
    other_sides = [s for s in (Side.SCHOOL, Side.DISTRICT_TEAM) if s != exclude_side]
    others = [u for s in other_sides for u in perms.party_users(escalation.referral, s)]
    _notify(others, "escalation_raised_party", url, escalation.referral)


def auto_escalate_referral(referral, working_days):
    """Escalate `referral` automatically (no progress); returns the Escalation or None when the
    referral moved on meanwhile."""
    partnership, municipality = _deciders_of(referral)
    try:
        with transaction.atomic():
            referral = transition(
                referral, "escalate", None, note=_("Escalated automatically: the waiting norm was exceeded.")
            )
            escalation = Escalation.objects.create(
                referral=referral,
                reason=EscalationReason.NO_PROGRESS,
                raised_side=Side.SYSTEM,
                raised_by=None,
                raiser_position="",
                partnership=partnership,
                municipality=municipality,
            )
            _notify_raised(escalation)
    except TransitionNotAllowed:
        return None
    return escalation


def _limit(today, threshold):
    """The moment before which a clock has run `threshold` working days by the end of today."""
    cutoff = working_days_before(today, threshold)
    return timezone.make_aware(
        datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time.min)
    )


def overdue_referrals(now=None):
    """[(referral, threshold)]: referrals without a decision longer than their norm plus the
    margin (in working days; the region's norms valid at the submission, else the defaults, ADR
    0091), counted from the first submission or, after an earlier escalation, from its decision.
    SQL narrows to the smallest threshold in use; each referral is then held to its own."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    book = NormBook()
    smallest = min(book.thresholds())
    candidates = (
        Referral.objects.filter(
            status__in=(Status.SUBMITTED, Status.IN_TRIAGE),
            decided_at__isnull=True,
            first_submitted_at__isnull=False,
        )
        .annotate(clock=Coalesce(Max("escalations__decided_at"), F("first_submitted_at")))
        .filter(clock__lt=_limit(today, smallest))
        .select_related("school__partnership", "school__municipality__region", "home_municipality")
        .order_by("pk")
    )
    overdue = []
    for referral in candidates:
        threshold = book.for_referral(referral).escalation_threshold
        if referral.clock < _limit(today, threshold):
            overdue.append((referral, threshold))
    return overdue


WITHHELD_EVENT = "auto_escalation_withheld"


def withhold_auto_escalation(referral):
    """An overdue referral the school no longer shares (consent withdrawn, ADR 0050) is not
    escalated: its deciders could not open it. The school and the routed team are told instead,
    once per stop of the sharing (ADR 0096). Returns whether they were told now."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.sharing_stopped_at is None:
            return False
        told = locked.events.filter(action=WITHHELD_EVENT, at__gte=locked.sharing_stopped_at).exists()
        if told:
            return False
        record_event(
            locked,
            WITHHELD_EVENT,
            None,
            note=_("Not escalated automatically: the referral is not shared while consent is withdrawn."),
        )
        school = perms.party_users(locked, Side.SCHOOL)
        _notify(school, "escalation_withheld_school", reverse("referrals:detail", args=[locked.uuid]), locked)
        _notify(team_colleagues(locked), "escalation_withheld_team", reverse("referrals:inbox"), locked)
    return True


def auto_escalate(now=None):
    """The daily task's work: escalate every overdue referral once; one that is no longer shared
    is not escalated, its school and team are told instead. Returns how many were escalated."""
    count = 0
    for referral, threshold in overdue_referrals(now):
        if referral.sharing_stopped_at is not None:
            withhold_auto_escalation(referral)
            continue
        if auto_escalate_referral(referral, threshold):
            count += 1
    return count


# --- The other side's position ------------------------------------------------------------


def add_position(user, escalation, position):
    side = perms.position_side(user, escalation)
    if side is None:
        raise PermissionDenied
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().select_related("referral").get(pk=escalation.pk)
        if locked.state != Escalation.State.OPEN:
            raise TransitionNotAllowed(_("This escalation has been decided meanwhile."))
        if locked.raised_side == Side.SYSTEM and side == Side.SCHOOL:
            locked.raiser_position = position
            locked.save(update_fields=["raiser_position"])
        else:
            locked.other_position = position
            locked.other_position_by = user
            locked.save(update_fields=["other_position", "other_position_by"])
        record_event(
            locked.referral,
            "escalation_position",
            user,
            note=_("Position added to the escalation by the %(side)s.") % {"side": Side(side).label},
        )
        _notify(perms.decider_users(locked), "escalation_position", _url(locked), locked.referral)
    return locked


# --- Decide ----------------------------------------------------------------------------------


def agreement_candidates(user, escalation):
    """Who may be recorded as having agreed: a decider on the other side."""
    sides = perms.decider_sides(user, escalation)
    if sides == [CarriedBy.EDUCATION]:
        qs = perms.decider_users(escalation, CarriedBy.YOUTH_CARE)
    elif sides == [CarriedBy.YOUTH_CARE]:
        qs = perms.decider_users(escalation, CarriedBy.EDUCATION)
    else:
        qs = perms.decider_users(escalation)
    return qs.exclude(pk=user.pk)


def decide(
    user,
    escalation,
    *,
    agreed_by,
    help,  # noqa: A002 - the model's field name
    carried_by,
    rationale,
    carry_out_by,
    split="",
    assign_help=True,
):
    """Record the decision, put the referral back into its flow, draft a precedent."""
    if not perms.can_decide(user, escalation):
        raise PermissionDenied
    candidates = agreement_candidates(user, escalation)
    if agreed_by is not None and not candidates.filter(pk=agreed_by.pk).exists():
        raise ValidationError({"agreed_by": _("Choose a decider of the other side.")})
    if agreed_by is None and candidates.exists():
        raise ValidationError({"agreed_by": _("Record which decider of the other side agreed.")})
    if carried_by == CarriedBy.SHARED and not split.strip():
        raise ValidationError({"split": _("Describe how the costs are split.")})
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if locked.state != Escalation.State.OPEN:
            raise TransitionNotAllowed(_("Another decider recorded the decision just before you."))
        now = timezone.now()
        decision = Decision.objects.create(
            escalation=locked,
            decided_by=user,
            agreed_by=agreed_by,
            help=help,
            carried_by=carried_by,
            split=split,
            rationale=rationale,
            carry_out_by=carry_out_by,
        )
        locked.state = Escalation.State.DECIDED
        locked.decided_at = now
        locked.save(update_fields=["state", "decided_at"])
        referral = Referral.objects.select_related("school").get(pk=locked.referral_id)
        note = _("Decision after escalation: carried by %(carried_by)s, to be carried out by %(date)s.") % {
            "carried_by": CarriedBy(carried_by).label,
            "date": date_format(carry_out_by, "SHORT_DATE_FORMAT"),
        }
        referral = transition(
            referral,
            "resume",
            user,
            note=note,
            target=onward_status(referral.status_before_escalation, assign_help),
        )
        draft_precedent(decision, referral)
        url = _url(locked)
        responsible = _responsible_users(referral, carried_by)
        _notify(responsible, "escalation_decided_responsible", url, referral)
        others = [u for u in [*perms.party_users(referral), *perms.decider_users(locked)] if u.pk != user.pk]
        _notify([u for u in others if u not in responsible], "escalation_decided", url, referral)
    return decision


# --- Precedents --------------------------------------------------------------------------------


def draft_precedent(decision, referral):
    """A draft with the structured facts only: no free text is copied (ADR 0061)."""
    escalation = decision.escalation
    precedent = Precedent.objects.create(
        decision=decision,
        partnership_id=escalation.partnership_id,
        municipality_id=escalation.municipality_id,
        reason=escalation.reason,
        school_type=referral.school.school_type,
        age_band=age_band(referral.child_date_of_birth, timezone.localdate()),
        carried_by=decision.carried_by,
    )
    PrecedentDomain.objects.bulk_create(
        [
            PrecedentDomain(precedent=precedent, domain=d)
            for d in referral.domains.values_list("domain", flat=True)
        ]
    )
    _notify(
        perms.decider_users(escalation),
        "precedent_draft",
        reverse("escalations:precedent_edit", args=[precedent.pk]),
        referral,
    )
    return precedent


def update_precedent(user, precedent, *, domains=None, **fields):
    if not perms.can_edit_precedent(user, precedent):
        raise PermissionDenied
    with transaction.atomic():
        locked = Precedent.objects.select_for_update().get(pk=precedent.pk)
        if locked.status != Precedent.Status.DRAFT:
            raise TransitionNotAllowed(_("This precedent has been published meanwhile."))
        findings = identifying_findings(locked, fields)
        if findings:
            raise ValidationError(findings)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        if domains is not None:
            locked.domains.exclude(domain__in=domains).delete()
            existing = set(locked.domains.values_list("domain", flat=True))
            PrecedentDomain.objects.bulk_create(
                [PrecedentDomain(precedent=locked, domain=d) for d in domains if d not in existing]
            )
    return locked


def publish_precedent(user, precedent):
    """Publish a reviewed draft; refused (ValidationError) while a text identifies the child or
    a required text is empty."""
    if not perms.can_edit_precedent(user, precedent):
        raise PermissionDenied
    with transaction.atomic():
        locked = Precedent.objects.select_for_update().get(pk=precedent.pk)
        if locked.status != Precedent.Status.DRAFT:
            raise TransitionNotAllowed(_("This precedent has been published meanwhile."))
        errors = dict(identifying_findings(locked))
        for field in ("title", "summary", "outcome", "rationale"):
            if not getattr(locked, field).strip():
                errors.setdefault(field, _("Fill this in before publishing."))
        if locked.carried_by == CarriedBy.SHARED and not locked.split.strip():
            errors.setdefault("split", _("Describe how the costs are split."))
        if errors:
            raise ValidationError(errors)
        locked.status = Precedent.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = user
        locked.save()
    return locked


# --- Reminders -------------------------------------------------------------------------------


def send_decision_reminders(today=None):
    """Remind once when a decision's date passed without help started. Returns how many."""
    today = today or timezone.localdate()
    due = (
        Decision.objects.filter(
            carry_out_by__lt=today,
            reminder_sent_on__isnull=True,
            escalation__referral__help_started_at__isnull=True,
        )
        .exclude(escalation__referral__status__in=(Status.HELP_STARTED, *FINAL_STATUSES))
        .select_related("escalation__referral", "decided_by", "agreed_by")
        .order_by("pk")
    )
    sent = 0
    for decision in due:
        with transaction.atomic():
            claimed = Decision.objects.filter(pk=decision.pk, reminder_sent_on__isnull=True).update(
                reminder_sent_on=today
            )
            if not claimed:
                continue
            referral = decision.escalation.referral
            users = [
                *_responsible_users(referral, decision.carried_by),
                decision.decided_by,
                decision.agreed_by,
            ]
            _notify(users, "escalation_decision_overdue", _url(decision.escalation), referral)
            sent += 1
    return sent


# --- Mediation before escalation (ADR 0149) ---------------------------------------------------


def _mediation_url(mediation):
    return reverse("escalations:mediation", args=[mediation.pk])


def name_mediator(user, *, region, mediator_user):
    """The registry administrator names `mediator_user` mediator of `region` (their own)."""
    if region is None or region.pk not in registry_admin_region_ids(user):
        raise PermissionDenied
    if not perms.mediator_candidates([region.pk]).filter(pk=mediator_user.pk).exists():
        raise ValidationError({"user": _("Choose a person who works in this region.")})
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)
        if Mediator.objects.active().filter(region=region, user=mediator_user).exists():
            raise ValidationError({"user": _("This person is already a mediator of the region.")})
        return Mediator.objects.create(region=region, user=mediator_user, named_by=user)


def end_mediator(user, mediator):
    """The registry administrator ends a mediator: no longer offered to the parties. A mediation
    already asked keeps its mediator until the outcome is recorded."""
    if mediator.region_id not in registry_admin_region_ids(user):
        raise PermissionDenied
    with transaction.atomic():
        locked = Mediator.objects.select_for_update().get(pk=mediator.pk)
        if locked.ended_at is not None:
            raise TransitionNotAllowed(_("This mediator was ended already."))
        locked.ended_at = timezone.now()
        locked.ended_by = user
        locked.save(update_fields=["ended_at", "ended_by"])
    return locked


def ask_mediator(user, referral, *, mediator, question):
    """A party asks a mediator of the region to mediate before escalating. Returns the open
    Mediation."""
    # The same moment as escalating (ADR 0141), and not while a mediation is open.
    _offered_side(user, referral)
    if not perms.mediators_for(referral, user).filter(pk=mediator.pk).exists():
        raise ValidationError({"mediator": _("Choose one of the region's mediators.")})
    with transaction.atomic():
        locked = _lock(referral)
        if locked.mediations.filter(state=Mediation.State.OPEN).exists():
            raise TransitionNotAllowed(_("A mediator was asked on this referral just before you."))
        side = _recheck(user, locked)
        mediation = Mediation.objects.create(
            referral=locked, mediator=mediator, asked_side=side, asked_by=user, question=question
        )
        record_event(
            locked,
            "mediation_asked",
            user,
            note=_("A mediator was asked by the %(side)s: %(name)s.")
            % {"side": Side(side).label, "name": mediator.user.full_name or mediator.user.email},
        )
        url = _mediation_url(mediation)
        _notify([mediator.user], "mediation_asked", url, locked)
        other = [s for s in (Side.SCHOOL, Side.DISTRICT_TEAM) if s != side]
        _notify(
            [u for s in other for u in perms.party_users(locked, s)], "mediation_asked_party", url, locked
        )
    return mediation


def record_mediation_outcome(user, mediation, *, settled, carried_by="", assign_help=False, note=""):
    """The mediator records the outcome. Settled: the referral moves on along the agreed route
    (the `mediation_settled` move); not settled: an event, and the parties may escalate."""
    if not perms.can_record_outcome(user, mediation):
        raise PermissionDenied
    if settled and carried_by not in CarriedBy.values:
        raise ValidationError({"carried_by": _("Record who carries the help according to the agreement.")})
    with transaction.atomic():
        locked = Mediation.objects.select_for_update().get(pk=mediation.pk)
        if locked.state != Mediation.State.OPEN:
            raise TransitionNotAllowed(_("The outcome of this mediation was recorded already."))
        referral = Referral.objects.select_for_update().get(pk=locked.referral_id)
        if (
            referral.status == Status.ESCALATED
            or Escalation.objects.filter(referral=referral, raised_at__gte=locked.asked_at).exists()
        ):
            # The deciders took the dispute over (ADR 0162): the mediation has no say any more.
            raise TransitionNotAllowed(
                _(
                    "The outcome cannot be recorded: the disagreement was escalated to the deciders "
                    "after the mediator was asked."
                )
            )
        if settled:
            label = CarriedBy(carried_by).label
            referral = transition(
                referral,
                "mediation_settled",
                user,
                note=_("Settled with the mediator: carried by %(carried_by)s.") % {"carried_by": label},
                target=onward_status(
                    referral.status, assign_help, to_triage=(Status.SUBMITTED, Status.RETURNED)
                ),
            )
            locked.state = Mediation.State.SETTLED
            locked.carried_by = carried_by
            locked.assign_help = assign_help
        else:
            record_event(
                referral,
                "mediation_not_settled",
                user,
                note=_("The mediator recorded that the disagreement was not settled."),
            )
            locked.state = Mediation.State.NOT_SETTLED
        locked.outcome_note = note
        locked.recorded_by = user
        locked.recorded_at = timezone.now()
        locked.save()
        kind = "mediation_settled" if settled else "mediation_not_settled"
        _notify(perms.party_users(referral), kind, _mediation_url(locked), referral)
    return locked


def close_overtaken_mediation(referral, action, actor):
    """Registered with `referrals.workflow.register_after_move` (ADR 0162): a move that takes the
    referral out of the statuses a mediation works in (escalated, by a party or automatically;
    withdrawn; lapsed; help started) closes its open mediation as overtaken, with an event on
    the timeline. The mediator's access to the referral ends with it (MEDIATOR_GRANT)."""
    if referral.status in perms.RAISABLE_STATUSES:
        return None
    mediation = (
        Mediation.objects.select_for_update()
        .filter(referral=referral, state=Mediation.State.OPEN)
        .select_related("mediator__user")
        .first()
    )
    if mediation is None:
        return None
    mediation.state = Mediation.State.OVERTAKEN
    mediation.recorded_by = actor
    mediation.recorded_at = timezone.now()
    mediation.save(update_fields=["state", "recorded_by", "recorded_at"])
    record_event(
        referral,
        "mediation_overtaken",
        actor,
        note=_("The mediation was closed without an outcome: the referral was %(move)s.")
        % {"move": ACTIONS[action].label},
    )
    return mediation

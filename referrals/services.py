"""One function per user action on a referral.

Each checks the permission (PermissionDenied → 403), changes state inside one transaction,
writes the event through referrals/workflow.py and queues notifications that carry no child
data: only the reference number, what happened ("a referral was accepted") and a link
(ADR 0115). The workflow actions' services are
bound to their entry of the transition table with `@performs` and are called alike,
`service(user, referral, **form.cleaned_data)` (ADR 0054).
"""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.arrangements import current_for_school
from contacts.models import CURRENT_MEMBERSHIP, Role, User
from portal import storage as storage_files
from portal.notifications import notify
from referrals import permissions as perms
from referrals.consent import age_on, consent_problems, sharing_held
from referrals.models import (
    Attachment,
    Consent,
    CooperationFeedback,
    FeedbackReceipt,
    Guardian,
    Message,
    Referral,
    ReferralDomain,
    Status,
    SubjectKind,
    Transition,
    Urgency,
)
from referrals.retention import blank_values
from referrals.routing import home_municipality_contact_users, route_for
from referrals.submission import CHILD_ONLY_FIELDS, GROUP_ONLY_FIELDS, required_for
from referrals.workflow import ACTIONS, TransitionNotAllowed, performs, record_event, transition

S = Status

DRAFT_FIELDS = (
    "school",
    "subject_kind",
    "group_name",
    "group_size",
    "home_municipality",
    "child_first_name",
    "child_last_name",
    "child_date_of_birth",
    "child_group",
    "question",
    "already_done",
    "goals",
    "urgency",
    "urgency_reason",
    "desired_form",
    "current_help",
    "professionals_involved",
)

# Notification texts: never child data (ADR 0054). Those the workflow actions send are declared
# with the actions (referrals/workflow.py ACTIONS).
NOTICES = {
    **{a.notice.kind: (a.notice.subject, a.notice.body) for a in ACTIONS.values() if a.notice},
    "cooperation_feedback": (
        gettext_lazy("How did the cooperation go?"),
        gettext_lazy(
            "A referral you worked on has ended. Two short questions about the cooperation and "
            "the route; answering is optional and anonymous."
        ),
    ),
    "referral_home_municipality": (
        gettext_lazy("A referral for a pupil of your municipality"),
        gettext_lazy(
            "A referral for a pupil living in your municipality was submitted at a school elsewhere."
        ),
    ),
    "referral_document_added": (
        gettext_lazy("A document was added to a referral"),
        gettext_lazy("The district team added a document to a referral of your school."),
    ),
    "referral_message": (
        gettext_lazy("A new message on a referral"),
        gettext_lazy("There is a new message on a referral in Tandem."),
    ),
    "referral_consent_withdrawn": (
        gettext_lazy("Consent was withdrawn"),
        gettext_lazy("Consent for a referral was withdrawn; it is no longer shared with you."),
    ),
    "referral_waiting_near": (
        gettext_lazy("A referral is close to the waiting-time norm"),
        gettext_lazy("A referral is close to the waiting-time norm."),
    ),
    "referral_lapse_reminder": (
        gettext_lazy("A referral is about to lapse"),
        gettext_lazy(
            "Nothing happened on a referral of your school for a long time: it waits for your answer "
            "or for valid consent. If nothing happens, it lapses soon and is closed."
        ),
    ),
    "referral_transition_reminder": (
        gettext_lazy("A pupil turns 18 soon: prepare the transition"),
        gettext_lazy(
            "A pupil of a referral you work on turns 18 soon and the transition to adult services "
            "is not yet prepared. Open the referral in Tandem to see the checklist."
        ),
    ),
    "referral_waiting_over": (
        gettext_lazy("A referral has passed the waiting-time norm"),
        gettext_lazy("A referral has passed the waiting-time norm."),
    ),
}


class SubmitRefused(Exception):
    """The referral is not complete; `problems` lists (section, message)."""

    def __init__(self, problems):
        super().__init__("incomplete")
        self.problems = problems


def detail_url(referral):
    return reverse("referrals:detail", args=[referral.uuid])


def send_notice(users, kind, referral, url=None):
    subject, body = NOTICES[kind]
    return notify(users, kind, subject, body, url or detail_url(referral), reference=referral.reference)


def send_action_notice(users, action, referral):
    """The notice the table declares for `action` (referrals/workflow.py ACTIONS)."""
    send_notice(users, ACTIONS[action].notice.kind, referral)


def school_users(referral):
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.SCHOOL_COORDINATOR,
            memberships__school_id=referral.school_id,
            **CURRENT_MEMBERSHIP,
        ).distinct()
    )


def team_users(referral):
    if referral.assigned_to_id and referral.assigned_to.is_active:
        return [referral.assigned_to]
    return list(perms.team_colleagues(referral))


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _locked(referral, *related):
    """The referral read again under SELECT ... FOR UPDATE of its own row, `related` joined in."""
    return Referral.objects.select_for_update(of=("self",)).select_related(*related).get(pk=referral.pk)


# --- The school: draft, guardians, consent, attachments, submit ------------------------------


def save_draft(user, referral, data, domains):
    """Create (referral None) or update a draft with the form's cleaned data."""
    school = data.get("school") or (referral.school if referral else None)
    _require(school is not None and school.pk in perms.school_ids(user))
    with transaction.atomic():
        if referral is None:
            referral = Referral(created_by=user, school=school)
            created = True
        else:
            _require(perms.can_edit(user, referral))
            referral = _locked(referral)
            _require(perms.can_edit(user, referral))
            created = False
        for field in DRAFT_FIELDS:
            if field in data:
                setattr(referral, field, data[field])
        if referral.urgency != Urgency.HIGH:
            referral.urgency_reason = ""
        _clear_other_subject_fields(referral)
        referral.save()
        ReferralDomain.objects.filter(referral=referral).exclude(domain__in=domains).delete()
        existing = set(referral.domains.values_list("domain", flat=True))
        ReferralDomain.objects.bulk_create(
            [ReferralDomain(referral=referral, domain=d) for d in domains if d not in existing]
        )
        record_event(referral, "draft_created" if created else "draft_saved", user)
    return referral


def _clear_other_subject_fields(referral):
    """A group or school-wide request keeps no child data, whatever was posted (ADR 0154)."""
    if referral.subject_kind != SubjectKind.CHILD:
        if referral.pk and (referral.guardians.exists() or referral.consents.exists()):
            # The form fixes the kind once parents or consent are recorded; never lose them.
            raise PermissionDenied
        for field, blank in blank_values(CHILD_ONLY_FIELDS).items():
            setattr(referral, field, blank)
    if referral.subject_kind != SubjectKind.GROUP:
        for field, blank in blank_values(GROUP_ONLY_FIELDS).items():
            setattr(referral, field, blank)


def add_guardian(user, referral, **fields):
    _require(perms.can_edit(user, referral))
    _require(referral.subject_kind == SubjectKind.CHILD)
    with transaction.atomic():
        guardian = Guardian.objects.create(referral=referral, **fields)
        record_event(referral, "guardian_added", user)
    return guardian


def remove_guardian(user, guardian):
    """Take a parent off the referral. The row stays, stamped, with its consent records: the
    ledger keeps saying who consented and when (ADR 0097); the consent rules no longer count a
    removed parent."""
    referral = guardian.referral
    _require(perms.can_edit(user, referral))
    with transaction.atomic():
        removed = Guardian.objects.filter(pk=guardian.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=user
        )
        if removed:
            record_event(referral, "guardian_removed", user)


def record_consent(user, referral, *, giver, guardian, given_on, form, recipients):
    _require(perms.can_manage_consent(user, referral))
    _require(referral.subject_kind == SubjectKind.CHILD)
    with transaction.atomic():
        referral = _locked(referral)
        consent = Consent.objects.create(
            referral=referral,
            giver=giver,
            guardian=guardian if giver == Consent.Giver.PARENT else None,
            given_on=given_on,
            form=form,
            recipients=recipients,
            recorded_by=user,
        )
        record_event(referral, "consent_recorded", user)
        if (
            referral.sharing_stopped_at is not None
            and not consent_problems(referral)
            and not sharing_held(referral)
        ):
            referral.sharing_stopped_at = None
            referral.save(update_fields=["sharing_stopped_at", "updated_at"])
            record_event(referral, "sharing_resumed", user)
    return consent


def withdraw_consent(user, consent):
    """Record the withdrawal; when consent is no longer valid, sharing stops: the district
    team and any decider lose access until valid consent is recorded again."""
    referral = consent.referral
    _require(perms.can_manage_consent(user, referral))
    with transaction.atomic():
        referral = _locked(referral)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            return consent
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record_event(referral, "consent_withdrawn", user)
        if referral.status != S.DRAFT and referral.sharing_stopped_at is None and consent_problems(referral):
            recipients = team_users(referral)
            referral.sharing_stopped_at = timezone.now()
            referral.save(update_fields=["sharing_stopped_at", "updated_at"])
            record_event(referral, "sharing_stopped", user)
            send_notice(recipients, "referral_consent_withdrawn", referral, url=reverse("referrals:inbox"))
    return consent


def upload_attachment(user, referral, file, content_type):
    """The school adds a file while it may edit the referral."""
    _require(perms.can_edit(user, referral))
    return _attach(user, referral, file, content_type, Attachment.Side.SCHOOL, "attachment_added")


def add_team_document(user, referral, file, content_type):
    """The routed district worker adds a document (a plan, a report) to a referral the team
    triages or handles; checked like the school's files, on the timeline as who added which
    file (ADR 0163)."""
    _require(perms.can_add_document(user, referral))
    attachment = _attach(user, referral, file, content_type, Attachment.Side.TEAM, "document_added")
    send_notice(school_users(referral), "referral_document_added", referral)
    return attachment


def _attach(user, referral, file, content_type, side, event):
    """The file is stored completely (or not at all) before its row is written, and removed
    again when the row's transaction fails: never a row without its file, nor a file without its
    row (ADR 0132). A full disk is a message next to the file field, not a 500. The timeline
    event names the file (its note is blanked with the referral's personal data)."""
    attachment = Attachment(
        referral=referral,
        original_name=(file.name or "").replace("\x00", "")[:200] or "bijlage",
        content_type=content_type,
        size=file.size,
        uploaded_by=user,
        side=side,
    )
    field = attachment.file.field
    storage = field.storage
    name = storage.get_available_name(field.generate_filename(attachment, "upload"), field.max_length)
    try:
        storage_files.store(storage, name, file)
    except storage_files.StorageFull as exc:
        raise ValidationError(
            {
                "file": _(
                    "The file could not be stored: the storage for attachments is full. Nothing was "
                    "added. Try again later, and tell the application administrator if it keeps "
                    "happening."
                )
            },
            code="storage_full",
        ) from exc
    try:
        with transaction.atomic():
            attachment.file.name = name
            attachment.save()
            record_event(referral, event, user, note=attachment.original_name)
    except BaseException:
        storage_files.remove(storage, name)
        raise
    return attachment


def remove_attachment(user, attachment):
    """The school takes a file it added off the referral while it may edit (ADR 0163): the row
    goes, the file is deleted from storage once the removal is committed, and the timeline says
    which file was removed, by whom and when; nothing of its content is kept."""
    _require(perms.can_remove_attachment(user, attachment))
    storage = attachment.file.storage
    with transaction.atomic():
        referral = _locked(attachment.referral)
        attachment.referral = referral
        _require(perms.can_remove_attachment(user, attachment))
        name = attachment.file.name
        deleted, _rows = Attachment.objects.filter(pk=attachment.pk).delete()
        if deleted:
            record_event(referral, "attachment_removed", user, note=attachment.original_name)
            transaction.on_commit(lambda: storage_files.remove(storage, name))
    return bool(deleted)


class FormPart(NamedTuple):
    """What the one-page form asks besides the draft's own fields: the rows to add and to
    take off, each a list of cleaned data or objects (ADR 0163)."""

    new_guardians: list = []
    removed_guardians: list = []
    new_consents: list = []
    withdrawn_consents: list = []
    uploads: list = []  # (file, content_type)


def save_referral_form(user, referral, data, domains, part=None):
    """The one-page form's "Save draft" (ADR 0163): the draft's fields, the parents added and
    removed, the consent recorded and withdrawn and the files uploaded, all in one transaction:
    everything is saved or nothing. Each part is the service of its own action, so the rules
    and the timeline events are those of the separate steps. A file already stored is removed
    again when the transaction does not commit."""
    part = part or FormPart()
    stored = []
    try:
        with transaction.atomic():
            referral = save_draft(user, referral, data, domains)
            for guardian in part.removed_guardians:
                remove_guardian(user, guardian)
            for consent in part.withdrawn_consents:
                withdraw_consent(user, consent)
            for fields in part.new_guardians:
                add_guardian(user, referral, **fields)
            for fields in part.new_consents:
                record_consent(user, referral, **fields)
            for file, content_type in part.uploads:
                stored.append(upload_attachment(user, referral, file, content_type).file.name)
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            storage_files.remove(storage, name)
        raise
    return referral


class Problem(NamedTuple):
    """One thing that keeps a referral from being submitted: the form section it belongs to,
    the message, and the field it is about (None for the consent section as a whole)."""

    section: str
    message: str
    field: str | None = None


def submit_problems(referral, route=None):
    """Everything that keeps the referral from being submitted, as Problem(section, message,
    field). The edit page shows each at its field and links to it from the summary (ADR 0118).
    `route` is the school's route_for when the caller has it."""
    problems = []
    for section, field, message in required_for(referral.subject_kind):
        if not getattr(referral, field if not field.endswith("municipality") else f"{field}_id"):
            problems.append(Problem(section, message, field))
    if not referral.domains.exists():
        problems.append(Problem("question", _("Choose at least one concern domain."), "domains"))
    if referral.urgency == Urgency.HIGH and not referral.urgency_reason.strip():
        problems.append(Problem("question", _("Give the reason for high urgency."), "urgency_reason"))
    age = age_on(referral.child_date_of_birth)
    if age is not None and not 2 <= age <= 21:
        problems.append(
            Problem("pupil", _("The pupil must be between 2 and 21 years old."), "child_date_of_birth")
        )
    if referral.subject_kind == SubjectKind.CHILD and referral.child_date_of_birth is not None:
        problems.extend(Problem("consent", p) for p in consent_problems(referral))
    if (route or route_for(referral.school)).team is None:
        problems.append(
            Problem(
                "pupil",
                _(
                    "There is no district team for this school's municipality; "
                    "contact the registry administrator."
                ),
                "school",
            )
        )
    return problems


@performs("submit")
def submit(user, referral):
    _require(perms.can_submit(user, referral))
    return _send_to_team(user, referral, "submit", note="")


@performs("resubmit")
def answer_and_resubmit(user, referral, answer):
    _require(perms.can_resubmit(user, referral))
    return _send_to_team(user, referral, "resubmit", note=answer)


def _send_to_team(user, referral, action, note):
    with transaction.atomic():
        locked = _locked(referral, "school")
        route = route_for(locked.school)
        problems = submit_problems(locked, route=route)
        if problems:
            raise SubmitRefused(problems)
        changes = {}
        if action == "submit" or locked.routed_team_id is None:
            changes = {"routed_team": route.team, "routing_reason": route.reason}
        referral = transition(locked, action, user, note=note, already_locked=True, **changes)
        send_action_notice(team_users(referral), action, referral)
        if action == "submit":
            others = home_municipality_contact_users(referral)
            if others:
                # They are no party: the link opens the short summary (ADR 0095).
                send_notice(
                    others,
                    "referral_home_municipality",
                    referral,
                    url=reverse("referrals:summary", args=[referral.uuid]),
                )
    return referral


# --- The district team: triage ------------------------------------------------------------


@performs("take_up")
def take_up(user, referral, assignee=None):
    """Take up for yourself or for a colleague of the routed team."""
    _require(perms.may_perform(user, referral, "take_up"))
    assignee = assignee or user
    _require(perms.team_colleagues(referral).filter(pk=assignee.pk).exists())
    with transaction.atomic():
        referral = transition(referral, "take_up", user, assigned_to=assignee)
        if assignee != user:
            send_action_notice([assignee], "take_up", referral)
    return referral


@performs("assign")
def assign(user, referral, assignee):
    _require(perms.can_assign(user, referral))
    _require(perms.team_colleagues(referral).filter(pk=assignee.pk).exists())
    with transaction.atomic():
        locked = _locked(referral)
        if locked.status not in ACTIONS["assign"].sources:
            raise TransitionNotAllowed(
                _("This action is not possible: the referral is now “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        record_event(locked, "assigned", user, note=assignee.full_name)
        if assignee != user:
            send_action_notice([assignee], "assign", locked)
    return locked


@performs("accept")
def accept(user, referral, *, care_provider, planned_help_form, expected_start, joint_deployment, note=""):
    _require(perms.may_perform(user, referral, "accept"))
    with transaction.atomic():
        referral = transition(
            referral,
            "accept",
            user,
            note=note,
            care_provider=care_provider,
            planned_help_form=planned_help_form,
            expected_start=expected_start,
            joint_deployment=joint_deployment,
        )
        send_action_notice(school_users(referral), "accept", referral)
    return referral


@performs("accept_arrangement")
def help_through_arrangement(user, referral, *, arrangement, note=""):
    """Accept the referral as help through the school's collective arrangement (ADR 0161): no
    care provider and no planned help form; the arrangement must hold for the referral's
    school today."""
    _require(perms.may_perform(user, referral, "accept_arrangement"))
    if not current_for_school(referral.school).filter(pk=arrangement.pk).exists():
        raise TransitionNotAllowed(
            _("This arrangement does not hold for the referral's school today; choose another route.")
        )
    with transaction.atomic():
        referral = transition(
            referral,
            "accept_arrangement",
            user,
            note=f"{arrangement.name}: {note}" if note else arrangement.name,
            collective_arrangement=arrangement,
            care_provider=None,
            planned_help_form="",
            joint_deployment=False,
        )
        send_action_notice(school_users(referral), "accept_arrangement", referral)
    return referral


@performs("return")
def return_with_question(user, referral, question):
    _require(perms.may_perform(user, referral, "return"))
    with transaction.atomic():
        referral = transition(referral, "return", user, note=question)
        send_action_notice(school_users(referral), "return", referral)
    return referral


@performs("decline")
def decline(user, referral, *, reason, explanation):
    _require(perms.may_perform(user, referral, "decline"))
    with transaction.atomic():
        referral = transition(
            referral,
            "decline",
            user,
            note=explanation,
            decline_reason=reason,
            decline_explanation=explanation,
        )
        send_action_notice(school_users(referral), "decline", referral)
    return referral


@performs("start_help")
def start_help(user, referral, note=""):
    _require(perms.may_perform(user, referral, "start_help"))
    with transaction.atomic():
        referral = transition(referral, "start_help", user, note=note)
        send_action_notice(school_users(referral), "start_help", referral)
    return referral


@performs("close")
def close(user, referral, *, outcome, reason):
    _require(perms.may_perform(user, referral, "close"))
    with transaction.atomic():
        referral = transition(
            referral, "close", user, note=reason, close_outcome=outcome, close_reason=reason
        )
        send_action_notice(school_users(referral), "close", referral)
        invite_feedback(referral)
    return referral


# --- Referrals that end without a decision (ADR 0096) -------------------------------------------


def _team_url(referral):
    """The team's link to a referral: the referral itself while it is shared with the team,
    else the inbox (after a withdrawal of consent the team may no longer open it)."""
    return detail_url(referral) if referral.sharing_stopped_at is None else reverse("referrals:inbox")


@performs("withdraw")
def withdraw(user, referral, reason):
    """The school withdraws its referral before the district team accepted it, with a reason."""
    _require(perms.may_perform(user, referral, "withdraw"))
    with transaction.atomic():
        referral = transition(referral, "withdraw", user, note=reason)
        send_notice(team_users(referral), ACTIONS["withdraw"].notice.kind, referral, url=_team_url(referral))
    return referral


@performs("lapse")
def lapse(user, referral):
    """The scheduled task lapses a referral nobody can take further (`user` is None). The
    school and the routed team are told."""
    _require(user is None)
    with transaction.atomic():
        if referral.sharing_stopped_at is not None:
            note = _("Lapsed: not shared since consent was withdrawn, for %(days)s working days.")
        else:
            note = _("Lapsed: the school did not answer the question for %(days)s working days.")
        referral = transition(referral, "lapse", None, note=note % {"days": settings.TANDEM_LAPSE_DAYS})
        kind = ACTIONS["lapse"].notice.kind
        send_notice(school_users(referral), kind, referral)
        send_notice(team_users(referral), kind, referral, url=_team_url(referral))
        invite_feedback(referral)
    return referral


def post_message(user, referral, body):
    _require(perms.can_post_message(user, referral))
    with transaction.atomic():
        # Checked again on the locked row: the retention run may have anonymised it meanwhile.
        _require(perms.can_post_message(user, _locked(referral)))
        message = Message.objects.create(referral=referral, author=user, body=body)
        if perms.is_school_coordinator_of(user, referral):
            recipients = team_users(referral)
        else:
            recipients = school_users(referral)
        send_notice([u for u in recipients if u != user], "referral_message", referral)
    return message


# --- Cooperation feedback (ADR 0151) ---------------------------------------------------------


class FeedbackAlreadyGiven(Exception):
    """This person has answered for this referral before; nothing was stored."""


def feedback_url(referral):
    return reverse("referrals:feedback", args=[referral.uuid])


def invite_feedback(referral):
    """Ask the school's IB-ers and the routed team's workers (while the referral is shared with
    them) how the cooperation went: one notice each, no child data."""
    users = school_users(referral)
    if referral.sharing_stopped_at is None:
        users += list(perms.team_colleagues(referral))
    send_notice(users, "cooperation_feedback", referral, url=feedback_url(referral))


def half_year_label(moment):
    day = timezone.localdate(moment)
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def give_feedback(user, referral, *, cooperation, route_clear):
    """Store one anonymous answer for the referral's subregion and the half-year it ended in,
    and a receipt that `user` answered; a second answer raises FeedbackAlreadyGiven."""
    _require(perms.feedback_party(user, referral))
    with transaction.atomic():
        locked = _locked(referral)
        _require(perms.feedback_party(user, locked))
        _receipt, created = FeedbackReceipt.objects.get_or_create(referral=locked, user=user)
        if not created:
            raise FeedbackAlreadyGiven
        CooperationFeedback.objects.create(
            region_id=locked.school.municipality.region_id,
            period=half_year_label(locked.closed_at or locked.ended_at or timezone.now()),
            cooperation=cooperation,
            route_clear=route_clear,
        )


# --- The 18-/18+ transition (ADR 0153) --------------------------------------------------------

TRANSITION_EVENTS = {
    "adult_services": "transition_adult_services",
    "municipality_contact": "transition_municipality_contact",
    "adult_consent": "transition_adult_consent",
}


class TransitionRefused(Exception):
    """A step cannot be ticked yet; `errors` maps the form's field to a Dutch message."""

    def __init__(self, errors):
        super().__init__("transition refused")
        self.errors = errors


def _has_adult_consent(referral):
    return referral.consents.filter(giver=Consent.Giver.CHILD, withdrawn_at__isnull=True).exists()


def update_transition(
    user,
    referral,
    *,
    adult_services=False,
    municipality_contact=False,
    municipality_contact_note="",
    adult_consent=False,
    prepared_on=None,
):
    """Tick the checklist's steps not yet ticked (who and when per step, one timeline event
    each) and, with `prepared_on`, mark the transition prepared. The young adult's own consent
    must be in the consent ledger before its step is ticked; the prepared date needs every
    step. Creates the Transition on first use. Nothing changes when anything is refused."""
    _require(perms.can_prepare_transition(user, referral))
    wanted = {
        "adult_services": adult_services,
        "municipality_contact": municipality_contact,
        "adult_consent": adult_consent,
    }
    with transaction.atomic():
        referral = _locked(referral)
        _require(perms.can_prepare_transition(user, referral))
        transition_row, _created = Transition.objects.select_for_update().get_or_create(referral=referral)
        if transition_row.prepared_on is not None:
            raise TransitionRefused({None: _("The transition was already marked prepared.")})
        new_steps = [step for step, on in wanted.items() if on and not transition_row.step_done(step)]
        errors = {}
        if "adult_consent" in new_steps and not _has_adult_consent(referral):
            errors["adult_consent"] = _(
                "The consent ledger holds no consent of the pupil: record the young adult's own "
                "consent first (the school does this under Consent)."
            )
        if prepared_on is not None and not all(
            on or transition_row.step_done(step) for step, on in wanted.items()
        ):
            errors["prepared_on"] = _("Tick every step before you mark the transition prepared.")
        if errors:
            transaction.set_rollback(True)
            raise TransitionRefused(errors)
        now = timezone.now()
        for step in new_steps:
            setattr(transition_row, f"{step}_at", now)
            setattr(transition_row, f"{step}_by", user)
        if "municipality_contact" in new_steps and municipality_contact_note:
            transition_row.municipality_contact_note = municipality_contact_note.strip()
        if prepared_on is not None:
            transition_row.prepared_on = prepared_on
            transition_row.prepared_at = now
            transition_row.prepared_by = user
        transition_row.save()
        for step in new_steps:
            record_event(referral, TRANSITION_EVENTS[step], user)
        if prepared_on is not None:
            record_event(referral, "transition_prepared", user)
    return transition_row

"""Data-subject requests (AVG art. 15-21): one function per action of the privacy officer
(ADR 0106).

The officer registers a request (who, what kind, received when, optionally the referral's
reference number), sees the deadline (one month after receipt, art. 12(3); extendable once, by
at most two more months, with a reason), records the work done, and the answer. Every function
checks the permission (PermissionDenied → 403), changes state inside one transaction, records a
RequestStep and writes an access-log row. The officer acts for the region of their membership:
a request of another region is never found (404), a referral of another region is an unknown
reference. Input problems raise RequestError with the field they belong to, before anything is
changed.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contacts.models import Membership, Role
from contacts.permissions import has_role, memberships
from portal.audit import log_access
from portal.models import AccessLog
from portal.notifications import notify
from referrals import retention
from referrals.models import Referral, Status
from referrals.workflow import record_event
from security.models import (
    DataSubjectRequest,
    Outcome,
    RequestKind,
    RequestStatus,
    RequestStep,
    StepKind,
)

OBJECT_TYPE = DataSubjectRequest._meta.label_lower
REMIND_DAYS_BEFORE = 7
EXTENSION_MONTHS = 2
SHARING_STOPPED_NOTE = gettext_lazy("processing restricted at the child's or parents' request (AVG art. 18)")


FUTURE_RECEIPT = gettext_lazy("The date of receipt cannot lie in the future.")
UNKNOWN_REFERENCE = gettext_lazy(
    "No referral in your region has this reference number. Check it against the request; "
    "it looks like AJS-2026-00042. Leave it empty when the request names no referral."
)


class RequestError(Exception):
    """Bad input for a field (or None: the whole form); nothing was changed."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


# --- Who and where ----------------------------------------------------------------------------


def officer_memberships(user):
    return [m for m in memberships(user) if m.role == Role.PRIVACY_OFFICER]


def may_handle_requests(user):
    return has_role(user, Role.PRIVACY_OFFICER)


def _require(user):
    if not may_handle_requests(user):
        raise PermissionDenied


def officer_region(user):
    """The region the officer acts for: the region of their (first) privacy-officer membership."""
    found = officer_memberships(user)
    return found[0].region if found else None


def visible_requests(user):
    """The requests of the regions the user is privacy officer of; others do not exist (404)."""
    region_ids = [m.region_id for m in officer_memberships(user)]
    return DataSubjectRequest.objects.filter(region_id__in=region_ids)


def referrals_in_region(region):
    """Referrals of schools in `region` or one of its subregions."""
    return Referral.objects.filter(
        Q(school__municipality__region_id=region.pk) | Q(school__municipality__region__parent_id=region.pk)
    )


def find_referral(region, reference):
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return referrals_in_region(region).filter(reference=reference).first()


def _log(user, request, action=AccessLog.Action.VIEW, step=""):
    """The access-log row of a read (no step) or of a step: the step's name follows the object
    type, the referral's reference number is the row's reference (ADR 0106)."""
    region = request.region
    return log_access(
        user,
        action,
        role=Role.PRIVACY_OFFICER.value,
        organisation=str(region),
        object_type=f"{OBJECT_TYPE}.{step}" if step else OBJECT_TYPE,
        object_id=str(request.pk),
        reference=request.reference,
    )


def _step(user, request, kind, text=""):
    step = RequestStep.objects.create(request=request, kind=kind, text=text, by=user)
    action = AccessLog.Action.EXPORT if kind == StepKind.EXPORT else AccessLog.Action.VIEW
    _log(user, request, action, step=kind)
    return step


# --- Deadlines ---------------------------------------------------------------------------------


def add_months(day, months):
    """The same day `months` calendar months later, or the last day of a shorter month (a
    month after 31 January is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def legal_deadline(received_on):
    return add_months(received_on, 1)


def latest_extension(received_on):
    return add_months(received_on, 1 + EXTENSION_MONTHS)


def days_left(request, today=None):
    today = today or timezone.localdate()
    return (request.current_deadline - today).days


def _require_open(request):
    if not request.is_open:
        raise RequestError(None, _("This request has been answered; nothing more can be recorded."))


def _require_kind(request, kind):
    if request.kind != kind:
        raise PermissionDenied


def _required_text(field, value, message):
    value = (value or "").strip()
    if not value:
        raise RequestError(field, message)
    return value


# --- The actions -------------------------------------------------------------------------------


def register_request(
    user, *, kind, requester_name, requester_relation, received_on, reference="", description=""
):
    _require(user)
    region = officer_region(user)
    today = timezone.localdate()
    if kind not in RequestKind.values:
        raise RequestError("kind", _("Choose what is asked."))
    requester_name = _required_text(
        "requester_name", requester_name, _("Fill in who made the request, for example the parent's name.")
    )
    if received_on > today:
        raise RequestError("received_on", str(FUTURE_RECEIPT))
    reference = (reference or "").strip().upper()
    if reference and find_referral(region, reference) is None:
        raise RequestError("reference", str(UNKNOWN_REFERENCE))
    with transaction.atomic():
        request = DataSubjectRequest.objects.create(
            region=region,
            kind=kind,
            requester_name=requester_name,
            requester_relation=requester_relation,
            reference=reference,
            description=(description or "").strip(),
            received_on=received_on,
            deadline=legal_deadline(received_on),
            created_by=user,
        )
        _step(user, request, StepKind.REGISTERED)
    return request


def read_request(user, request):
    """Log that the officer opened the request's page."""
    _require(user)
    return _log(user, request)


def extend_deadline(user, request, *, until, reason):
    """Extend once, to at most two months after the first deadline, before that deadline
    passes (art. 12(3)); the reason is told to the requester and is required."""
    _require(user)
    _require_open(request)
    today = timezone.localdate()
    reason = _required_text(
        "reason", reason, _("Give the reason for the extension; the requester must be told why.")
    )
    if request.extended_until is not None:
        raise RequestError(
            "until", _("The deadline has already been extended once; it cannot be extended again.")
        )
    if request.deadline < today:
        raise RequestError(
            "until",
            _("The deadline of %(date)s has passed; an extension must be made within the first month.")
            % {"date": date_format(request.deadline, "DATE_FORMAT")},
        )
    if until < today:
        raise RequestError("until", _("The new deadline lies in the past. Choose a date from today on."))
    if until <= request.deadline:
        raise RequestError(
            "until",
            _("The new deadline must lie after the current one (%(date)s).")
            % {"date": date_format(request.deadline, "DATE_FORMAT")},
        )
    latest = latest_extension(request.received_on)
    if until > latest:
        raise RequestError(
            "until",
            _("The deadline can be extended by at most two months, to %(date)s.")
            % {"date": date_format(latest, "DATE_FORMAT")},
        )
    with transaction.atomic():
        request.extended_until = until
        request.extension_reason = reason
        request.save(update_fields=["extended_until", "extension_reason"])
        _step(
            user,
            request,
            StepKind.EXTENDED,
            _("Until %(date)s: %(reason)s") % {"date": date_format(until, "DATE_FORMAT"), "reason": reason},
        )
    return request


def record_export(user, request):
    """The art. 15 export was made for this request (security:subject_access_pdf)."""
    _require(user)
    _require_kind(request, RequestKind.ACCESS)
    _require_open(request)
    if not request.reference:
        raise RequestError(None, _("This request names no referral, so there is nothing to export."))
    with transaction.atomic():
        return _step(
            user, request, StepKind.EXPORT, _("Export of %(reference)s") % {"reference": request.reference}
        )


def record_note(user, request, *, kind, text):
    """Rectification asked of the owning organisation (art. 16), an objection weighed (art. 21),
    or any other note: text required."""
    _require(user)
    _require_open(request)
    messages = {
        StepKind.RECTIFICATION: _(
            "Say what must be corrected and which organisation (the school or the district team) "
            "was asked to correct it."
        ),
        StepKind.OBJECTION: _("Say how the objection was weighed and what follows from it."),
        StepKind.NOTE: _("Write the note."),
    }
    if kind not in messages:
        raise RequestError(None, _("This kind of note does not exist."))
    text = _required_text("text", text, messages[kind])
    with transaction.atomic():
        return _step(user, request, kind, text)


def erasure_blocker(referral):
    """Why `referral` cannot be erased now (a sentence), or "" when it can: only a closed or
    declined referral without an open escalation; retention's own rules (ADR 0046)."""
    if referral is None:
        return _("The request names no referral in your region.")
    if referral.anonymised_at is not None:
        return _("The personal data of this referral has already been removed.")
    if referral.status not in (Status.CLOSED, Status.DECLINED):
        return _(
            "The referral is still open (%(status)s): the school and the district team still need it "
            "for the help (AVG art. 17 lid 3 b). Refuse with the reason, or erase after it is closed."
        ) % {"status": referral.get_status_display()}
    if not retention.may_anonymise_now(referral):
        return _("An escalation of this referral is still open; it cannot be erased until it is decided.")
    return ""


def erase(user, request):
    """Art. 17: remove the referral's personal data now, as the retention run would at the end
    of its term (the tombstone stays, ADR 0046)."""
    _require(user)
    _require_kind(request, RequestKind.ERASURE)
    _require_open(request)
    referral = find_referral(request.region, request.reference)
    blocker = erasure_blocker(referral)
    if blocker:
        raise RequestError(None, blocker)
    with transaction.atomic():
        retention.anonymise_now([referral.pk])
        return _step(
            user,
            request,
            StepKind.ERASED,
            _("The personal data of %(reference)s was removed.") % {"reference": referral.reference},
        )


def refuse_erasure(user, request, *, reason):
    _require(user)
    _require_kind(request, RequestKind.ERASURE)
    _require_open(request)
    reason = _required_text(
        "reason",
        reason,
        _("Give the legal reason for the refusal, for example the article of the AVG or the Jeugdwet."),
    )
    with transaction.atomic():
        return _step(user, request, StepKind.ERASURE_REFUSED, reason)


def restriction_holds(referral):
    """Sharing stays stopped while a restriction of processing (art. 18) is recorded for the
    referral, whatever consent is recorded after it (registered in security/apps.py). Tandem has
    no step to lift a restriction yet, so it holds until the referral's retention ends."""
    if not referral.reference:
        return False
    return DataSubjectRequest.objects.filter(
        kind=RequestKind.RESTRICTION, restricted_at__isnull=False, reference=referral.reference
    ).exists()


def restrict(user, request):
    """Art. 18: flag the request, and stop sharing the referral with the district team and any
    decider as a withdrawn consent does (ADR 0106 says what is left)."""
    _require(user)
    _require_kind(request, RequestKind.RESTRICTION)
    _require_open(request)
    if request.restricted_at is not None:
        raise RequestError(None, _("Processing has already been restricted for this request."))
    referral = find_referral(request.region, request.reference)
    with transaction.atomic():
        now = timezone.now()
        request.restricted_at = now
        request.save(update_fields=["restricted_at"])
        text = _("Processing restricted.")
        if referral is not None:
            referral = Referral.objects.select_for_update().get(pk=referral.pk)
            if referral.status != Status.DRAFT and referral.sharing_stopped_at is None:
                referral.sharing_stopped_at = now
                referral.save(update_fields=["sharing_stopped_at", "updated_at"])
                record_event(referral, "sharing_stopped", user, note=str(SHARING_STOPPED_NOTE))
                text = _(
                    "Processing restricted; %(reference)s is no longer shared with the district team."
                ) % {"reference": referral.reference}
        return _step(user, request, StepKind.RESTRICTED, text)


def answer(user, request, *, answered_on, outcome, summary):
    _require(user)
    _require_open(request)
    today = timezone.localdate()
    if answered_on > today:
        raise RequestError("answered_on", _("The date the answer was sent cannot lie in the future."))
    if answered_on < request.received_on:
        raise RequestError(
            "answered_on", _("The answer cannot have been sent before the request was received.")
        )
    if outcome not in Outcome.values:
        raise RequestError("outcome", _("Choose the outcome."))
    summary = _required_text("summary", summary, _("Summarise the answer that was sent."))
    with transaction.atomic():
        request.status = RequestStatus.ANSWERED
        request.answered_on = answered_on
        request.outcome = outcome
        request.answer_summary = summary
        request.save(update_fields=["status", "answered_on", "outcome", "answer_summary"])
        _step(user, request, StepKind.ANSWERED, summary)
    return request


# --- Home page and reminders ----------------------------------------------------------------------


def open_requests(region_ids):
    return DataSubjectRequest.objects.filter(region_id__in=region_ids, status=RequestStatus.OPEN)


def home_summary(membership):
    """The privacy officer's home: how many requests are open and the first deadline."""
    requests = list(open_requests([membership.region_id]).only("deadline", "extended_until"))
    if not requests:
        return _("no open requests")
    first = min(r.current_deadline for r in requests)
    return ngettext(
        "%(n)s open request, first deadline %(date)s",
        "%(n)s open requests, first deadline %(date)s",
        len(requests),
    ) % {"n": len(requests), "date": date_format(first, "DATE_FORMAT")}


def send_deadline_reminders(today=None):
    """Tell the region's privacy officers about each open request whose deadline is at most
    REMIND_DAYS_BEFORE days away (or past), once per deadline. No names in the notice."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    sent = 0
    due = (
        DataSubjectRequest.objects.filter(status=RequestStatus.OPEN)
        .filter(Q(extended_until__isnull=True, deadline__lte=horizon) | Q(extended_until__lte=horizon))
        .select_related("region")
    )
    for request in due:
        if request.reminded_for == request.current_deadline:
            continue
        officers = [
            m.user
            for m in Membership.objects.current()
            .filter(role=Role.PRIVACY_OFFICER, region_id=request.region_id)
            .select_related("user")
        ]
        with transaction.atomic():
            notify(
                officers,
                "data_subject_request_deadline",
                gettext_lazy("A data-subject request is due soon"),
                _("The deadline of request %(number)s is %(date)s.")
                % {"number": request.pk, "date": date_format(request.current_deadline, "DATE_FORMAT")},
                reverse("security:request_detail", args=[request.pk]),
                reference=_("Request %(number)s") % {"number": request.pk},
            )
            request.reminded_for = request.current_deadline
            request.save(update_fields=["reminded_for"])
        sent += 1
    return sent

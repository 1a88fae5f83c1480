"""Retention (docs/adr/0046-retention-terms.md, 0047-retention-in-batches.md).

    apply_retention(now=None) -> RetentionResult     # what the nightly task and the command run
    due_counts(now=None) -> RetentionResult          # the same selection, counted, nothing changed

Two terms, in calendar months, from the environment:

- TANDEM_RETENTION_CLOSED_MONTHS (24): a closed or declined referral is ANONYMISED that long
  after it was closed (`closed_at`) or declined (the moment of the decline event; `decided_at`
  is never later); a lapsed or withdrawn one that long after it ended (`ended_at`, ADR 0096).
  Every personal field is blanked, parents, consents, messages and attachments
  (with their files) are deleted, the free text of events is blanked, and each registered part
  of an app above referrals forgets its own (escalations: the positions and the decision's free
  text are blanked, unpublished precedent drafts deleted). The row stays as a tombstone with status, dates,
  organisations, domains, urgency, forms and outcome choices, so every figure stays the same.
- TANDEM_RETENTION_DRAFT_MONTHS (3): a draft nobody touched that long (no save of the row and
  no event such as a parent or attachment added) is DELETED with everything it holds.

Open referrals (and any referral a registered part still works on, such as one with an open
escalation) are never touched. Work goes in
batches of BATCH_SIZE ids, one transaction each, with a fixed number of queries per batch, so a
run over a million referrals never holds more than one batch in memory and a run that is cut
off keeps what it did. Files are removed from storage after the batch commits. Idempotent: done
referrals carry `anonymised_at` (or are gone) and are not selected again. Logs hold counts only.
"""

import calendar
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from referrals import privacy
from referrals.models import (
    Attachment,
    Consent,
    Guardian,
    Message,
    Referral,
    ReferralDomain,
    ReferralEvent,
    Status,
    Transition,
    TransitionReminder,
    WaitingReminder,
)

logger = logging.getLogger("tandem.retention")

BATCH_SIZE = 500
EVENT_ACTION = "anonymised"


def blank_values(names):
    """{field: its blank value} for these fields of Referral: None where the column may be
    NULL (a date, a foreign key), else the empty string. The one rule of what "blanked" means,
    for retention and erasure here and for a group request's child fields (referrals.services)."""
    return {name: None if Referral._meta.get_field(name).null else "" for name in names}


# Every concrete field of Referral is either blanked (those the processing register,
# referrals/privacy.py, keeps for the referral's term only: the child, the free text about the
# case, a group's name, ADR 0154) or kept in the tombstone (KEPT_FIELDS).
# tests/referrals/test_retention.py fails when a new field is in neither, so whoever adds a
# field decides which it is.
PERSONAL_FIELDS = blank_values(
    name for name, entry in privacy.PERSONAL["referrals.referral"].items() if entry["retention"] == "referral"
)
KEPT_FIELDS = (
    # identity and links: random uuid, the reference the access log names
    "id",
    "uuid",
    "reference",
    # the flow and its measured moments (waiting times, cohorts, closures)
    "status",
    "status_before_escalation",
    "created_at",
    "updated_at",
    "first_submitted_at",
    "submitted_at",
    "decided_at",
    "help_started_at",
    "closed_at",
    "ended_at",
    "sharing_stopped_at",
    "anonymised_at",
    # organisations and professionals (scopes of every figure; no child data)
    "school",
    "home_municipality",
    "routed_team",
    "routing_reason",  # generated from team and school names, never typed by a person
    "assigned_to",
    "created_by",
    "care_provider",
    # choices and structured facts the reports count
    "urgency",
    "desired_form",
    # who a request is about, and a group's approximate size (ADR 0154): no child data
    "subject_kind",
    "group_size",
    "planned_help_form",
    "expected_start",
    "joint_deployment",
    "collective_arrangement",  # which arrangement helped: counted by the reports (ADR 0161)
    "decline_reason",
    "close_outcome",
)
# What happens to each table that points at a referral (also checked by the tests). The
# registered parts add their own tables.
RELATED = {
    ReferralDomain: "kept",  # the concern domains: counted by the reports
    Guardian: "deleted",
    Consent: "deleted",
    ReferralEvent: "note blanked",  # action, statuses, actor and time stay: the timeline
    Message: "deleted",
    Attachment: "deleted with its file",
    WaitingReminder: "kept",  # which norm/level was reminded: no personal data
    # the 18-/18+ checklist (ADR 0153): dates stay for the figures, the typed contact goes
    Transition: "contact note blanked",
    TransitionReminder: "kept",  # which day before the 18th birthday was reminded
}


@dataclass(frozen=True)
class RetentionPart:
    """What an app above referrals keeps about a referral, for retention (ADR 0062).

    `related`: {model pointing at Referral: what happens to it}, added to RELATED.
    `busy(referral)`: rows of the part that keep the referral (an OuterRef) from being
    anonymised now (escalations: an open escalation).
    `holds(referral)`: rows that keep a draft from being deleted (any row pointing at it).
    `anonymise(ids)`: blank or delete the part's personal data of the referrals `ids`, inside
    the batch's transaction, in a fixed number of queries."""

    related: dict
    busy: Callable
    holds: Callable
    anonymise: Callable


_PARTS = []


def register_part(part):
    """Called from an AppConfig.ready(); registering the same part twice changes nothing."""
    if part not in _PARTS:
        _PARTS.append(part)
        RELATED.update(part.related)


@dataclass
class RetentionResult:
    anonymised: int = 0  # closed or declined referrals anonymised
    drafts_deleted: int = 0
    attachments_deleted: int = 0
    files_removed: int = 0  # files removed from storage (after commit)
    file_errors: int = 0  # files that could not be removed (logged, count only)

    def as_dict(self):
        return asdict(self)


# --- Terms ------------------------------------------------------------------------------------


def months_before(moment, months):
    """The same local wall-clock time `months` calendar months earlier (31 March minus one
    month is 28/29 February), in Europe/Amsterdam."""
    local = timezone.localtime(moment)
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def closed_cutoff(now):
    return months_before(now, settings.TANDEM_RETENTION_CLOSED_MONTHS)


def draft_cutoff(now):
    return months_before(now, settings.TANDEM_RETENTION_DRAFT_MONTHS)


# --- What is due ------------------------------------------------------------------------------


def _not_busy(qs):
    for part in _PARTS:
        qs = qs.exclude(Exists(part.busy(OuterRef("pk"))))
    return qs


def due_closed(cutoff):
    """Closed referrals whose closing lies before `cutoff`, not yet anonymised."""
    return _not_busy(
        Referral.objects.filter(status=Status.CLOSED, anonymised_at__isnull=True, closed_at__lt=cutoff)
    )


def due_declined(cutoff):
    """Declined referrals whose decline lies before `cutoff`, not yet anonymised. `decided_at`
    is the FIRST decision (it may be an acceptance before an escalation sent the referral back
    to triage), so the decline event itself must lie before the cutoff too."""
    declined_since = ReferralEvent.objects.filter(referral=OuterRef("pk"), action="decline", at__gte=cutoff)
    return _not_busy(
        Referral.objects.filter(status=Status.DECLINED, anonymised_at__isnull=True, decided_at__lt=cutoff)
    ).exclude(Exists(declined_since))


def due_ended(cutoff):
    """Lapsed and withdrawn referrals (ADR 0096) that ended before `cutoff`, not yet anonymised."""
    return _not_busy(
        Referral.objects.filter(
            status__in=(Status.LAPSED, Status.WITHDRAWN), anonymised_at__isnull=True, ended_at__lt=cutoff
        )
    )


def due_drafts(cutoff):
    """Drafts untouched since `cutoff`: the row not saved and no event (parent, consent or
    attachment added) since."""
    touched_since = ReferralEvent.objects.filter(referral=OuterRef("pk"), at__gte=cutoff)
    drafts = Referral.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).exclude(
        Exists(touched_since)
    )
    for part in _PARTS:
        drafts = drafts.exclude(Exists(part.holds(OuterRef("pk"))))
    return drafts


# --- Doing it ---------------------------------------------------------------------------------


def raw_delete(queryset):
    """DELETE in one statement, for tables whose children were deleted just before (Django's
    collector would otherwise fetch the rows and delete them 100 at a time). No signals are
    connected to these models; the deferred foreign keys still check at commit that nothing
    is left pointing at a deleted row."""
    return queryset._raw_delete(queryset.db)


def _forget_attachments(ids, result):
    """Delete the attachment rows of referrals `ids`; their files go after the commit."""
    attachments = Attachment.objects.filter(referral_id__in=ids)
    names = list(attachments.values_list("file", flat=True))
    deleted = raw_delete(attachments)
    result.attachments_deleted += deleted
    if names:
        transaction.on_commit(lambda: _remove_files(names, result))


def _remove_files(names, result):
    storage = Attachment._meta.get_field("file").storage
    folders = set()
    for name in names:
        try:
            storage.delete(name)
            result.files_removed += 1
        except Exception:  # noqa: BLE001 - storage errors vary by backend; counted and logged
            result.file_errors += 1
        folders.add(posixpath.dirname(name))
    # FileSystemStorage leaves the per-referral folder behind; remove it when it is empty.
    if hasattr(storage, "path"):
        for folder in folders:
            if folder:
                try:
                    os.rmdir(storage.path(folder))
                except OSError:
                    pass  # not empty (another file) or already gone
    if result.file_errors:
        logger.warning("retention: %s attachment files could not be removed", result.file_errors)


def _anonymise_batch(rows, now, result):
    ids = [pk for pk, _status in rows]
    _forget_attachments(ids, result)
    # The consent ledger is append-only (ADR 0097): retention is the one thing that removes it.
    raw_delete(Consent.objects.filter(referral_id__in=ids))
    raw_delete(Guardian.objects.filter(referral_id__in=ids))  # their consents are gone, removed ones too
    Message.objects.filter(referral_id__in=ids).delete()
    ReferralEvent.objects.filter(referral_id__in=ids).exclude(note="").update(note="")
    Transition.objects.filter(referral_id__in=ids).exclude(municipality_contact_note="").update(
        municipality_contact_note=""
    )
    for part in _PARTS:
        part.anonymise(ids)
    Referral.objects.filter(pk__in=ids).update(**PERSONAL_FIELDS, anonymised_at=now)
    ReferralEvent.objects.bulk_create(
        [
            ReferralEvent(
                referral_id=pk, actor=None, action=EVENT_ACTION, from_status=status, to_status=status
            )
            for pk, status in rows
        ]
    )
    result.anonymised += len(ids)


def _delete_draft_batch(rows, now, result):
    ids = [pk for pk, _status in rows]
    _forget_attachments(ids, result)
    raw_delete(Consent.objects.filter(referral_id__in=ids))
    raw_delete(Guardian.objects.filter(referral_id__in=ids))
    for model in (Message, ReferralDomain, ReferralEvent, WaitingReminder, Transition, TransitionReminder):
        model.objects.filter(referral_id__in=ids).delete()
    result.drafts_deleted += raw_delete(Referral.objects.filter(pk__in=ids))


class NoProgress(RuntimeError):
    """A batch left its referrals in the selection: a bug, never a reason to loop forever."""


def _in_batches(queryset, order, work, now, result, batch_size):
    """Lock the `batch_size` longest-due referrals (skipping rows someone is changing right now;
    they come next night), `work` on them, commit; repeat until none are due. `work` takes
    every referral out of the selection (anonymised_at set, or deleted), so no cursor is needed
    and the oldest-first order can come straight from the partial indexes on the date."""
    previous = set()
    while True:
        with transaction.atomic():
            rows = list(
                queryset.order_by(order, "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "status")[:batch_size]
            )
            if not rows:
                return
            ids = {pk for pk, _status in rows}
            if ids & previous:
                raise NoProgress("retention: a batch did not take its referrals out of the selection")
            work(rows, now, result)
        previous = ids


def apply_retention(now=None, batch_size=BATCH_SIZE):
    """Anonymise closed and declined referrals past their term and delete stale drafts."""
    now = now or timezone.now()
    result = RetentionResult()
    cutoff = closed_cutoff(now)
    _in_batches(due_closed(cutoff), "closed_at", _anonymise_batch, now, result, batch_size)
    _in_batches(due_declined(cutoff), "decided_at", _anonymise_batch, now, result, batch_size)
    _in_batches(due_ended(cutoff), "ended_at", _anonymise_batch, now, result, batch_size)
    _in_batches(due_drafts(draft_cutoff(now)), "updated_at", _delete_draft_batch, now, result, batch_size)
    logger.info(
        "retention: %s referrals anonymised, %s drafts deleted, %s attachments deleted, "
        "%s files removed (terms: %s months after closing, %s months for drafts)",
        result.anonymised,
        result.drafts_deleted,
        result.attachments_deleted,
        result.files_removed,
        settings.TANDEM_RETENTION_CLOSED_MONTHS,
        settings.TANDEM_RETENTION_DRAFT_MONTHS,
    )
    return result


def due_counts(now=None):
    """What `apply_retention(now)` would do, counted; changes nothing."""
    now = now or timezone.now()
    cutoff = closed_cutoff(now)
    closed, declined, drafts = due_closed(cutoff), due_declined(cutoff), due_drafts(draft_cutoff(now))
    ended = due_ended(cutoff)
    attachments = Attachment.objects.filter(
        Q(referral__in=closed.values("pk"))
        | Q(referral__in=declined.values("pk"))
        | Q(referral__in=ended.values("pk"))
        | Q(referral__in=drafts.values("pk"))
    )
    return RetentionResult(
        anonymised=closed.count() + declined.count() + ended.count(),
        drafts_deleted=drafts.count(),
        attachments_deleted=attachments.count(),
    )


# --- On request (AVG art. 17, ADR 0106) ---------------------------------------------------------


def may_anonymise_now(referral):
    """A closed or declined referral that no registered part still works on (no open
    escalation), not yet anonymised: what the retention run would take once its term ends."""
    return (
        _not_busy(Referral.objects.filter(pk=referral.pk, anonymised_at__isnull=True))
        .filter(status__in=(Status.CLOSED, Status.DECLINED))
        .exists()
    )


def anonymise_now(ids, now=None):
    """Anonymise the referrals `ids` at once, exactly as the retention run does at the end of
    the term; for an erasure request the privacy officer granted. The caller checks
    may_anonymise_now first. Runs inside the caller's transaction."""
    now = now or timezone.now()
    result = RetentionResult()
    rows = list(Referral.objects.filter(pk__in=ids).select_for_update().values_list("pk", "status"))
    _anonymise_batch(rows, now, result)
    return result


__all__ = [
    "RetentionPart",
    "RetentionResult",
    "anonymise_now",
    "apply_retention",
    "due_counts",
    "may_anonymise_now",
    "months_before",
    "raw_delete",
    "register_part",
]

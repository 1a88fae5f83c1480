"""The right of access (AVG art. 15): everything Tandem holds about one child, as a PDF.

The privacy officer looks up a referral by its reference number, sees what the export will
contain, may add other referrals of the same child (exact first name, last name and date of
birth), and downloads a tagged PDF. Fields are listed generically from each model's
`_meta.concrete_fields` (verbose name + display value), so a field added later appears
without touching this module. The attachments' files are embedded in the PDF, and each
referral states its sources and the organisations that saw it (ADR 0107). Every preview and
export writes an access-log row (ADR 0048).
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from weasyprint import Attachment as EmbeddedFile

from contacts.models import Role
from contacts.permissions import has_role, memberships, privacy_officer_region_ids, region_q
from escalations.models import Decision, Escalation, Mediation
from portal.audit import log_access
from portal.models import AccessLog
from portal.pdf import write_pdf
from referrals.models import (
    Attachment,
    Consent,
    Guardian,
    Message,
    Referral,
    ReferralDomain,
    ReferralEvent,
    Transition,
    TransitionReminder,
    WaitingReminder,
)

# Layouts: a record is a two-column table per row (field | value), for rows with many or long
# fields; a table has one column per field, for many short rows.
RECORDS = "records"
TABLE = "table"


@dataclass(frozen=True)
class Part:
    """One model in the export, how its rows are found, and how they are laid out."""

    key: str
    model: type
    referral_path: str  # lookup from the model to the referral id
    layout: str = TABLE
    also_select: tuple = ()  # relations that str() of a related object reads


# The models that hold data about a referral, in the order of the PDF. A model that relates
# to Referral and is not here must be in EXCLUDED (tests/security/test_subject_access.py).
PARTS = [
    Part("domains", ReferralDomain, "referral_id"),
    Part("guardians", Guardian, "referral_id", RECORDS),
    Part("consents", Consent, "referral_id", RECORDS),
    Part("events", ReferralEvent, "referral_id"),
    Part("messages", Message, "referral_id"),
    Part("attachments", Attachment, "referral_id", RECORDS),
    Part("escalations", Escalation, "referral_id", RECORDS),
    Part("decisions", Decision, "escalation__referral_id", RECORDS, ("escalation__referral",)),
    # Mediation before escalation (ADR 0149): the disagreement, the mediator and the outcome.
    Part("mediations", Mediation, "referral_id", RECORDS, ("mediator__user",)),
    Part("waiting_reminders", WaitingReminder, "referral_id"),
    Part("transition", Transition, "referral_id", RECORDS),
    Part("transition_reminders", TransitionReminder, "referral_id"),
]
# Models reachable from a referral that are deliberately left out (see ADR 0048).
EXCLUDED = {
    # The precedent library holds anonymised, reviewed text about a decision, not data about
    # the child; it outlives the case on purpose.
    "escalations.precedent",
}
logger = logging.getLogger("tandem.security")

ACCESS_LOG_KEY = "access_log"
REFERRAL_OBJECT = Referral._meta.label_lower
ATTACHMENT_OBJECT = Attachment._meta.label_lower


# --- Finding the child's referrals ---------------------------------------------------------


def normalise_reference(value):
    return (value or "").strip().upper()


def officer_referrals(user):
    """The referrals of schools in the regions the user is privacy officer of; another
    region's referral is that region's officer's to disclose and does not exist here (ADR 0147)."""
    ids = privacy_officer_region_ids(user)
    return Referral.objects.filter(region_q("school__municipality__region", ids))


def find_referral(user, reference):
    """The referral of the user's region with this reference number (case-insensitive input),
    or None."""
    reference = normalise_reference(reference)
    if not reference:
        return None
    return officer_referrals(user).select_related("school").filter(reference=reference).first()


def same_child(user, referral):
    """Other referrals of the user's region with exactly the same first name, last name and date
    of birth, at any school, oldest first. None when any of the three is empty (e.g. anonymised)."""
    if not (referral.child_first_name and referral.child_last_name and referral.child_date_of_birth):
        return Referral.objects.none()
    return (
        officer_referrals(user)
        .filter(
            child_first_name=referral.child_first_name,
            child_last_name=referral.child_last_name,
            child_date_of_birth=referral.child_date_of_birth,
        )
        .exclude(pk=referral.pk)
        .select_related("school")
        .order_by("created_at", "pk")
    )


def describe(referral):
    """A referral as the officer picks it: reference (or draft), school, date, status."""
    return _("%(reference)s — %(school)s, created %(date)s, %(status)s") % {
        "reference": referral.reference or _("draft without reference number"),
        "school": referral.school,
        "date": date_format(timezone.localtime(referral.created_at), "DATE_FORMAT"),
        "status": referral.get_status_display(),
    }


# --- Display values --------------------------------------------------------------------------


def display_value(obj, model_field):
    """A concrete field's value as the PDF shows it: choices by label, relations by str(),
    dates in Dutch, yes/no, and a dash for empty."""
    if isinstance(model_field, models.FileField):
        value = getattr(obj, model_field.attname)
        return value.name if value else "—"
    if model_field.is_relation:
        if getattr(obj, model_field.attname) is None:
            return "—"
        return str(getattr(obj, model_field.name))
    value = getattr(obj, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def fields_of(model):
    return list(model._meta.concrete_fields)


def headers_of(model):
    return [capfirst(f.verbose_name) for f in fields_of(model)]


def row_of(obj):
    return [display_value(obj, f) for f in fields_of(type(obj))]


def _relations(model):
    return [f.name for f in fields_of(model) if f.is_relation]


# --- Collecting --------------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    layout: str
    headers: list
    rows: list = field(default_factory=list)
    note: str = ""
    record_title: str = ""  # one row's name, for the record layout

    @property
    def wide(self):
        """Many columns: printed on a landscape page."""
        return self.layout == TABLE and len(self.headers) > 8

    @property
    def records(self):
        """Rows as (header, value) pairs, for the record layout."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass
class Recipient:
    """An organisation whose people saw the referral, from the access log."""

    organisation: str
    role: str
    count: int
    first: datetime.datetime
    last: datetime.datetime


@dataclass
class ReferralData:
    referral: Referral
    details: Section
    sections: list
    attachments: list = field(default_factory=list)  # Attachment objects, embedded in the PDF
    sources: list = field(default_factory=list)  # sentences: where the data came from
    recipients: list = field(default_factory=list)  # Recipient

    def count(self, key):
        return next((len(s.rows) for s in self.sections if s.key == key), 0)


def _section(key, model, layout, rows, note="", title=""):
    return Section(
        key=key,
        title=title or capfirst(model._meta.verbose_name_plural),
        record_title=capfirst(model._meta.verbose_name),
        layout=layout,
        headers=headers_of(model),
        rows=rows,
        note=note,
    )


def _access_log_entries(referrals, attachments):
    """Rows about these referrals: by referral id (drafts have no reference), by attachment id,
    and by reference number (also the access-log look-ups of the privacy officer)."""
    condition = Q(object_type=REFERRAL_OBJECT, object_id__in=[str(r.pk) for r in referrals])
    if attachments:
        condition |= Q(object_type=ATTACHMENT_OBJECT, object_id__in=[str(a.pk) for a in attachments])
    references = [r.reference for r in referrals if r.reference]
    if references:
        condition |= Q(object_reference__in=references)
    return list(AccessLog.objects.filter(condition).select_related("user").order_by("at", "id"))


def collect(referrals):
    """Everything about `referrals` (a list), one ReferralData each. The number of queries is
    the same whatever the number of rows: one per model."""
    referral_ids = [r.pk for r in referrals]
    referrals = list(
        Referral.objects.filter(pk__in=referral_ids)
        .select_related(*_relations(Referral))
        .order_by("created_at", "pk")
    )
    by_part = {}
    for part in PARTS:
        qs = (
            part.model.objects.filter(**{f"{part.referral_path}__in": referral_ids})
            .select_related(*_relations(part.model), *part.also_select)
            .order_by(*(part.model._meta.ordering or ["pk"]), "pk")
        )
        grouped = {}
        for obj in qs:
            grouped.setdefault(_referral_id(obj, part), []).append(obj)
        by_part[part.key] = grouped

    attachments = [a for rows in by_part["attachments"].values() for a in rows]
    log_by_referral = _group_log(referrals, attachments, _access_log_entries(referrals, attachments))

    result = []
    for referral in referrals:
        sections = []
        for part in PARTS:
            objects = by_part[part.key].get(referral.pk, [])
            note = ""
            if part.model is Attachment and objects:
                note = _(
                    "The documents themselves are attached to this PDF as files, named "
                    "“bijlage-…” (open the attachments panel of your PDF reader)."
                )
            sections.append(_section(part.key, part.model, part.layout, [row_of(o) for o in objects], note))
        sections.append(
            _section(
                ACCESS_LOG_KEY,
                AccessLog,
                TABLE,
                [row_of(e) for e in log_by_referral.get(referral.pk, [])],
                title=_("Who looked at the data (access log)"),
            )
        )
        details = Section(
            key="referral",
            title=capfirst(Referral._meta.verbose_name),
            layout=RECORDS,
            headers=headers_of(Referral),
            rows=[row_of(referral)],
        )
        log = log_by_referral.get(referral.pk, [])
        result.append(
            ReferralData(
                referral=referral,
                details=details,
                sections=sections,
                attachments=by_part["attachments"].get(referral.pk, []),
                sources=sources_of(referral, by_part["escalations"].get(referral.pk, [])),
                recipients=recipients_of(log),
            )
        )
    return result


def sources_of(referral, escalations):
    """Where the referral's data came from (AVG art. 15 lid 1 g), one sentence each."""
    sources = [
        _(
            "%(school)s (the school): the referral, the parents' details and the consent, "
            "from the parents, the child and the school's own records"
        )
        % {"school": referral.school},
    ]
    if referral.routed_team_id:
        sources.append(
            _("%(team)s (the district team): triage, notes, messages and the help")
            % {"team": referral.routed_team}
        )
    for escalation in escalations:
        deciders = [str(o) for o in (escalation.partnership, escalation.municipality) if o is not None]
        if deciders:
            sources.append(
                _("%(deciders)s: the decision on the escalation") % {"deciders": _(" and ").join(deciders)}
            )
    return sources


def recipients_of(entries):
    """The organisations (with the role they acted in) that saw the referral, from its access
    log rows: how often, first and last time (AVG art. 15 lid 1 c)."""
    labels = dict(Role.choices)
    grouped = {}
    for entry in entries:
        key = (entry.organisation or "—", entry.role)
        item = grouped.get(key)
        if item is None:
            grouped[key] = Recipient(
                organisation=key[0],
                role=str(labels.get(entry.role, entry.role or "—")),
                count=1,
                first=entry.at,
                last=entry.at,
            )
        else:
            item.count += 1
            item.first = min(item.first, entry.at)
            item.last = max(item.last, entry.at)
    return sorted(grouped.values(), key=lambda r: (r.first, r.organisation))


def _referral_id(obj, part):
    if part.model is Decision:
        return obj.escalation.referral_id
    return obj.referral_id


def _group_log(referrals, attachments, entries):
    by_reference = {r.reference: r.pk for r in referrals if r.reference}
    by_id = {str(r.pk): r.pk for r in referrals}
    by_attachment = {str(a.pk): a.referral_id for a in attachments}
    grouped = {}
    for entry in entries:
        if entry.object_type == REFERRAL_OBJECT and entry.object_id in by_id:
            referral_id = by_id[entry.object_id]
        elif entry.object_type == ATTACHMENT_OBJECT and entry.object_id in by_attachment:
            referral_id = by_attachment[entry.object_id]
        else:
            referral_id = by_reference.get(entry.object_reference)
        if referral_id is not None:
            grouped.setdefault(referral_id, []).append(entry)
    return grouped


# --- Preview and export (the privacy officer's two actions) --------------------------------


def may_handle_requests(user):
    return has_role(user, Role.PRIVACY_OFFICER)


def _acting_as(user):
    membership = next((m for m in memberships(user) if m.role == Role.PRIVACY_OFFICER), None)
    return Role.PRIVACY_OFFICER.value, (membership.organisation if membership else "")


def _log(user, action, referrals):
    role, organisation = _acting_as(user)
    with transaction.atomic():
        for referral in referrals:
            log_access(user, action, referral, role=role, organisation=organisation)


@dataclass
class Preview:
    main: ReferralData
    others: list  # ReferralData of the same child's other referrals

    @property
    def all(self):
        return [self.main, *self.others]

    @property
    def counts(self):
        """(part title, [rows per referral]) for the preview table, the referral's own fields
        first."""
        rows = [
            (
                _("%(part)s (fields)") % {"part": self.main.details.title},
                [len(self.main.details.headers)] * len(self.all),
            )
        ]
        for section in self.main.sections:
            rows.append((section.title, [d.count(section.key) for d in self.all]))
        return rows


def preview(user, referral):
    """What an export of `referral` would hold, and the same child's other referrals with
    their counts. Writes a view row per referral shown."""
    if not may_handle_requests(user) or not officer_referrals(user).filter(pk=referral.pk).exists():
        raise PermissionDenied
    candidates = list(same_child(user, referral))
    data = collect([referral, *candidates])
    by_pk = {d.referral.pk: d for d in data}
    result = Preview(main=by_pk[referral.pk], others=[by_pk[c.pk] for c in candidates])
    _log(user, AccessLog.Action.VIEW, [d.referral for d in result.all])
    return result


@dataclass
class Export:
    referrals: list  # ReferralData
    received_on: datetime.date
    produced_by: object
    produced_at: datetime.datetime
    missing_files: list = field(default_factory=list)

    @property
    def main(self):
        return self.referrals[0]


def filename(referral):
    """No child data in the file name: only the reference number (or the internal id)."""
    return f"inzage-{referral.reference or referral.pk}.pdf"


def export_pdf(user, referral, others=(), *, received_on):
    """The PDF for `referral` plus `others` (referrals of the same child the officer chose).
    Returns (file name, PDF bytes) and writes an export row per referral."""
    if not may_handle_requests(user) or not officer_referrals(user).filter(pk=referral.pk).exists():
        raise PermissionDenied
    allowed = {r.pk for r in same_child(user, referral)}
    if any(o.pk not in allowed for o in others):
        raise PermissionDenied
    data = collect([referral, *others])
    data.sort(key=lambda d: d.referral.pk != referral.pk)  # the asked-for referral first
    export = Export(referrals=data, received_on=received_on, produced_by=user, produced_at=timezone.now())
    files, missing = embedded_files(data)
    export.missing_files = missing
    pdf = render_pdf(export, files)
    _log(user, AccessLog.Action.EXPORT, [d.referral for d in data])
    _log_attachments(user, data)
    return filename(referral), pdf


def attachment_filename(item, number, attachment):
    """The embedded file's name: the referral's reference (or id), a number, the original name
    without anything a file system or a PDF reader could trip over."""
    safe = re.sub(r"[^\w.\-]+", "_", attachment.original_name, flags=re.ASCII).strip("._") or "bijlage"
    return f"bijlage-{item.referral.reference or item.referral.pk}-{number}-{safe}"[:150]


def embedded_files(data):
    """The attachments' contents as files for the PDF, and the names of those whose file is
    missing from storage (listed in the PDF instead of failing the export)."""
    files, missing = [], []
    for item in data:
        for number, attachment in enumerate(item.attachments, start=1):
            try:
                with attachment.file.open("rb") as handle:
                    content = handle.read()
            except (OSError, ValueError):
                logger.warning("subject access: attachment %s has no file in storage", attachment.pk)
                missing.append(attachment.original_name)
                continue
            attachment.embedded_name = attachment_filename(item, number, attachment)
            files.append(
                EmbeddedFile(
                    string=content,
                    name=attachment.embedded_name,
                    description=attachment.original_name,
                    created=attachment.uploaded_at,
                    modified=attachment.uploaded_at,
                )
            )
    return files, missing


def _log_attachments(user, data):
    role, organisation = _acting_as(user)
    with transaction.atomic():
        for item in data:
            for attachment in item.attachments:
                log_access(
                    user,
                    AccessLog.Action.EXPORT,
                    attachment,
                    role=role,
                    organisation=organisation,
                    reference=item.referral.reference or "",
                )


def render_html(export):
    return render_to_string("security/subject_access_pdf.html", {"export": export})


def render_pdf(export, files=()):
    with translation.override("nl"):
        return write_pdf(render_html(export), attachments=files)

"""The single referral (aanmelding jeugdhulp in school) and its append-only history.

Status changes go only through referrals/workflow.py (the transition table); every change
writes a ReferralEvent. Child data lives only in Referral, Guardian, Consent, Message and
Attachment, never in events, logs, e-mails, task arguments or URLs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import AppendOnlyError


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_TRIAGE = "in_triage", _("in triage")
    RETURNED = "returned", _("returned to school")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    HELP_STARTED = "help_started", _("help started")
    CLOSED = "closed", _("closed")
    ESCALATED = "escalated", _("escalated")
    # Final states of a referral that never reached a decision or a closure (ADR 0096).
    LAPSED = "lapsed", _("lapsed")
    WITHDRAWN = "withdrawn", _("withdrawn by the school")


# A referral in one of these states does not move again; retention reaches it after its term.
FINAL_STATUSES = (Status.DECLINED, Status.CLOSED, Status.LAPSED, Status.WITHDRAWN)
# Submitted and not yet in a final status: the triage inbox's default, and where the 18-/18+
# transition shows (ADR 0153). Listed rather than excluded, so the status is part of the index
# conditions (referral_inbox, referral_school_status).
OPEN_STATUSES = tuple(s.value for s in Status if s != Status.DRAFT and s not in FINAL_STATUSES)


class Domain(models.TextChoices):
    BEHAVIOUR = "behaviour", _("behaviour")
    SOCIAL_EMOTIONAL = "social_emotional", _("social-emotional")
    SELF_CARE = "self_care", _("self-care / ADL")
    HOME_SITUATION = "home_situation", _("home situation")
    LEARNING = "learning", _("learning / development")
    PHYSICAL = "physical", _("physical / medical")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")


class DesiredForm(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group")
    SCHOOL_WIDE = "school_wide", _("school-wide")


class SubjectKind(models.TextChoices):
    """Who the request is about (ADR 0154). Only a pupil request carries child data."""

    CHILD = "child", _("a pupil")
    GROUP = "group", _("a group")
    SCHOOL_WIDE = "school_wide", _("the whole school")


# The fields that describe one child; empty for a group or school-wide request (ADR 0154).
CHILD_FIELDS_EMPTY = models.Q(
    child_first_name="",
    child_last_name="",
    child_date_of_birth__isnull=True,
    child_group="",
    home_municipality__isnull=True,
)


class DeclineReason(models.TextChoices):
    NOT_YOUTH_CARE = "not_youth_care", _("not a youth-care question")
    EDUCATION = "education", _("education's responsibility")
    VOORLIGGEND_VELD = "voorliggend_veld", _("for the voorliggend veld (general services)")
    ALREADY_IN_CARE = "already_in_care", _("already in care")
    OTHER = "other", _("other")


class CloseOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("goals met")
    PARTLY = "partly", _("goals partly met")
    NOT_MET = "not_met", _("goals not met")


class Referral(models.Model):
    # Identity and routing ------------------------------------------------------------------
    uuid = models.UUIDField(_("internal identifier"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    status_before_escalation = models.CharField(
        _("status before the escalation"), max_length=16, choices=Status.choices, blank=True
    )
    school = models.ForeignKey(
        "contacts.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="referrals"
    )
    home_municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_as_home",
    )
    routed_team = models.ForeignKey(
        "contacts.DistrictTeam",
        verbose_name=_("district team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    routing_reason = models.CharField(_("routing reason"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_referrals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="created_referrals",
    )

    # 1. Who the request is about (ADR 0154) ---------------------------------------------------
    subject_kind = models.CharField(
        _("who the question is about"), max_length=16, choices=SubjectKind.choices, default=SubjectKind.CHILD
    )
    group_name = models.CharField(_("name of the group"), max_length=50, blank=True)
    group_size = models.PositiveSmallIntegerField(
        _("number of pupils (approximately)"), null=True, blank=True
    )

    # 1. Pupil ---------------------------------------------------------------------------------
    child_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    child_last_name = models.CharField(_("last name"), max_length=150, blank=True)
    child_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    child_group = models.CharField(_("group or class"), max_length=50, blank=True)

    # 4. The question --------------------------------------------------------------------------
    question = models.TextField(_("the question, in the school's words"), blank=True)
    already_done = models.TextField(_("what the school already did"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_reason = models.TextField(_("reason for high urgency"), blank=True)
    desired_form = models.CharField(
        _("desired form of help"), max_length=16, choices=DesiredForm.choices, blank=True
    )

    # 5. Help at home ("1 gezin, 1 plan") -----------------------------------------------------
    current_help = models.TextField(_("current help at home"), blank=True)
    professionals_involved = models.TextField(_("professionals involved"), blank=True)

    # Triage outcome -----------------------------------------------------------------------------
    care_provider = models.ForeignKey(
        "contacts.CareProvider",
        verbose_name=_("care provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    planned_help_form = models.CharField(
        _("form of planned help"), max_length=16, choices=DesiredForm.choices, blank=True
    )
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    joint_deployment = models.BooleanField(
        _("school support and youth care run together"),
        default=False,
        help_text=_("Counts as a joint deployment of education and care in the reports."),
    )
    # Helped through the school's collective arrangement (ADR 0161): the route without an
    # individual indication, so no care provider or planned help form is recorded.
    collective_arrangement = models.ForeignKey(
        "contacts.CollectiveArrangement",
        verbose_name=_("collective arrangement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    decline_explanation = models.TextField(_("explanation of the decline"), blank=True)
    close_outcome = models.CharField(_("outcome"), max_length=16, choices=CloseOutcome.choices, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    # Set when a withdrawal of consent leaves the referral without valid consent: from then on
    # nothing is shared with the district team (ADR 0050) until consent is valid again.
    sharing_stopped_at = models.DateTimeField(_("sharing stopped at"), null=True, blank=True)

    # Measured moments (waiting time across organisations) ----------------------------------
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    help_started_at = models.DateTimeField(_("help started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When it lapsed or the school withdrew it (ADR 0096); retention counts from here.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    # Retention: personal fields removed, the row kept for statistics ------------------------
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["routed_team", "status", "submitted_at"], name="referral_inbox"),
            models.Index(fields=["school", "-created_at"], name="referral_school_list"),
            # The triage inbox: open referrals of the schools where a team holds the tandem.
            models.Index(fields=["school", "status"], name="referral_school_status"),
            models.Index(fields=["status", "submitted_at"], name="referral_status_submitted"),
            # The figures of a half-year (reporting/figures.py) read a scope's referrals by school
            # and first submission from this index alone, without the table: every column they
            # count is included (ADR 0167). The school coordinator's worklist counts (home page,
            # referrals.selectors) read it too: 1 ms instead of 9 ms for a school with 5,000
            # referrals, which read a heap page per referral (bench/FINDINGS.md).
            models.Index(
                fields=["school", "first_submitted_at"],
                include=[
                    "id",
                    "status",
                    "decided_at",
                    "help_started_at",
                    "closed_at",
                    "ended_at",
                    "close_outcome",
                    "joint_deployment",
                    "collective_arrangement",
                    "home_municipality",
                    "subject_kind",
                    "child_date_of_birth",
                ],
                name="referral_figures",
            ),
            # The nightly retention run (referrals/retention.py) finds what is due, oldest first,
            # through these small partial indexes instead of scanning every referral. Drafts need
            # none: they never pile up beyond the draft term.
            models.Index(
                fields=["closed_at"],
                condition=models.Q(status="closed", anonymised_at__isnull=True),
                name="referral_retention_closed",
            ),
            models.Index(
                fields=["decided_at"],
                condition=models.Q(status="declined", anonymised_at__isnull=True),
                name="referral_retention_declined",
            ),
            models.Index(
                fields=["ended_at"],
                condition=models.Q(status__in=["lapsed", "withdrawn"], anonymised_at__isnull=True),
                name="referral_retention_ended",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(subject_kind__in=[k.value for k in SubjectKind]),
                name="referral_subject_kind_valid",
            ),
            # A group or school-wide request carries no child data at all (ADR 0154).
            models.CheckConstraint(
                condition=models.Q(subject_kind=SubjectKind.CHILD) | CHILD_FIELDS_EMPTY,
                name="referral_no_child_data_unless_child",
            ),
            models.CheckConstraint(
                condition=models.Q(subject_kind=SubjectKind.GROUP)
                | models.Q(group_name="", group_size__isnull=True),
                name="referral_group_fields_only_for_group",
            ),
        ]

    def __str__(self):
        return self.reference or _("draft %(id)s") % {"id": self.pk}

    @property
    def is_about_child(self):
        return self.subject_kind == SubjectKind.CHILD

    def group_label(self):
        """What lists and pages show instead of a child: "Groep: 6b (ca. 28 leerlingen)" or
        "Hele school" (ADR 0154); empty for a request about one pupil."""
        if self.subject_kind == SubjectKind.SCHOOL_WIDE:
            return _("Whole school")
        if self.subject_kind == SubjectKind.GROUP:
            if not self.group_name:  # a draft, or removed by retention
                return _("Group")
            if self.group_size:
                return _("Group: %(name)s (approx. %(size)s pupils)") % {
                    "name": self.group_name,
                    "size": self.group_size,
                }
            return _("Group: %(name)s") % {"name": self.group_name}
        return ""


class ReferralDomain(models.Model):
    """A concern domain of a referral (several allowed); a table so reports can count in SQL."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)

    class Meta:
        verbose_name = _("concern domain")
        verbose_name_plural = _("concern domains")
        constraints = [
            models.UniqueConstraint(fields=["referral", "domain"], name="referral_domain_unique"),
        ]

    def __str__(self):
        return self.get_domain_display()


class GuardianQuerySet(models.QuerySet):
    def listed(self):
        """The guardians not removed from the referral (the ones consent rules count)."""
        return self.filter(removed_at__isnull=True)


class Guardian(models.Model):
    """A parent or guardian of the child. Removing one from the referral stamps `removed_at`:
    the row stays, so the consent ledger keeps saying who consented (ADR 0097)."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="guardians"
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation to the child"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    has_custody = models.BooleanField(_("holds custody (gezag)"), default=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = GuardianQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")

    def __str__(self):
        return self.name


class ConsentLedgerError(Exception):
    """The consent ledger is append-only (ADR 0097)."""


# The only change a recorded consent takes: its withdrawal.
CONSENT_WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawn_by_id"})


class ConsentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not set(kwargs) <= CONSENT_WITHDRAWAL_FIELDS:
            raise ConsentLedgerError("A recorded consent changes only by its withdrawal.")
        return super().update(**kwargs)

    def delete(self):
        raise ConsentLedgerError(
            "Consent records are never deleted; only retention removes them (referrals/retention.py)."
        )


class Consent(models.Model):
    """Consent for sharing, from a parent with custody or from the child (ADR 0050).

    An append-only ledger (ADR 0097): a row is written once, a withdrawal stamps it, nothing
    deletes it except retention (referrals/retention.py, with the rest of the personal data).
    Removing a guardian from the referral keeps the guardian's row and so the consent's."""

    class Giver(models.TextChoices):
        PARENT = "parent", _("parent or guardian with custody")
        CHILD = "child", _("the child")

    class Form(models.TextChoices):
        WRITTEN = "written", _("written")
        VERBAL = "verbal", _("verbal")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="consents"
    )
    giver = models.CharField(_("given by"), max_length=8, choices=Giver.choices)
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("parent or guardian"),
        null=True,
        blank=True,
        # A guardian with consent records cannot be deleted on its own (only with its
        # referral, as retention does); removal from the referral is a stamp (ADR 0097).
        on_delete=models.RESTRICT,
        related_name="consents",
    )
    given_on = models.DateField(_("date given"))
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    recipients = models.CharField(_("for which recipients"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_giver_display()} {self.given_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= CONSENT_WITHDRAWAL_FIELDS:
                raise ConsentLedgerError("A recorded consent changes only by its withdrawal.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConsentLedgerError(
            "Consent records are never deleted; only retention removes them (referrals/retention.py)."
        )


class ReferralEvent(models.Model):
    """One transition or notable action; append-only. The timeline is built from these."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        indexes = [
            models.Index(fields=["referral", "at"], name="referral_event_timeline"),
            # The figures count the referrals returned to the school at least once
            # (reporting/figures.py) in this small index of the return events alone (ADR 0167).
            models.Index(
                fields=["referral"], condition=models.Q(action="return"), name="referral_event_returns"
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Referral events are append-only.")
        super().save(*args, **kwargs)


class Message(models.Model):
    """A message between school and district team on a referral's timeline."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.referral_id} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    # Random name: no child data in paths; the original name is kept in the database.
    return f"attachments/{instance.referral.uuid}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a referral: the school's (while it may edit, it may remove one it added), or
    a document the district team added once it handles the referral (ADR 0163)."""

    class Side(models.TextChoices):
        SCHOOL = "school", _("school")
        TEAM = "team", _("district team")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    side = models.CharField(_("added by"), max_length=8, choices=Side.choices, default=Side.SCHOOL)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class ReferenceCounter(models.Model):
    """The last reference number handed out per year; locked row per submission."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class WaitingReminder(models.Model):
    """A waiting-time reminder that was sent: at most one per referral, norm and level, so the
    daily task never repeats itself."""

    class Norm(models.TextChoices):
        DECISION = "decision", _("decision")
        HELP_STARTED = "help_started", _("help started")

    class Level(models.TextChoices):
        NEAR = "near", _("near the norm")
        OVER = "over", _("over the norm")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="waiting_reminders"
    )
    norm = models.CharField(_("waiting-time norm"), max_length=16, choices=Norm.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("waiting-time reminder")
        verbose_name_plural = _("waiting-time reminders")
        constraints = [
            models.UniqueConstraint(fields=["referral", "norm", "level"], name="waiting_reminder_once"),
        ]

    def __str__(self):
        return f"{self.referral_id} {self.norm} {self.level}"


class ListedReferenceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class ListedReference(models.Model):
    """One referral shown on a list page (school list, triage inbox, a search), attached to the
    access-log entry of that page view (NEN 7513: who saw which child, lists included; ADR 0098).
    Append-only like the access log; a plain id, not a foreign key, so that deleting a draft
    keeps the record that it was seen."""

    entry = models.ForeignKey(
        "portal.AccessLog",
        verbose_name=_("access-log entry"),
        on_delete=models.PROTECT,
        related_name="listed_references",
    )
    referral_pk = models.PositiveBigIntegerField(_("referral id"))
    reference = models.CharField(_("reference"), max_length=20, blank=True, db_index=True)

    objects = ListedReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("referral shown in a list")
        verbose_name_plural = _("referrals shown in lists")

    def __str__(self):
        return self.label(self.reference, self.referral_pk)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    @staticmethod
    def label(reference, referral_pk):
        """How a listed referral is named: its reference, or a draft (none yet) by its id."""
        return reference or f"#{referral_pk}"

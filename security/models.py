"""The privacy officer's records: data-subject requests (AVG art. 15-21; ADR 0106).

A request names its referral by reference number, not by foreign key: retention anonymises
referrals and deletes drafts in raw batches (ADR 0047), and a record of how a request was
answered must outlive both.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access (art. 15)")
    RECTIFICATION = "rectification", _("rectification (art. 16)")
    ERASURE = "erasure", _("erasure (art. 17)")
    RESTRICTION = "restriction", _("restriction of processing (art. 18)")
    OBJECTION = "objection", _("objection (art. 21)")


class Requester(models.TextChoices):
    CHILD = "child", _("the child")
    PARENT = "parent", _("a parent with custody")
    GUARDIAN = "guardian", _("a guardian or legal representative")
    OTHER = "other", _("someone else (for example a lawyer, with authorisation)")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY = "partly", _("partly granted")
    REFUSED = "refused", _("refused")


class DataSubjectRequest(models.Model):
    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    requester_name = models.CharField(_("requester"), max_length=200)
    requester_relation = models.CharField(_("requester is"), max_length=16, choices=Requester.choices)
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    description = models.TextField(_("what is asked"), blank=True)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    restricted_at = models.DateTimeField(_("processing restricted at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    answer_summary = models.TextField(_("summary of the answer"), blank=True)
    reminded_for = models.DateField(_("reminder sent for the deadline of"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["region", "status"], name="dsr_region_status")]

    def __str__(self):
        return _("Request %(number)s") % {"number": self.pk}

    @property
    def current_deadline(self):
        return self.extended_until or self.deadline

    @property
    def is_open(self):
        return self.status == RequestStatus.OPEN


class StepKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    EXTENDED = "extended", _("deadline extended")
    EXPORT = "export", _("art. 15 export made")
    RECTIFICATION = "rectification", _("rectification asked of the owning organisation")
    ERASED = "erased", _("personal data erased")
    ERASURE_REFUSED = "erasure_refused", _("erasure refused")
    RESTRICTED = "restricted", _("processing restricted")
    OBJECTION = "objection", _("objection weighed")
    NOTE = "note", _("note")
    ANSWERED = "answered", _("answer sent")


class RequestStep(models.Model):
    """One piece of work done on a request, in the order it was done."""

    request = models.ForeignKey(
        DataSubjectRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    text = models.TextField(_("text"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("step of a request")
        verbose_name_plural = _("steps of a request")

    def __str__(self):
        return self.get_kind_display()


class Breach(models.Model):
    """A (suspected) personal-data breach (AVG art. 33/34) and how it was handled (ADR 0108)."""

    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("what happened, in short"), max_length=200)
    description = models.TextField(_("description"))
    found_at = models.DateTimeField(_("found at"))
    occurred_from = models.DateTimeField(_("occurred from"), null=True, blank=True)
    occurred_until = models.DateTimeField(_("occurred until"), null=True, blank=True)
    references = models.JSONField(_("referrals concerned"), default=list, blank=True)
    accounts = models.JSONField(_("accounts concerned"), default=list, blank=True)
    notify_authority = models.BooleanField(_("notify the Autoriteit Persoonsgegevens"), null=True, blank=True)
    notify_authority_reason = models.TextField(_("reason (Autoriteit Persoonsgegevens)"), blank=True)
    inform_subjects = models.BooleanField(_("inform the data subjects"), null=True, blank=True)
    inform_subjects_reason = models.TextField(_("reason (data subjects)"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authority_notified_at = models.DateTimeField(
        _("Autoriteit Persoonsgegevens notified at"), null=True, blank=True
    )
    authority_case_number = models.CharField(_("notification number"), max_length=64, blank=True)
    subjects_informed_on = models.DateField(_("data subjects informed on"), null=True, blank=True)
    notification_note = models.TextField(_("notification record"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("data breach")
        verbose_name_plural = _("data breaches")

    def __str__(self):
        return _("Breach %(number)s") % {"number": self.pk}

    @property
    def decided(self):
        return self.decided_at is not None

    @property
    def closed(self):
        """Decided, and every notification the decision asked for is recorded."""
        if not self.decided:
            return False
        if self.notify_authority and self.authority_notified_at is None:
            return False
        return not (self.inform_subjects and self.subjects_informed_on is None)

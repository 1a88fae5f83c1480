"""Escalation with doorzettingsmacht (docs/adr/0060-escalation-flow.md): when school and
district team disagree, the partnership director of the school's SWV and the policy officer of
the child's home municipality decide. The deciders' organisations are fixed when the escalation
is raised.

The tables keep the names they had when these models lived in the referrals app (ADR 0062)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EscalationReason(models.TextChoices):
    GREY_RESPONSIBILITY = "grey_responsibility", _("grey area: responsibility")
    GREY_FUNDING = "grey_funding", _("grey area: funding")
    CAPACITY = "capacity", _("capacity / waiting list")
    NO_PROGRESS = "no_progress", _("no progress")
    OTHER = "other", _("other")


class Side(models.TextChoices):
    SCHOOL = "school", _("school")
    DISTRICT_TEAM = "district_team", _("district team")
    SYSTEM = "system", _("automatically (waiting norm exceeded)")


class Escalation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    referral = models.ForeignKey(
        "referrals.Referral", verbose_name=_("referral"), on_delete=models.CASCADE, related_name="escalations"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    reason = models.CharField(_("reason"), max_length=32, choices=EscalationReason.choices)
    raised_side = models.CharField(_("raised by side"), max_length=16, choices=Side.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    raiser_position = models.TextField(_("position of the raising side"), blank=True)
    other_position = models.TextField(_("position of the other side"), blank=True)
    other_position_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("other position given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who decides, fixed at raising time from the registry.
    partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        db_table = "referrals_escalation"
        ordering = ["-raised_at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [
            # The deciders' inbox: the open ones, and those decided in the last weeks as a range
            # of the index instead of every decision the organisation ever took (bench/FINDINGS.md).
            models.Index(fields=["partnership", "state", "decided_at"], name="escalation_partnership_state"),
            models.Index(
                fields=["municipality", "state", "decided_at"], name="escalation_municipality_state"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(state="open"), name="escalation_one_open_per_referral"
            ),
        ]

    def __str__(self):
        return f"{self.referral} — {self.get_reason_display()}"


class CarriedBy(models.TextChoices):
    EDUCATION = "education", _("education")
    YOUTH_CARE = "youth_care", _("youth care")
    SHARED = "shared", _("shared")
    COLLECTIVE = "collective", _("collective school arrangement")


class Decision(models.Model):
    escalation = models.OneToOneField(
        Escalation, verbose_name=_("escalation"), on_delete=models.CASCADE, related_name="decision"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    help = models.TextField(_("what help"))
    carried_by = models.CharField(_("carried by"), max_length=16, choices=CarriedBy.choices)
    split = models.CharField(_("split of the costs"), max_length=200, blank=True)
    rationale = models.TextField(_("rationale"))
    carry_out_by = models.DateField(_("carried out by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    reminder_sent_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        db_table = "referrals_decision"
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.escalation} → {self.get_carried_by_display()}"

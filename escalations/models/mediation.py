"""Mediation before escalation (docs/adr/0149-mediation-before-escalation.md): the source
documents' "verbindingsofficier". A region names people who may be asked to mediate when school
and district team disagree, before the deciders use doorzettingsmacht. The outcome is recorded:
settled (who is responsible, who pays, and where the referral goes) or not settled (the parties
may escalate as before); a mediation the referral's own course overtakes is closed as overtaken
(ADR 0162)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .escalation import CarriedBy, Side


class MediatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Mediator(models.Model):
    """A person (user) the registry administrator named as mediator of a (top-level) region."""

    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="mediators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.PROTECT, related_name="+"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MediatorQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "pk"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "user"], condition=Q(ended_at__isnull=True), name="mediator_one_active"
            ),
        ]

    def __str__(self):
        return str(self.user)


class Mediation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("asked, no outcome yet")
        SETTLED = "settled", _("settled")
        NOT_SETTLED = "not_settled", _("not settled")
        # Closed without an outcome: the referral was escalated, withdrawn or lapsed (or moved
        # on otherwise) before the mediator recorded one (ADR 0162).
        OVERTAKEN = "overtaken", _("overtaken before an outcome")

    referral = models.ForeignKey(
        "referrals.Referral", verbose_name=_("referral"), on_delete=models.CASCADE, related_name="mediations"
    )
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("mediator"), on_delete=models.PROTECT, related_name="mediations"
    )
    asked_side = models.CharField(
        _("asked by side"),
        max_length=16,
        choices=[(Side.SCHOOL, Side.SCHOOL.label), (Side.DISTRICT_TEAM, Side.DISTRICT_TEAM.label)],
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    question = models.TextField(_("what the disagreement is about"))
    state = models.CharField(_("outcome"), max_length=12, choices=State.choices, default=State.OPEN)
    carried_by = models.CharField(_("carried by"), max_length=16, choices=CarriedBy.choices, blank=True)
    assign_help = models.BooleanField(_("the district team provides the help"), default=False)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        indexes = [models.Index(fields=["mediator", "state"], name="mediation_mediator_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(state="open"), name="mediation_one_open_per_referral"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(recorded_at__isnull=False),
                name="mediation_outcome_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(state="settled") | ~Q(carried_by=""),
                name="mediation_settled_says_who_carries",
            ),
        ]

    def __str__(self):
        return f"{self.referral} — {self.get_state_display()}"

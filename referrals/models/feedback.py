"""Cooperation feedback after a referral ends (ADR 0151): two questions to the IB-er and the
district worker, answered at most once per person per referral, stored apart from who answered."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class FeedbackReceipt(models.Model):
    """That `user` has answered for `referral` — and nothing of what they answered."""

    referral = models.ForeignKey(
        "referrals.Referral", verbose_name=_("referral"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback receipt")
        verbose_name_plural = _("feedback receipts")
        constraints = [
            models.UniqueConstraint(fields=["referral", "user"], name="feedbackreceipt_once_per_person"),
        ]

    def __str__(self):
        return f"{self.referral_id}: {self.user_id}"


class CooperationFeedback(models.Model):
    """One anonymous answer: only the subregion and half-year it is counted in. A random key and
    no time, referral or person, so it cannot be lined up with its receipt (ADR 0151)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("subregion"),
        on_delete=models.PROTECT,
        related_name="cooperation_feedback",
    )
    period = models.CharField(_("period"), max_length=7)
    cooperation = models.CharField(_("Did the cooperation work?"), max_length=6, choices=Answer.choices)
    route_clear = models.CharField(_("Was the route clear?"), max_length=6, choices=Answer.choices)

    class Meta:
        verbose_name = _("cooperation feedback")
        verbose_name_plural = _("cooperation feedback")
        indexes = [models.Index(fields=["period", "region"], name="coopfeedback_period_region")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}-H[12]$"), name="coopfeedback_period_format"
            ),
            models.CheckConstraint(
                condition=Q(cooperation__in=["yes", "partly", "no"], route_clear__in=["yes", "partly", "no"]),
                name="coopfeedback_answers_valid",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.region_id}: {self.cooperation}/{self.route_clear}"

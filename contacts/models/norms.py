"""Waiting-time norms a region sets itself (ADR 0091): append-only, each from a date on.

The norm that applies to a referral is the row of its school's region with the latest
`valid_from` on or before the referral's submission date (the latest set wins on the same
date); without one, the environment defaults (TANDEM_NORM_*, TANDEM_AUTO_ESCALATE_MARGIN_DAYS).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import AppendOnlyError

# What the form accepts, in working days (ADR 0091).
DECISION_DAYS_MAX = 60
HELP_STARTED_DAYS_MAX = 130
MARGIN_DAYS_MAX = 60
# The form's and the service's messages for the same rules.
PAST_START_MESSAGE = _(
    "Choose a date after today: norms of days that have begun stay as they were, so "
    "referrals submitted then keep the norm that applied."
)
DAYS_RANGE_MESSAGE = _("Enter a whole number of working days from 1 to %(max)s.")
HELP_BEFORE_DECISION_MESSAGE = _("Help cannot start before the decision: enter at least %(n)s.")


class RegionNormQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Region norms are append-only: set a new norm from a later date.")

    def delete(self):
        raise AppendOnlyError("Region norms are append-only: set a new norm from a later date.")


class RegionNorm(models.Model):
    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="norms"
    )
    valid_from = models.DateField(_("applies from"))
    decision_days = models.PositiveSmallIntegerField(_("decision within (working days)"))
    help_started_days = models.PositiveSmallIntegerField(_("help started within (working days)"))
    escalation_margin_days = models.PositiveSmallIntegerField(
        _("automatic escalation after (extra working days)")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = RegionNormQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-valid_from", "-set_at", "-id"]
        verbose_name = _("region norm")
        verbose_name_plural = _("region norms")
        indexes = [models.Index(fields=["region", "valid_from"], name="regionnorm_region_from")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision_days__gte=1)
                & models.Q(help_started_days__gte=models.F("decision_days"))
                & models.Q(escalation_margin_days__gte=1),
                name="regionnorm_sensible",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} {self.valid_from:%Y-%m-%d}: {self.decision_days}/{self.help_started_days}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Region norms are append-only: set a new norm from a later date.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Region norms are append-only: set a new norm from a later date.")

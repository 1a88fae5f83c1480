"""The 18-/18+ transition of a referral (ADR 0153): the checklist the district team and the
school tick before the pupil turns 18, with who and when per step, and the reminders sent.

A Transition is created lazily, when a step is first ticked or the first reminder goes out.
Its only free text is the home municipality's Wmo/Wlz contact when the registry has none; it
is removed with the referral's personal data (referrals/retention.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The checklist, in its order: (field prefix, words). The "<prefix>_at" and "<prefix>_by"
# fields say when and by whom a step was ticked.
STEPS = (
    ("adult_services", _("Adult services contacted")),
    ("municipality_contact", _("Wmo/Wlz contact of the home municipality informed")),
    ("adult_consent", _("Consent of the young adult alone (from 18) recorded")),
)


def _by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ticked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Transition(models.Model):
    referral = models.OneToOneField(
        "referrals.Referral", verbose_name=_("referral"), on_delete=models.CASCADE, related_name="transition"
    )
    adult_services_at = models.DateTimeField(_("adult services contacted at"), null=True, blank=True)
    adult_services_by = _by()
    municipality_contact_at = models.DateTimeField(
        _("municipality's Wmo/Wlz contact informed at"), null=True, blank=True
    )
    municipality_contact_by = _by()
    municipality_contact_note = models.CharField(
        _("Wmo/Wlz contact of the home municipality"), max_length=300, blank=True
    )
    adult_consent_at = models.DateTimeField(_("adult consent recorded at"), null=True, blank=True)
    adult_consent_by = _by()
    prepared_on = models.DateField(_("transition prepared on"), null=True, blank=True)
    prepared_at = models.DateTimeField(_("marked prepared at"), null=True, blank=True)
    prepared_by = _by()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("18-/18+ transition")
        verbose_name_plural = _("18-/18+ transitions")

    def __str__(self):
        return f"{self.referral_id} transition"

    def step_done(self, step):
        return getattr(self, f"{step}_at") is not None


class TransitionReminder(models.Model):
    """A transition reminder that was sent: at most one per referral and number of days before
    the 18th birthday, so the daily task never repeats itself."""

    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        related_name="transition_reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before the 18th birthday"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transition reminder")
        verbose_name_plural = _("transition reminders")
        constraints = [
            models.UniqueConstraint(fields=["referral", "days_before"], name="transition_reminder_once"),
        ]

    def __str__(self):
        return f"{self.referral_id} {self.days_before}"

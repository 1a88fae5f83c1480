"""The precedent library ("stop holding the same discussions again case by case").

A precedent is an anonymised record of an escalation decision: structured facts (reason,
domains, school type, age band, who carries it) plus free text that a decider wrote or
reviewed for publication. It is created as a draft when a decision is recorded, WITHOUT the
decision's free text; publishing is refused while the text names the child or its date of
birth (escalations/anonymity.py). See docs/adr/0061-precedent-library.md.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from referrals.consent import age_on
from referrals.models import Domain

from .escalation import CarriedBy, EscalationReason


class AgeBand(models.TextChoices):
    UNDER_4 = "0-3", "0–3"
    AGE_4_7 = "4-7", "4–7"
    AGE_8_11 = "8-11", "8–11"
    AGE_12_15 = "12-15", "12–15"
    AGE_16_PLUS = "16+", "16+"


def age_band(date_of_birth, on):
    """The precedent age band of a child born on `date_of_birth`, on day `on` (the age from
    referrals.consent.age_on, the one age function); "" without a date of birth."""
    years = age_on(date_of_birth, on)
    if years is None:
        return ""
    if years < 4:
        return AgeBand.UNDER_4
    if years < 8:
        return AgeBand.AGE_4_7
    if years < 12:
        return AgeBand.AGE_8_11
    if years < 16:
        return AgeBand.AGE_12_15
    return AgeBand.AGE_16_PLUS


class PrecedentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Precedent.Status.PUBLISHED)


class Precedent(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    decision = models.OneToOneField(
        "escalations.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the precedent outlives the case (retention)
        related_name="precedent",
    )
    # Who may review the draft: the deciders' organisations, copied so the precedent does not
    # depend on the case once that is removed.
    partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="precedents",
    )
    municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="precedents",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField(_("reason"), max_length=32, choices=EscalationReason.choices)
    school_type = models.CharField(_("school type"), max_length=3, blank=True)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices, blank=True)
    carried_by = models.CharField(_("carried by"), max_length=16, choices=CarriedBy.choices)
    split = models.CharField(_("split of the costs"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("situation (anonymised)"), blank=True)
    outcome = models.TextField(_("outcome: what help was decided"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PrecedentQuerySet.as_manager()

    class Meta:
        db_table = "referrals_precedent"
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("precedent")
        verbose_name_plural = _("precedents")
        indexes = [
            models.Index(fields=["status", "reason"], name="precedent_status_reason"),
            # The library's order: newest published first, one page at a time.
            models.Index(fields=["status", "-published_at"], name="precedent_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(published_at__isnull=False, published_by__isnull=False),
                name="precedent_published_has_publisher",
            ),
        ]

    def __str__(self):
        return self.title or str(_("precedent %(id)s") % {"id": self.pk})

    @property
    def region(self):
        """The top-level region where the case was decided: the library is national and shows
        it (ADR 0147). None once both deciding organisations are gone."""
        organisation = self.partnership or self.municipality
        return organisation.top_region if organisation else None


class PrecedentDomain(models.Model):
    """A concern domain of a precedent; a table so similarity can be counted in SQL."""

    precedent = models.ForeignKey(Precedent, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)

    class Meta:
        db_table = "referrals_precedentdomain"
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["precedent", "domain"], name="precedent_domain_unique"),
        ]

    def __str__(self):
        return self.get_domain_display()

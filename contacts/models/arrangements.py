"""Collective arrangements (ADR 0161): a care provider's fixed care workers present in one or
more schools, paid jointly by education (the partnership) and youth care (the municipality), so
that a pupil can be helped "through the school's arrangement" without an individual indication.

An arrangement is a validity period (contacts/models/periods.py): it holds from `valid_from` up
to and including `valid_to` (open while empty). Every creation and change is an append-only
`ArrangementRecord`, shown as the arrangement's history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models.periods import ValidPeriod, valid_period_constraint
from portal.models import AppendOnlyError

PERCENT_MESSAGE = _("Enter a whole percentage from 0 to 100.")
CAPACITY_MESSAGE = _("Enter a number of pupils of at least 1.")


class CollectiveArrangement(ValidPeriod):
    region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="arrangements",
        limit_choices_to={"parent__isnull": True},
    )
    name = models.CharField(_("name"), max_length=200)
    schools = models.ManyToManyField(
        "contacts.School", verbose_name=_("schools"), related_name="arrangements"
    )
    providers = models.ManyToManyField(
        "contacts.CareProvider", verbose_name=_("care providers"), related_name="arrangements"
    )
    care_workers = models.ManyToManyField(
        "contacts.Person",
        verbose_name=_("fixed care workers in the school"),
        blank=True,
        related_name="arrangements",
    )
    education_percentage = models.PositiveSmallIntegerField(
        _("share paid by education (%)"),
        validators=[
            MinValueValidator(0, message=PERCENT_MESSAGE),
            MaxValueValidator(100, message=PERCENT_MESSAGE),
        ],
        help_text=_("Youth care (the municipality) pays the rest."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity (pupils per school year)"),
        validators=[MinValueValidator(1, message=CAPACITY_MESSAGE)],
    )
    note = models.TextField(_("note"), blank=True)

    class Meta(ValidPeriod.Meta):
        ordering = ["name", "-valid_from", "id"]
        verbose_name = _("collective arrangement")
        verbose_name_plural = _("collective arrangements")
        constraints = [
            valid_period_constraint("arrangement_valid_period"),
            models.CheckConstraint(
                condition=Q(education_percentage__gte=0) & Q(education_percentage__lte=100),
                name="arrangement_percentage_range",
                violation_error_message=PERCENT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="arrangement_capacity_positive",
                violation_error_message=CAPACITY_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def youth_care_percentage(self):
        return 100 - self.education_percentage

    def is_current(self, on):
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class ArrangementRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Arrangement records are append-only.")

    def delete(self):
        raise AppendOnlyError("Arrangement records are append-only.")


class ArrangementRecord(models.Model):
    """Who created or changed an arrangement, when, and which fields (append-only)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")

    arrangement = models.ForeignKey(
        CollectiveArrangement,
        verbose_name=_("collective arrangement"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The verbose names of the fields that changed, comma-separated (no values: see ADR 0161).
    fields = models.CharField(_("changed fields"), max_length=500, blank=True)

    objects = ArrangementRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("arrangement record")
        verbose_name_plural = _("arrangement records")

    def __str__(self):
        return f"{self.arrangement_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Arrangement records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Arrangement records are append-only.")

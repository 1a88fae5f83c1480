"""The network: contact persons, fixed contacts (vaste contactpersonen) and tandems.

Assignments and tandems are validity periods (contacts/models/periods.py): replacing one
closes it and opens a new one, so history answers "who was our contact in March?".
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models.conditions import any_of, only_set
from contacts.models.periods import ValidPeriod, valid_period_constraint


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
    schools = models.ManyToManyField(
        "contacts.School", verbose_name=_("schools"), blank=True, related_name="persons"
    )
    district_teams = models.ManyToManyField(
        "contacts.DistrictTeam", verbose_name=_("district teams"), blank=True, related_name="persons"
    )
    municipalities = models.ManyToManyField(
        "contacts.Municipality", verbose_name=_("municipalities"), blank=True, related_name="persons"
    )
    partnerships = models.ManyToManyField(
        "contacts.Partnership", verbose_name=_("partnerships"), blank=True, related_name="persons"
    )
    care_providers = models.ManyToManyField(
        "contacts.CareProvider", verbose_name=_("care providers"), blank=True, related_name="persons"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name

    @property
    def organisations(self):
        """Every organisation the person works for (uses prefetched relations when present)."""
        return [
            *self.schools.all(),
            *self.district_teams.all(),
            *self.municipalities.all(),
            *self.partnerships.all(),
            *self.care_providers.all(),
        ]


ASSIGNMENT_TARGETS = ("school", "municipality", "district_team", "partnership")


class ContactAssignment(ValidPeriod):
    """A vaste contactpersoon of one school, municipality, district team or partnership."""

    person = models.ForeignKey(
        Person, verbose_name=_("contact person"), on_delete=models.PROTECT, related_name="assignments"
    )
    backup = models.ForeignKey(
        Person,
        verbose_name=_("backup"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backup_assignments",
    )
    school = models.ForeignKey(
        "contacts.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    district_team = models.ForeignKey(
        "contacts.DistrictTeam",
        verbose_name=_("district team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )

    class Meta(ValidPeriod.Meta):
        verbose_name = _("fixed contact assignment")
        verbose_name_plural = _("fixed contact assignments")
        constraints = [
            models.CheckConstraint(
                condition=any_of(only_set(field, ASSIGNMENT_TARGETS) for field in ASSIGNMENT_TARGETS),
                name="assignment_exactly_one_target",
                violation_error_message=_(
                    "A fixed contact belongs to exactly one school, municipality, "
                    "partnership or district team."
                ),
            ),
            valid_period_constraint("assignment_valid_period"),
            *[
                models.UniqueConstraint(
                    fields=[field],
                    condition=Q(valid_to__isnull=True, **{f"{field}__isnull": False}),
                    name=f"assignment_one_open_per_{field}",
                    violation_error_message=_(
                        "There is already an open fixed contact for this organisation; "
                        "give that one an end date (valid_to) first."
                    ),
                )
                for field in ASSIGNMENT_TARGETS
            ],
        ]

    def __str__(self):
        return f"{self.person} → {self.target}"

    @property
    def target(self):
        for field in ASSIGNMENT_TARGETS:
            if getattr(self, f"{field}_id"):
                return getattr(self, field)
        return None


class Tandem(ValidPeriod):
    """An IB-er + district-team worker pair for one school."""

    school = models.ForeignKey(
        "contacts.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="tandems"
    )
    school_coordinator = models.ForeignKey(
        Person,
        verbose_name=_("school coordinator (IB-er)"),
        on_delete=models.PROTECT,
        related_name="tandems_as_coordinator",
    )
    district_worker = models.ForeignKey(
        Person,
        verbose_name=_("district-team worker"),
        on_delete=models.PROTECT,
        related_name="tandems_as_district_worker",
    )
    district_team = models.ForeignKey(
        "contacts.DistrictTeam",
        verbose_name=_("district team"),
        on_delete=models.PROTECT,
        related_name="tandems",
    )

    class Meta(ValidPeriod.Meta):
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")
        constraints = [
            valid_period_constraint("tandem_valid_period"),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(valid_to__isnull=True),
                name="tandem_one_open_per_school",
                violation_error_message=_(
                    "This school already has an open tandem; give that one an end date (valid_to) first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.school_coordinator} + {self.district_worker}"

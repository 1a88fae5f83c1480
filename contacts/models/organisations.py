"""The organisations of a youth-care region, each with a validated natural key."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.validators import (
    validate_brin,
    validate_cbs_code,
    validate_partnership_code,
    validate_postcode,
    validate_region_code,
    validate_vestiging,
)
from portal.models import SchoolHoliday


class Region(models.Model):
    """A youth-care region (parent empty) or one of its subregions."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_region_code])
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subregions",
    )
    # Optional (ADR 0090): the government's school-holiday region of the region's schools; their
    # holidays then pause the clock that waits for a school, never the district team's norms.
    school_holiday_region = models.CharField(
        _("school-holiday region"),
        max_length=8,
        blank=True,
        choices=SchoolHoliday.Region.choices,
        help_text=_("The school holidays of this region pause the wait for a school's answer."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def root(self):
        return self.parent if self.parent_id else self

    @property
    def label(self):
        """The name with the region it lies in, for national pages (ADR 0147): "Noord, Utrecht"."""
        return f"{self.name}, {self.parent.name}" if self.parent_id else self.name

    @property
    def school_region(self):
        """The school-holiday region that applies: the subregion's own, else its region's."""
        return self.school_holiday_region or (self.parent.school_holiday_region if self.parent_id else "")

    def natural_key(self):
        return (self.code,)


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True, validators=[validate_cbs_code])
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("subregion"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def top_region(self):
        """The top-level region the organisation lies in (ADR 0123)."""
        return self.region.root

    def natural_key(self):
        return (self.cbs_code,)


class Sector(models.TextChoices):
    PO = "po", _("primary education (PO)")
    VO = "vo", _("secondary education (VO)")


class Partnership(models.Model):
    """A samenwerkingsverband passend onderwijs (SWV)."""

    code = models.CharField(_("code"), max_length=6, unique=True, validators=[validate_partnership_code])
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^(PO|VO)[0-9]{4}$"), name="partnership_code_format"
            ),
            models.CheckConstraint(
                condition=models.Q(sector__in=["po", "vo"]), name="partnership_sector_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def top_region(self):
        """The top-level region the organisation lies in (ADR 0123)."""
        return self.region.root

    def natural_key(self):
        return (self.code,)


class SchoolType(models.TextChoices):
    PO = "po", _("primary school (po)")
    SBO = "sbo", _("special primary school (sbo)")
    SO = "so", _("special school (so)")
    VSO = "vso", _("secondary special school (vso)")
    VO = "vo", _("secondary school (vo)")


# The (v)so schools: the ones that need a fixed contact person of their own.
SPECIAL_SCHOOL_TYPES = (SchoolType.SO, SchoolType.VSO)


class School(models.Model):
    """A school location: BRIN number plus two-digit vestiging."""

    brin = models.CharField(_("BRIN"), max_length=4, validators=[validate_brin])
    vestiging = models.CharField(
        _("location number"), max_length=2, default="00", validators=[validate_vestiging]
    )
    name = models.CharField(_("name"), max_length=200)
    school_type = models.CharField(_("school type"), max_length=3, choices=SchoolType.choices)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    collective_funding_pilot = models.BooleanField(_("pilot school with collective funding"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(fields=["brin", "vestiging"], name="school_unique_brin_vestiging"),
            models.CheckConstraint(
                condition=models.Q(brin__regex=r"^[0-9]{2}[A-Z]{2}$"), name="school_brin_format"
            ),
            models.CheckConstraint(
                condition=models.Q(vestiging__regex=r"^[0-9]{2}$"), name="school_vestiging_format"
            ),
            models.CheckConstraint(
                condition=models.Q(school_type__in=["po", "sbo", "so", "vso", "vo"]),
                name="school_type_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.brin_vestiging})"

    @property
    def top_region(self):
        """The top-level region the organisation lies in (ADR 0123)."""
        return self.municipality.region.root

    @property
    def brin_vestiging(self):
        return f"{self.brin}{self.vestiging}"

    @property
    def is_special(self):
        return self.school_type in SPECIAL_SCHOOL_TYPES

    def natural_key(self):
        return (self.brin, self.vestiging)


class DistrictTeam(models.Model):
    """A wijkteam / buurtteam of a municipality."""

    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="district_teams",
    )
    email = models.EmailField(_("team e-mail address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district team")
        verbose_name_plural = _("district teams")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="district_team_unique_name_per_municipality"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def top_region(self):
        """The top-level region the organisation lies in (ADR 0123)."""
        return self.municipality.region.root


class CareProvider(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_providers",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")

    def __str__(self):
        return self.name

    @property
    def top_region(self):
        """The top-level region the organisation lies in (ADR 0123)."""
        return self.region.root if self.region_id else None

"""Generated progress reports (voortgangsrapportage): one PDF per request, kept in private storage."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AppendOnlyError
from reporting.scopes import scope_of_report


def report_path(instance, filename):
    # Random name: the file is found through the database, never by guessing a path.
    return f"reports/{instance.uuid.hex}.pdf"


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.CharField(_("period"), max_length=7)
    region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("region or subregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    scheduled = models.BooleanField(_("generated on the schedule"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=report_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Publication to the region's practitioners (ADR 0150): set while the report is published.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-period", "-requested_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["period", "status"], name="progressreport_period_status")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, partnership__isnull=True, municipality__isnull=True)
                    | Q(region__isnull=True, partnership__isnull=False, municipality__isnull=True)
                    | Q(region__isnull=True, partnership__isnull=True, municipality__isnull=False)
                ),
                name="progressreport_exactly_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}-H[12]$"), name="progressreport_period_format"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="progressreport_status_valid",
            ),
            # The schedule makes one report per half-year and (sub)region, however often it runs.
            models.UniqueConstraint(
                fields=["period", "region"],
                condition=Q(scheduled=True),
                name="progressreport_one_scheduled_per_region",
            ),
            # Only a finished report of a region or subregion is published (ADR 0150).
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="done", region__isnull=False),
                name="progressreport_published_done_region",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.scope_name}"

    @property
    def scope_name(self):
        return str(self.region or self.partnership or self.municipality)

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def download_name(self):
        return f"voortgangsrapportage-{self.period}-{scope_of_report(self).code}.pdf"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")


class AppendOnly(models.Model):
    """A row that is written once and never changed nor deleted: refused here in Python, and on
    PostgreSQL by a trigger whoever sends the statement (migration 0004, as the access log)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only.")


class PublicationEvent(AppendOnly):
    """Append-only: who published a report or withdrew its publication, and when (ADR 0150)."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("published")
        WITHDRAW = "withdraw", _("publication withdrawn")

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="publication_events",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["publish", "withdraw"]), name="publicationevent_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.report_id}"


class StartPhoto(AppendOnly):
    """The yearly startfoto of a region (ADR 0155): needs and provision of one school year,
    frozen on a date by the steering group. Append-only: a frozen startfoto never changes, so
    the next year is compared with the baseline as it was."""

    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="start_photos"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (first calendar year)"))
    frozen_on = models.DateField(_("frozen on"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Displayed, already suppressed values only (reporting/startfoto.py): no count below 5.
    data = models.JSONField(_("figures"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-school_year"]
        verbose_name = _("startfoto")
        verbose_name_plural = _("startfotos")
        constraints = [
            models.UniqueConstraint(fields=["region", "school_year"], name="startphoto_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(school_year__gte=2000, school_year__lte=2100), name="startphoto_school_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.school_year_label}"

    @property
    def school_year_label(self):
        return f"{self.school_year}-{self.school_year + 1}"

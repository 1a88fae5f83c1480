"""The work agenda (ADR 0020): agenda → ambition → goal → activity → progress update, and meetings.

Numbering follows the source document: ambitions 1–3, goals and activities numbered within
their ambition ("2.3"). An activity belongs to an ambition and, where the document ties it
to one, to a goal. Progress updates are append-only: the history of an activity is never
rewritten. A goal either carries a typed target (value + unit) or points to a live
indicator (agenda/indicators.py) whose value is computed from the registry, meetings and
referrals.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.indicator_keys import indicator_choices

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Agenda(models.Model):
    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="agendas"
    )
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"), null=True, blank=True)
    description = models.TextField(_("vision"), blank=True)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("work agenda")
        verbose_name_plural = _("work agendas")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("period_start")),
                name="agenda_valid_period",
            )
        ]

    def __str__(self):
        return self.title


class Ambition(models.Model):
    agenda = models.ForeignKey(
        Agenda, verbose_name=_("work agenda"), on_delete=models.CASCADE, related_name="ambitions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("ambition"))
    bottlenecks = models.TextField(_("bottlenecks this ambition addresses"), blank=True)

    class Meta:
        ordering = ["agenda", "number"]
        verbose_name = _("ambition")
        verbose_name_plural = _("ambitions")
        constraints = [models.UniqueConstraint(fields=["agenda", "number"], name="ambition_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @property
    def bottleneck_lines(self):
        return [line for line in self.bottlenecks.splitlines() if line.strip()]


class Goal(models.Model):
    ambition = models.ForeignKey(
        Ambition, verbose_name=_("ambition"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("number within the ambition"))
    text = models.TextField(_("goal"))
    target_value = models.DecimalField(
        _("target value"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty for a goal without a number, or to aim at every school or municipality."),
    )
    target_unit = models.CharField(_("unit"), max_length=100, blank=True)
    indicator = models.CharField(
        _("live indicator"),
        max_length=64,
        blank=True,
        choices=indicator_choices,
        help_text=_("When set, the actual value is computed from live data."),
    )

    class Meta:
        ordering = ["ambition__number", "number"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["ambition", "number"], name="goal_unique_number")]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"

    @property
    def code(self):
        return f"{self.ambition.number}.{self.number}"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    STOPPED = "stopped", _("stopped")


OWNER_FIELDS = ("owner_partnership", "owner_municipality", "owner_region")
# Statuses of an activity that is still to be finished: past its due date it is overdue.
OPEN_ACTIVITY_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)


class Activity(models.Model):
    """An activity; owned by at most one organisation (an SWV, a gemeente, or the region's
    steering group) and optionally one person."""

    ambition = models.ForeignKey(
        Ambition, verbose_name=_("ambition"), on_delete=models.CASCADE, related_name="activities"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    number = models.PositiveSmallIntegerField(_("number within the ambition"))
    title = models.TextField(_("activity"))
    description = models.TextField(_("description"), blank=True)
    owner_partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("owner: partnership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_activities",
    )
    owner_municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("owner: municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_activities",
    )
    owner_region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("owner: steering group of the region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_activities",
    )
    owner_person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("owner: person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_activities",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    added_value = models.PositiveSmallIntegerField(
        _("supra-regional added value (1–5)"), null=True, blank=True, validators=SCORE_VALIDATORS
    )

    class Meta:
        ordering = ["ambition__number", "number"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["ambition", "number"], name="activity_unique_number"),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5), name="activity_impact_1_5"
            ),
            models.CheckConstraint(
                condition=Q(added_value__isnull=True) | Q(added_value__gte=1, added_value__lte=5),
                name="activity_added_value_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(owner_partnership__isnull=False, owner_municipality__isnull=False)
                & ~Q(owner_partnership__isnull=False, owner_region__isnull=False)
                & ~Q(owner_municipality__isnull=False, owner_region__isnull=False),
                name="activity_at_most_one_owner_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title[:80]}"

    @property
    def code(self):
        return f"{self.ambition.number}.{self.number}"

    @property
    def owner_organisation(self):
        for field in OWNER_FIELDS:
            if getattr(self, f"{field}_id"):
                return getattr(self, field)
        return None

    @property
    def is_overdue(self):
        """Still planned or in progress while its due date has passed."""
        return (
            self.status in OPEN_ACTIVITY_STATUSES
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def latest_status_label(self):
        """Label of the latest update's status (annotated by agenda.progress.activities_queryset)."""
        status = getattr(self, "latest_status", None)
        return UpdateStatus(status).label if status else ""

    def clean(self):
        if sum(1 for field in OWNER_FIELDS if getattr(self, f"{field}_id")) > 1:
            raise ValidationError(
                _("Choose one owner organisation: a partnership, a municipality or the region.")
            )
        if self.goal_id and self.ambition_id and self.goal.ambition_id != self.ambition_id:
            raise ValidationError({"goal": _("Choose a goal of the same ambition.")})


class UpdateStatus(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")


class AppendOnlyError(Exception):
    pass


class ProgressUpdate(models.Model):
    """One progress report on an activity. Append-only: never changed, never deleted."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="updates"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=UpdateStatus.choices)
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.activity.code} {self.date}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Progress updates are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Progress updates are append-only.")


class MeetingType(models.TextChoices):
    PRACTITIONER = "practitioner", _("practitioner meeting")
    INSPIRATION = "inspiration", _("inspiration session")
    IB_NETWORK = "ib_network", _("IB network")
    STEERING_GROUP = "steering_group", _("steering group")
    ADMINISTRATIVE = "administrative", _("administrative consultation")


class Meeting(models.Model):
    # The organisations a meeting names (many-to-many fields), in the order the form shows them.
    ORGANISER_FIELDS = ("organising_partnerships", "organising_municipalities")
    ATTENDEE_FIELDS = (
        "attending_partnerships",
        "attending_municipalities",
        "attending_schools",
        "attending_district_teams",
        "attending_care_providers",
    )

    region = models.ForeignKey(
        "contacts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="agenda_meetings"
    )
    meeting_type = models.CharField(_("type"), max_length=16, choices=MeetingType.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organising_partnerships = models.ManyToManyField(
        "contacts.Partnership", verbose_name=_("organised by partnerships"), blank=True, related_name="+"
    )
    organising_municipalities = models.ManyToManyField(
        "contacts.Municipality", verbose_name=_("organised by municipalities"), blank=True, related_name="+"
    )
    attending_partnerships = models.ManyToManyField(
        "contacts.Partnership", verbose_name=_("attending partnerships"), blank=True, related_name="+"
    )
    attending_municipalities = models.ManyToManyField(
        "contacts.Municipality", verbose_name=_("attending municipalities"), blank=True, related_name="+"
    )
    attending_schools = models.ManyToManyField(
        "contacts.School", verbose_name=_("attending schools"), blank=True, related_name="+"
    )
    attending_district_teams = models.ManyToManyField(
        "contacts.DistrictTeam", verbose_name=_("attending district teams"), blank=True, related_name="+"
    )
    attending_care_providers = models.ManyToManyField(
        "contacts.CareProvider", verbose_name=_("attending care providers"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up_activities = models.ManyToManyField(
        Activity, verbose_name=_("follow-up activities"), blank=True, related_name="meetings"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.get_meeting_type_display()} {self.date}"

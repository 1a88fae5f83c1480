"""The access log (NEN 7513): every read of a referral, attachment or export is recorded.

Append-only: the model refuses updates and deletes in Python; the security work adds a
database trigger on PostgreSQL. Entries hold ids and reference numbers, never child data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded")
        EXPORT = "export", _("exported")
        SEARCH = "search", _("searched")
        # An action on the object (accept, decide, save a draft...): `activity` says which. The
        # page the action redirects to is not logged again as a read (portal/audit.py).
        CHANGE = "change", _("acted on")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="access_log_entries",
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_reference = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    activity = models.CharField(_("activity"), max_length=40, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            # The subject-access export finds a referral's and its attachments' rows by id.
            models.Index(fields=["object_type", "object_id"], name="accesslog_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class Notification(models.Model):
    """A notice for one user, shown in the portal and sent by e-mail through Celery.

    The text says only what kind of thing waits and links to it: no child data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300)
    # The case it is about (a referral's reference number, ADR 0115), also leading the subject;
    # the e-mail shows it on a line of its own (ADR 0152).
    reference = models.CharField(_("reference"), max_length=60, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.user_id}: {self.kind}"

    @property
    def title(self):
        """The kind in words: the subject without the reference in front of it."""
        prefix = f"{self.reference} · "
        if self.reference and self.subject.startswith(prefix):
            return self.subject[len(prefix) :]
        return self.subject

    @property
    def text(self):
        """The body without the reference in front of it."""
        prefix = f"{self.reference}: "
        if self.reference and self.body.startswith(prefix):
            return self.body[len(prefix) :]
        return self.body


class NotificationPreference(models.Model):
    """How one person wants to hear of their notifications (ADR 0152): the language of the
    e-mails and whether each comes at once or all in one daily digest. A person without a row
    gets the defaults: the site's language (Dutch), at once."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for every notification, at once")
        DAILY_DIGEST = "daily_digest", _("One e-mail a day with all new notifications")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    delivery = models.CharField(
        _("e-mail"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user_id}: {self.language} {self.delivery}"

    @classmethod
    def of(cls, user):
        """The person's preference, unsaved with the defaults when they never chose."""
        return cls.objects.filter(user=user).first() or cls(user=user)


class Holiday(models.Model):
    """A public holiday on Monday to Friday that the working-day count leaves out: the table the
    SQL count reads (portal/workdays.py, ADR 0090). Filled by `sync_calendar` from the `holidays`
    package and TANDEM_WORKDAY_HOLIDAYS; never edited by hand."""

    day = models.DateField(_("date"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["day"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"


class SchoolHoliday(models.Model):
    """A school holiday of one school-holiday region (noord, midden, zuid), first and last day
    included, as published by the government (ADR 0090). It pauses only the clock that waits for
    a school. Loaded with `python manage.py load_school_holidays`."""

    class Region(models.TextChoices):
        NORTH = "noord", _("north")
        MIDDLE = "midden", _("middle")
        SOUTH = "zuid", _("south")

    region = models.CharField(_("school-holiday region"), max_length=8, choices=Region.choices)
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        ordering = ["region", "first_day"]
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        constraints = [
            models.UniqueConstraint(fields=["region", "first_day"], name="school_holiday_once"),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="school_holiday_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.name} {self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"


class OutboxMessage(models.Model):
    """A task that follows a state change, written in the same transaction as the change (the
    transactional outbox, ADR 0130). portal/outbox.py hands it to Celery on commit and, for what
    is still pending, every minute from beat; the task itself is idempotent.

    Holds a task name and ids only (never personal data); `last_error` is the exception's
    class name, never its message."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict)
    dedup_key = models.CharField(_("deduplication key"), max_length=200)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_state_due")]
        constraints = [
            # One waiting row per key: queueing the same thing again while it waits adds nothing.
            models.UniqueConstraint(
                fields=["dedup_key"], condition=models.Q(state="pending"), name="outbox_one_pending_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.task} {self.dedup_key} {self.state}"


class RegionTheme(models.Model):
    """A region's own look (ADR 0164): the name and logo in the header, the favicon and the brand
    colours of its pages, charts and PDF reports. A region without one shows the installation's
    default theme (portal/theme.py). The logo and favicon are small files kept in the row itself
    (SVG checked against an allow-list, or PNG), served by portal.views.theme_logo/theme_favicon."""

    class ImageType(models.TextChoices):
        SVG = "image/svg+xml", "SVG"
        PNG = "image/png", "PNG"

    region = models.OneToOneField(
        "contacts.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="theme"
    )
    display_name = models.CharField(_("name in the header"), max_length=80)
    primary_color = models.CharField(_("primary colour"), max_length=7)
    primary_text_color = models.CharField(_("text colour on the primary colour"), max_length=7)
    link_color = models.CharField(_("link colour"), max_length=7, blank=True)
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    logo_type = models.CharField(_("logo type"), max_length=16, blank=True, choices=ImageType.choices)
    favicon = models.BinaryField(_("favicon"), blank=True, default=b"")
    favicon_type = models.CharField(_("favicon type"), max_length=16, blank=True, choices=ImageType.choices)
    # A hash of everything above: in the theme's URLs, so a browser fetches a changed theme anew.
    version = models.CharField(_("version"), max_length=16)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("region theme")
        verbose_name_plural = _("region themes")

    def __str__(self):
        return self.display_name

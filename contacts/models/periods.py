"""Validity periods: a row holds from `valid_from` up to and including `valid_to` (open while
empty). Fixed contacts and tandems are never edited away: replacing one closes it and opens a
new one, so the history answers "who was our contact in March?" (ADR 0011)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodQuerySet(models.QuerySet):
    def current(self, on=None):
        """The rows valid on `on` (default: today)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def open(self):
        """The rows without an end date: the one a replacement closes."""
        return self.filter(valid_to__isnull=True)


class ValidPeriod(models.Model):
    """A row of history: valid from one day up to and including another, and who recorded it."""

    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        "contacts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-valid_from", "-id"]

    def closing_date(self, successor_from):
        """The last day of this period when a successor starts on `successor_from`: the day
        before, but never before this one started (a same-day correction closes it on its
        first day)."""
        return max(self.valid_from, successor_from - datetime.timedelta(days=1))


def valid_period_constraint(name):
    """The end date, when there is one, is not before the start date."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )

"""Report actions of users: request a report, retry a failed one (both queue the task that
makes it, reporting/tasks.py, once the transaction commits); publish a finished report to the
region's practitioners and withdraw that publication (ADR 0150); freeze the yearly startfoto
(ADR 0155)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Region
from reporting.models import ProgressReport, PublicationEvent, StartPhoto
from reporting.periods import Period
from reporting.permissions import can_freeze_startfoto, can_publish
from reporting.startfoto import SchoolYear, compute_snapshot
from reporting.tasks import enqueue


def request_report(user, period, scope):
    """A report for `period` and `scope` on demand (the caller checked that the user may see the
    scope). An identical request that is still queued or running is reused. Returns
    (report, created)."""
    if not isinstance(period, Period):
        period = Period.parse(period)
    fields = scope.report_fields()
    with transaction.atomic():
        active = (
            ProgressReport.objects.select_for_update()
            .filter(
                period=period.label, status__in=[ProgressReport.Status.QUEUED, ProgressReport.Status.RUNNING]
            )
            .filter(**fields)
            .first()
        )
        if active is not None:
            return active, False
        report = ProgressReport.objects.create(period=period.label, requested_by=user, **fields)
        enqueue(report.pk)
    return report, True


def retry_report(report):
    """Queue a failed report again. Returns False when the report had not failed."""
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ProgressReport.Status.FAILED:
            return False
        locked.status = ProgressReport.Status.QUEUED
        locked.error = ""
        locked.finished_at = None
        locked.save(update_fields=["status", "error", "finished_at"])
        enqueue(locked.pk)
    return True


def publish_report(user, report):
    """Publish a finished report to every account of its region. Returns False when it was
    already published or is not finished (nothing changes then)."""
    if not can_publish(user, report):
        raise PermissionDenied
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.is_published or locked.status != ProgressReport.Status.DONE:
            return False
        locked.published_at = timezone.now()
        locked.published_by = user
        locked.save(update_fields=["published_at", "published_by"])
        PublicationEvent.objects.create(report=locked, action=PublicationEvent.Action.PUBLISH, actor=user)
    return True


def withdraw_publication(user, report):
    """Take a published report back to the steering group. Returns False when it was not published."""
    if not can_publish(user, report):
        raise PermissionDenied
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if not locked.is_published:
            return False
        locked.published_at = None
        locked.published_by = None
        locked.save(update_fields=["published_at", "published_by"])
        PublicationEvent.objects.create(report=locked, action=PublicationEvent.Action.WITHDRAW, actor=user)
    return True


class StartPhotoFrozen(Exception):
    """The region's startfoto of that school year exists already; it never changes (ADR 0155)."""


def too_early_to_freeze(school_year):
    """A school year that has not begun has no figures to freeze yet."""
    return school_year.year > SchoolYear.current().year


def freeze_startphoto(user, region, school_year):
    """Freeze the startfoto of `region` for `school_year` (reporting.startfoto.SchoolYear) with
    today's figures. Raises PermissionDenied for anyone but the region's steering group,
    ValidationError (at the school year, "jaar") for a school year that has not begun, and
    StartPhotoFrozen when it was frozen before; nothing changes then. The view logs the action
    (portal.audit.log_action)."""
    if not can_freeze_startfoto(user, region):
        raise PermissionDenied
    if too_early_to_freeze(school_year):
        raise ValidationError(
            {
                "jaar": _("The school year %(year)s has not begun; its startfoto cannot be frozen yet.")
                % {"year": school_year.label}
            }
        )
    with transaction.atomic():
        # The lock on the region serialises two simultaneous freezes of the same region.
        Region.objects.select_for_update().get(pk=region.pk)
        if StartPhoto.objects.filter(region=region, school_year=school_year.year).exists():
            raise StartPhotoFrozen
        photo = StartPhoto.objects.create(
            region=region,
            school_year=school_year.year,
            frozen_on=timezone.localdate(),
            frozen_by=user,
            data=compute_snapshot(region, school_year),
        )
    return photo

"""Report actions: request, retry, generate (the task body) and the half-yearly schedule."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from contacts.models import Region
from reporting.figures import compute_figures
from reporting.models import ProgressReport
from reporting.pdf import render_pdf
from reporting.periods import Period
from reporting.scopes import scope_of_report

logger = logging.getLogger(__name__)
ERROR_MAX = 2000


def enqueue(report_id):
    """Queue the Celery task for one report (after the surrounding transaction commits)."""
    from reporting.tasks import generate_progress_report

    transaction.on_commit(lambda: generate_progress_report.delay(report_id))


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


def render_report(period, scope):
    """PDF bytes of the report for `period` and `scope` (Dutch); used by the task and the command."""
    with translation.override("nl"):
        figures = compute_figures(period, scope)
        return render_pdf(figures)


def generate(report_id):
    """Render and store one report. Idempotent: a report that is done is left alone, and a second
    run never leaves a second file. Raises on failure (the task decides about retrying)."""
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("region__parent", "partnership__region", "municipality__region")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            logger.warning("progress report %s does not exist", report_id)
            return None
        if report.status == ProgressReport.Status.DONE and report.file:
            return report
        report.status = ProgressReport.Status.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])

    pdf = render_report(report.period, scope_of_report(report))
    digest = hashlib.sha256(pdf).hexdigest()

    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report_id)
        if report.status == ProgressReport.Status.DONE and report.file:
            return report  # another run finished first
        name = f"reports/{report.uuid.hex}.pdf"
        storage = report.file.storage
        if storage.exists(name):
            storage.delete(name)  # a run that died after writing: replace, never add a copy
        report.file.save(name, ContentFile(pdf), save=False)
        report.sha256 = digest
        report.size = len(pdf)
        report.status = ProgressReport.Status.DONE
        report.finished_at = timezone.now()
        report.error = ""
        report.save(update_fields=["file", "sha256", "size", "status", "finished_at", "error"])
    logger.info("progress report %s generated (%s bytes)", report_id, len(pdf))
    return report


def mark_failed(report_id, exc):
    message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    ProgressReport.objects.filter(pk=report_id).exclude(status=ProgressReport.Status.DONE).update(
        status=ProgressReport.Status.FAILED, error=message, finished_at=timezone.now()
    )
    logger.error("progress report %s failed: %s", report_id, type(exc).__name__)


def mark_retrying(report_id, exc):
    ProgressReport.objects.filter(pk=report_id, status=ProgressReport.Status.RUNNING).update(
        status=ProgressReport.Status.QUEUED, error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    )


def schedule_reports(today=None):
    """The previous half-year for every region and subregion, once per period and region."""
    period = Period.previous_completed(today)
    created = []
    for region in Region.objects.order_by("parent_id", "name"):
        try:
            with transaction.atomic():
                report, was_created = ProgressReport.objects.get_or_create(
                    period=period.label, region=region, scheduled=True
                )
                if was_created:
                    enqueue(report.pk)
                    created.append(report)
        except IntegrityError:  # a concurrent run created it first
            continue
    return created

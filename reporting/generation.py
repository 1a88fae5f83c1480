"""Making one progress report: the body of the Celery task (reporting/tasks.py) and of the
`generate_progress_report` command. Idempotent: a report that is done is left alone, and a second
run never leaves a second file (ADR 0072)."""

import hashlib
import logging

from django.db import transaction
from django.utils import timezone, translation

from portal import storage as storage_files
from reporting.figures import compute_figures
from reporting.models import ProgressReport
from reporting.pdf import render_pdf
from reporting.scopes import scope_of_report

logger = logging.getLogger(__name__)
ERROR_MAX = 2000


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
        # Written under a temporary name and renamed into place (portal/storage.py): a run that
        # was killed half-way leaves no half PDF, and a rerun replaces, never adds a copy (ADR
        # 0132). The row lock above keeps two runs of this report from writing at once.
        storage_files.store(report.file.storage, name, pdf, temporary=f"reports/.{report.uuid.hex}.pdf.part")
        report.file.name = name
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
    # The detail goes to the log (and the admin's error field); the page explains it in Dutch
    # without it. A report holds aggregates only, never child data.
    logger.error("progress report %s failed: %s", report_id, message, exc_info=exc)


def mark_retrying(report_id, exc):
    ProgressReport.objects.filter(pk=report_id, status=ProgressReport.Status.RUNNING).update(
        status=ProgressReport.Status.QUEUED, error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    )

"""Celery tasks of the reports. They take ids only, never personal data, and are idempotent.

`enqueue` writes the making of one report into the outbox (ADR 0130); the user
actions (reporting/services.py) and the half-yearly schedule here use it (ADR 0072).
"""

import time

from celery import Task, shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from contacts.models import Region
from portal import metrics, outbox
from reporting import generation, summaries
from reporting.models import ProgressReport
from reporting.periods import Period

# Worth another try: the database or the file system hiccuped.
TRANSIENT = (OperationalError, InterfaceError, OSError)


class ProgressReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries: the report shows the error and can be retried from its page."""
        if args:
            generation.mark_failed(args[0], exc)


@shared_task(
    base=ProgressReportTask,
    bind=True,
    name="reporting.generate_progress_report",
    ignore_result=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
)
def generate_progress_report(self, report_id: int) -> None:
    """Render one ProgressReport to PDF. Running it again for a finished report does nothing.
    Each attempt's duration and outcome go to /metrics (portal/metrics.py, ADR 0102)."""
    started = time.monotonic()
    try:
        generation.generate(report_id)
    except TRANSIENT as exc:
        if self.max_retries is not None and self.request.retries >= self.max_retries:
            generation.mark_failed(report_id, exc)  # out of retries
            metrics.observe_report_generation(time.monotonic() - started, "failed")
        else:
            generation.mark_retrying(report_id, exc)
            metrics.observe_report_generation(time.monotonic() - started, "retrying")
        raise  # autoretry_for schedules the next attempt
    except Exception as exc:  # noqa: BLE001 - not transient: record it, no point retrying
        generation.mark_failed(report_id, exc)
        metrics.observe_report_generation(time.monotonic() - started, "failed")
    else:
        metrics.observe_report_generation(time.monotonic() - started, "done")


def enqueue(report_id):
    """Write the task for one report into the outbox, in the surrounding transaction; it is
    handed to Celery after the commit, or by the outbox's dispatcher (ADR 0130)."""
    outbox.enqueue("reporting.generate_progress_report", f"progress-report:{report_id}", report_id=report_id)


class UndeliveredTask(Exception):
    """The outbox gave up handing the task to the broker (its row is failed, ADR 0130)."""


def mark_undelivered(sender, row, **kwargs):
    """The outbox's `delivery_failed`: a report whose task never reached a worker is failed on
    its page (its requester can retry it there), not "queued" for ever."""
    if row.task == generate_progress_report.name and "report_id" in row.kwargs:
        generation.mark_failed(row.kwargs["report_id"], UndeliveredTask(row.last_error))


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


@shared_task(name="reporting.schedule_progress_reports", ignore_result=True)
def schedule_progress_reports() -> None:
    """Beat, 10 January and 10 July: the previous half-year for the region and its subregions."""
    schedule_reports()


@shared_task(name="reporting.refresh_dashboard_figures", ignore_result=True)
def refresh_dashboard_figures() -> None:
    """Beat, every TANDEM_FIGURES_REFRESH_MINUTES: recompute the dashboard figures people looked
    at in the last day (reporting/summaries.py)."""
    summaries.refresh_viewed()

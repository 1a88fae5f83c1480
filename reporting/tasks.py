"""Celery tasks of the reports. They take ids only, never personal data, and are idempotent."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

# Worth another try: the database or the file system hiccuped.
TRANSIENT = (OperationalError, InterfaceError, OSError)


class ProgressReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries: the report shows the error and can be retried from its page."""
        from reporting import services

        if args:
            services.mark_failed(args[0], exc)


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
    """Render one ProgressReport to PDF. Running it again for a finished report does nothing."""
    from reporting import services

    try:
        services.generate(report_id)
    except TRANSIENT as exc:
        if self.max_retries is not None and self.request.retries >= self.max_retries:
            services.mark_failed(report_id, exc)  # out of retries
        else:
            services.mark_retrying(report_id, exc)
        raise  # autoretry_for schedules the next attempt
    except Exception as exc:  # noqa: BLE001 - not transient: record it, no point retrying
        services.mark_failed(report_id, exc)


@shared_task(name="reporting.schedule_progress_reports", ignore_result=True)
def schedule_progress_reports() -> None:
    """Beat, 10 January and 10 July: the previous half-year for the region and its subregions."""
    from reporting import services

    services.schedule_reports()


@shared_task(name="reporting.refresh_dashboard_figures", ignore_result=True)
def refresh_dashboard_figures() -> None:
    """Beat, every TANDEM_FIGURES_REFRESH_MINUTES: recompute the dashboard figures people looked
    at in the last day (reporting/summaries.py)."""
    from reporting import summaries

    summaries.refresh_viewed()

"""Report actions of users: request a report, retry a failed one. Both queue the task that
makes it (reporting/tasks.py) once the transaction commits."""

from django.db import transaction

from reporting.models import ProgressReport
from reporting.periods import Period
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

"""Nightly housekeeping of login records (AVG minimisation; ADR 0041)."""

import logging

from axes.models import AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from security import data_subject

logger = logging.getLogger("tandem.security")


@shared_task(name="security.prune_login_records", ignore_result=True)
def prune_login_records():
    """Delete django-axes login records older than TANDEM_LOGIN_LOG_RETENTION_DAYS.

    Idempotent; takes no arguments. Lockout counters are not touched (axes expires them)."""
    cutoff = timezone.now() - settings.TANDEM_LOGIN_LOG_RETENTION
    deleted = 0
    for model in (AccessLog, AccessFailureLog):
        count, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        deleted += count
    logger.info(
        "login records pruned: %s older than %s days", deleted, settings.TANDEM_LOGIN_LOG_RETENTION.days
    )
    return deleted


@shared_task(name="security.data_subject_request_reminders", ignore_result=True)
def data_subject_request_reminders():
    """Remind the privacy officers of requests whose deadline is near or past (ADR 0106).
    Idempotent (once per deadline); takes no arguments."""
    sent = data_subject.send_deadline_reminders()
    logger.info("data-subject request reminders: %s sent", sent)
    return sent

"""Portal-wide tasks (Celery's autodiscovery finds them here)."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal import workdays
from portal.models import Notification


@shared_task(name="portal.sync_calendar", ignore_result=True)
def sync_calendar() -> list:
    """Nightly: the public-holiday table holds this year up to CALENDAR_YEARS_AHEAD years ahead
    under the current TANDEM_WORKDAY_HOLIDAYS (portal/workdays.py, ADR 0090). [added, removed]."""
    return list(workdays.sync_calendar())


@shared_task(name="portal.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Write a timestamp under a key; operators and the integration test use it to see that a
    worker consumes the queue. The token is an opaque id, never personal data."""
    cache.set(f"heartbeat:{token}", timezone.now().isoformat(), timeout=600)


@shared_task(
    name="portal.send_notification_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> None:
    """E-mail one notification. Idempotent: a notification is e-mailed once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None:
            return
        link = f"{settings.SITE_URL}{notification.url}"
        send_mail(
            subject=f"Tandem: {notification.subject}",
            message=f"{notification.body}\n\n{link}\n",
            from_email=None,
            recipient_list=[notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])

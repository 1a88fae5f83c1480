"""Portal-wide tasks (Celery's autodiscovery finds them here)."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal import outbox, workdays
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
    """E-mail one notification, at most once however often the outbox delivers it (ADR 0130):
    a conditional UPDATE claims it (emailed_at from empty to now; a second run, or a concurrent
    worker waiting on the row lock, updates nothing and stops), and a failing send rolls the
    claim back so the retry sends it."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return
        notification = Notification.objects.select_related("user").get(pk=notification_id)
        link = f"{settings.SITE_URL}{notification.url}"
        send_mail(
            subject=f"Tandem: {notification.subject}",
            message=f"{notification.body}\n\n{link}\n",
            from_email=None,
            recipient_list=[notification.user.email],
        )


@shared_task(name="portal.dispatch_outbox", ignore_result=True)
def dispatch_outbox() -> int:
    """Beat, every minute: hand the outbox rows still pending to Celery (portal/outbox.py)."""
    return outbox.dispatch_pending()

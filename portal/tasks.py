"""Portal-wide tasks (Celery's autodiscovery finds them here)."""

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal import emails, outbox, services, workdays
from portal.models import Notification, NotificationPreference

DIGEST_TASK = services.DIGEST_TASK


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
        emails.notification_message(notification).send()


@shared_task(name="portal.send_digests", ignore_result=True)
def send_digests() -> int:
    """Beat, daily at TANDEM_DIGEST_HOUR (Amsterdam time): one outbox row per person who chose
    the daily digest and has notifications not e-mailed yet; nobody else (ADR 0152). Returns
    the number of rows written."""
    users = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__is_active=True,
            user__notification_preference__delivery=NotificationPreference.Delivery.DAILY_DIGEST,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    user_ids = list(users)
    with transaction.atomic():
        outbox.enqueue_many((DIGEST_TASK, f"digest:{pk}", {"user_id": pk}) for pk in user_ids)
    return len(user_ids)


@shared_task(
    name="portal.send_digest_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_digest_email(user_id: int) -> None:
    """E-mail one person everything not e-mailed yet in one message, at most once (ADR 0152):
    the notifications are claimed like send_notification_email claims one (emailed_at from
    empty to now, the rows locked so a concurrent run waits and then finds nothing), and a
    failing send rolls the claim back so the retry sends them. Nothing new: no e-mail."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(user_id=user_id, user__is_active=True, emailed_at__isnull=True)
            .select_related("user")
            .order_by("created_at", "pk")
        )
        if not pending:
            return
        Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        emails.digest_message(pending[0].user, pending).send()


@shared_task(name="portal.dispatch_outbox", ignore_result=True)
def dispatch_outbox() -> int:
    """Beat, every minute: hand the outbox rows still pending to Celery (portal/outbox.py)."""
    return outbox.dispatch_pending()

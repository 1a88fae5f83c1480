"""Portal-wide tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task(name="portal.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Write a timestamp under a key; operators and the integration test use it to see that a
    worker consumes the queue. The token is an opaque id, never personal data."""
    cache.set(f"heartbeat:{token}", timezone.now().isoformat(), timeout=600)

"""The transactional outbox (ADR 0130): nothing that follows a state change is lost when the
broker is down.

`enqueue(task, key, **kwargs)` writes an `OutboxMessage` in the caller's transaction, so the
row exists exactly when the change does. After the commit it is handed to Celery at once
(`deliver`); when that fails (Redis down) the row stays pending and the beat task
`portal.dispatch_outbox` (every minute) tries again with a growing pause, until
`MAX_ATTEMPTS` make it failed (the registry administrator's "Berichtenwachtrij" page retries
it). Delivery is at least once: a row may reach the broker twice (a crash between sending and
marking it sent), so every task it names is idempotent.

kwargs hold ids only, never personal data; `last_error` holds an exception's class name only.
"""

import logging
from contextlib import nullcontext
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.dispatch import Signal
from django.utils import timezone

from portal.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the pauses below: about four and a half hours of broker outage
BATCH = 500
State = OutboxMessage.State

# Sent (with `row`) when a row runs out of attempts and becomes failed, after the commit, so the
# app whose task it names can tell its user (a report's page says "failed" instead of "queued").
delivery_failed = Signal()


def pause(attempts):
    """The wait before the next try after `attempts` failed ones: 1, 2, 4, ... minutes, at most 30."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 30))


def enqueue(task, key, **kwargs):
    """Write one pending row for `task` (a registered Celery task name) with `kwargs` (ids only),
    in the surrounding transaction, and deliver it after commit. A row with the same `key`
    already pending is not added twice."""
    enqueue_many([(task, key, kwargs)])


def enqueue_many(items):
    """`items`: (task, key, kwargs) triples; one INSERT, one delivery after commit."""
    items = list(items)
    if not items:
        return
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, dedup_key=key, kwargs=kwargs) for task, key, kwargs in items],
        ignore_conflicts=True,  # the partial unique index: one pending row per key
    )
    keys = [key for _task, key, _kwargs in items]
    transaction.on_commit(lambda: deliver(keys))


def _task(name):
    """The registered task; a web process may not have imported every app's tasks.py yet."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _send(row, now):
    """Hand one locked row to Celery: True when handed over; a failure is counted on the row."""
    # Inline (CELERY_TASK_ALWAYS_EAGER, `make run`) the task runs here, in a savepoint so that its
    # failure rolls back alone. With a broker it is published once, without kombu's own retries
    # (a dead broker fails fast), and nothing is written to the database: no savepoint.
    inline = current_app.conf.task_always_eager
    try:
        with transaction.atomic() if inline else nullcontext():
            _task(row.task).apply_async(kwargs=row.kwargs, retry=False)
    except Exception as exc:  # noqa: BLE001 - the broker (or an inline task) failed: try later
        row.attempts += 1
        row.last_error = type(exc).__name__[:200]
        row.next_attempt_at = now + pause(row.attempts)
        if row.attempts >= MAX_ATTEMPTS:
            row.state = State.FAILED
            transaction.on_commit(lambda: delivery_failed.send(sender=OutboxMessage, row=row))
        row.save(update_fields=["attempts", "last_error", "next_attempt_at", "state"])
        logger.warning("outbox %s (%s) not delivered: %s", row.pk, row.task, row.last_error)
        return False
    return True


def _deliver(queryset, now):
    """Hand the rows to Celery; the ones handed over are marked sent in one UPDATE."""
    with transaction.atomic():
        sent = [row.pk for row in queryset.select_for_update(skip_locked=True) if _send(row, now)]
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(
                state=State.SENT, sent_at=now, attempts=F("attempts") + 1
            )
    return len(sent)


def deliver(keys):
    """After commit: hand the pending rows of these keys to Celery (failures stay pending)."""
    now = timezone.now()
    return _deliver(OutboxMessage.objects.filter(dedup_key__in=keys, state=State.PENDING), now)


def dispatch_pending(now=None, limit=BATCH):
    """Beat: hand every pending row that is due to Celery, oldest first. Returns how many were
    sent. Rows another dispatcher holds are skipped (SELECT ... FOR UPDATE SKIP LOCKED)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now).order_by(
        "created_at", "id"
    )
    pks = list(due.values_list("pk", flat=True)[:limit])
    return _deliver(
        OutboxMessage.objects.filter(pk__in=pks, state=State.PENDING).order_by("created_at", "id"), now
    )


def retry(pk):
    """Put one failed row back to pending, due now, and deliver it after commit. Returns False
    when it is not failed (any more), or when the same key already waits."""
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().filter(pk=pk, state=State.FAILED).first()
        if row is None:
            return False
        if OutboxMessage.objects.filter(dedup_key=row.dedup_key, state=State.PENDING).exists():
            return False
        row.state = State.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: deliver([row.dedup_key]))
    return True


def summary(now=None):
    """Counts for the administrator's page and /metrics: pending, failed, sent in the last 24 h,
    and the age in seconds of the oldest pending row (0 when none). One query."""
    now = now or timezone.now()
    figures = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(state=State.PENDING)),
        failed=Count("pk", filter=Q(state=State.FAILED)),
        sent_last_day=Count("pk", filter=Q(state=State.SENT, sent_at__gte=now - timedelta(days=1))),
        oldest_pending=Min("created_at", filter=Q(state=State.PENDING)),
    )
    oldest = figures.pop("oldest_pending")
    figures["oldest_pending_seconds"] = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    return figures

"""Fault injection against the real services (ADR 0130): the broker dies during 50 referral
submissions, nothing is lost, and every e-mail goes out exactly once when it is back.

The broker is a throwaway redis-server of our own (tests/helpers/broker.py) so that killing it
touches nobody else; the worker is a real Celery worker process on it, writing e-mails as files.
"""

import collections
import contextlib
import time
import uuid
from datetime import timedelta
from email import message_from_bytes

import pytest
import redis
from django.utils import timezone

from portal import outbox
from portal.celery import app
from portal.models import Notification, OutboxMessage
from referrals import services
from tests.helpers.broker import ThrowawayRedis
from tests.helpers.celery_worker import real_worker, shared_database_url
from tests.referrals.factories import complete_referral

SUBMISSIONS = 50
WAIT_SECONDS = 120


@contextlib.contextmanager
def broker_at(url):
    """Point this process's Celery app at `url` and stop running tasks inline."""
    conf = app.conf
    saved = (conf.broker_url, conf.broker_write_url, conf.task_always_eager)
    conf.broker_url, conf.broker_write_url, conf.task_always_eager = url, None, False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None


def _later(hours=1):
    """The dispatcher's clock far enough ahead that every row's pause (at most 30 minutes) has
    passed."""
    return timezone.now() + timedelta(hours=hours)


def mails_by_recipient(folder):
    counts = collections.Counter()
    for path in folder.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                counts[message_from_bytes(chunk.strip())["To"]] += 1
    return counts


def wait_for(condition, what, worker):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, "the worker died"
        time.sleep(0.2)
    raise AssertionError(f"{what} within {WAIT_SECONDS} s")


def ran_heartbeat(url, token):
    client = redis.Redis.from_url(url)
    return any(client.scan_iter(match=f"*heartbeat:{token}"))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_during_50_submissions_loses_nothing_and_mails_each_once(world, tmp_path):
    broker = ThrowawayRedis()
    broker.start()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    sc = world.user("school_coordinator")
    referrals = [complete_referral(world.school, sc) for _ in range(SUBMISSIONS)]
    try:
        with broker_at(broker.url):
            broker.stop()  # the broker is gone before the first submission
            for referral in referrals:
                services.submit(sc, referral)

            # All 50 saved, one e-mail row per notification waiting in the outbox.
            submitted = type(referrals[0]).objects.filter(pk__in=[r.pk for r in referrals])
            assert submitted.filter(status="submitted").count() == SUBMISSIONS
            notifications = Notification.objects.all()
            expected = collections.Counter(n.user.email for n in notifications.select_related("user"))
            assert notifications.count() >= SUBMISSIONS
            rows = OutboxMessage.objects.filter(task="portal.send_notification_email")
            assert rows.filter(state="pending").count() == notifications.count()
            assert (
                rows.filter(state="pending", attempts=1, last_error__gt="").count() == notifications.count()
            )
            assert notifications.filter(emailed_at__isnull=False).count() == 0

            # Still down: the dispatcher sends nothing, loses nothing.
            assert outbox.dispatch_pending(now=_later()) == 0
            assert rows.filter(state="pending").count() == notifications.count()

            broker.start()  # back, empty
            env = dict(
                REDIS_URL=broker.url,
                DATABASE_URL=shared_database_url(),
                CELERY_WORKER_TEST="1",
                TANDEM_TEST_EMAIL_DIR=str(mail_dir),
            )
            with real_worker(queue="celery", **env) as (worker, _queue):
                assert outbox.dispatch_pending(now=_later(2)) == notifications.count()
                assert outbox.dispatch_pending(now=_later(2)) == 0  # the second run finds nothing
                wait_for(
                    lambda: notifications.filter(emailed_at__isnull=True).count() == 0,
                    "not every notification was e-mailed",
                    worker,
                )
                # At least once means twice sometimes: deliver every row again, then a marker
                # task; the worker runs one task at a time in order, so after the marker the
                # duplicates have all been handled.
                rows.update(state="pending")
                assert outbox.dispatch_pending(now=_later(2)) == notifications.count()
                token = uuid.uuid4().hex
                app.send_task("portal.heartbeat", args=[token], queue="celery")
                wait_for(lambda: ran_heartbeat(broker.url, token), "the marker task did not run", worker)

            assert rows.filter(state="sent").count() == notifications.count()
            assert mails_by_recipient(mail_dir) == expected
    finally:
        broker.stop()

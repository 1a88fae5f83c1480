"""The transactional outbox (portal/outbox.py, ADR 0130) without a broker fault: rows are
written with the change, delivered on commit, kept pending while delivery fails, and failed
after MAX_ATTEMPTS; receivers are idempotent."""

from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from portal import outbox
from portal.models import Notification, OutboxMessage
from portal.notifications import notify
from portal.tasks import send_notification_email
from tests.contacts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    task = current_app.tasks["portal.send_notification_email"]

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task, "apply_async", refuse)
    return task


def test_a_notice_is_an_outbox_row_sent_on_commit(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([user], "k", "s", "b", "/x/")
        row = OutboxMessage.objects.get()
        assert row.state == "pending" and row.kwargs == {"notification_id": notification.pk}
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert len(mailoutbox) == 1


def test_broker_down_keeps_rows_pending_then_beat_delivers_each_once(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch, broker_down
):
    users = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users, "k", "s", "b", "/x/")
    assert (
        OutboxMessage.objects.filter(state="pending", attempts=1, last_error="ConnectionRefusedError").count()
        == 2
    )
    assert mailoutbox == []
    assert outbox.dispatch_pending() == 0  # not due yet: the pause after the first failure
    monkeypatch.undo()  # the broker is back
    later = timezone.now() + timedelta(minutes=5)
    assert outbox.dispatch_pending(now=later) == 2
    assert outbox.dispatch_pending(now=later) == 0
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_after_max_attempts_a_row_fails_and_retry_puts_it_back(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        notify([UserFactory()], "k", "s", "b", "/x/")
    row = OutboxMessage.objects.get()
    now = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        now += timedelta(hours=1)
        outbox.dispatch_pending(now=now)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert outbox.dispatch_pending(now=now + timedelta(days=1)) == 0  # failed rows wait for a person
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry(row.pk) is True
    row.refresh_from_db()
    assert row.state == "sent"
    assert outbox.retry(row.pk) is False  # not failed any more
    assert len(mailoutbox) == 1


def test_the_same_pending_key_is_written_once():
    outbox.enqueue("portal.heartbeat", "same-key", token="a")
    outbox.enqueue("portal.heartbeat", "same-key", token="a")
    assert OutboxMessage.objects.filter(dedup_key="same-key").count() == 1


def test_the_email_task_sends_once_however_often_it_runs(mailoutbox):
    notification = Notification.objects.create(user=UserFactory(), kind="k", subject="s", body="b", url="/")
    for _ in range(3):
        send_notification_email(notification.pk)
    assert len(mailoutbox) == 1


def test_a_failing_send_rolls_the_claim_back(monkeypatch, mailoutbox):
    notification = Notification.objects.create(user=UserFactory(), kind="k", subject="s", body="b", url="/")

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        send_notification_email.run(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    send_notification_email(notification.pk)
    assert len(mailoutbox) == 1


def test_published_rows_are_marked_sent_together(monkeypatch, django_assert_max_num_queries):
    """With a broker (not inline): each row is published once, and all that were handed over
    are marked sent in one UPDATE, so delivering six rows costs the statements of one."""
    published = []
    task = current_app.tasks["portal.send_notification_email"]
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(task, "apply_async", lambda kwargs, retry: published.append(kwargs))
    few, many = (
        notify([UserFactory()], "k", "s", "b", "/x/"),
        notify(UserFactory.create_batch(6), "k", "s", "b", "/x/"),
    )
    with django_assert_max_num_queries(4) as one_row:
        assert outbox.deliver([f"notification-email:{n.pk}" for n in few]) == 1
    with django_assert_max_num_queries(len(one_row)):
        assert outbox.deliver([f"notification-email:{n.pk}" for n in many]) == 6
    assert sorted(p["notification_id"] for p in published) == sorted(n.pk for n in [*few, *many])
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


def test_summary_counts_in_one_query(django_assert_num_queries):
    OutboxMessage.objects.create(task="t", dedup_key="a", created_at=timezone.now() - timedelta(minutes=10))
    OutboxMessage.objects.create(task="t", dedup_key="b", state="failed")
    OutboxMessage.objects.create(task="t", dedup_key="c", state="sent", sent_at=timezone.now())
    with django_assert_num_queries(1):
        figures = outbox.summary()
    assert (figures["pending"], figures["failed"], figures["sent_last_day"]) == (1, 1, 1)
    assert figures["oldest_pending_seconds"] >= 600


def test_metrics_show_pending_failed_and_the_oldest_pending_age(client):
    OutboxMessage.objects.create(task="t", dedup_key="a", created_at=timezone.now() - timedelta(minutes=10))
    OutboxMessage.objects.create(task="t", dedup_key="b", state="failed")
    OutboxMessage.objects.create(task="t", dedup_key="c", state="failed")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'tandem_outbox_messages{state="pending"} 1.0' in text
    assert 'tandem_outbox_messages{state="failed"} 2.0' in text
    (line,) = [x for x in text.splitlines() if x.startswith("tandem_outbox_oldest_pending_seconds ")]
    assert float(line.split()[1]) >= 600

"""The registry administrator's message-queue page (ADR 0130): counts, the rows that wait or
failed, and "retry now"; its number of queries does not grow with the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts import services
from portal.models import OutboxMessage
from tests.helpers.queries import assert_queries_pinned, count_queries

pytestmark = pytest.mark.django_db


def _rows(n, state="failed"):
    start = OutboxMessage.objects.count()
    for i in range(n):
        OutboxMessage.objects.create(
            task="portal.send_notification_email",
            kwargs={"notification_id": 0},
            dedup_key=f"page-{start + i}",
            state=state,
            attempts=12 if state == "failed" else 1,
            last_error="OperationalError",
            created_at=timezone.now() - timedelta(hours=2),
        )


def test_the_page_lists_waiting_and_failed_rows_in_dutch(client, world):
    _rows(2)
    _rows(1, state="pending")
    OutboxMessage.objects.create(task="t", dedup_key="done", state="sent", sent_at=timezone.now())
    client.force_login(world.user("registry_admin"))
    html = client.get(reverse("contacts:outbox")).content.decode()
    assert "Berichtenwachtrij" in html and "Verstuurd in de afgelopen 24 uur" in html
    assert html.count("Nu opnieuw proberen") == 2  # failed rows only
    assert html.count("OperationalError") == 3
    assert html.count("portal.send_notification_email") == 3


def test_the_page_says_when_nothing_waits(client, world):
    client.force_login(world.user("registry_admin"))
    assert "Er wacht niets" in client.get(reverse("contacts:outbox")).content.decode()


def test_query_count_is_pinned(client, world):
    client.force_login(world.user("registry_admin"))
    assert_queries_pinned(client, reverse("contacts:outbox"), _rows, expected=_expected(client))


def _expected(client):
    """The page's queries with no rows at all; with 1 and 11 rows it must be the same."""
    return count_queries(client, reverse("contacts:outbox"))[0]


def test_retry_now_puts_a_failed_row_back_and_is_refused_to_others(
    client, world, django_capture_on_commit_callbacks
):
    row = OutboxMessage.objects.create(
        task="portal.heartbeat", kwargs={"token": "x"}, dedup_key="retry", state="failed", attempts=12
    )
    with pytest.raises(services.PermissionDenied):
        services.retry_outbox_message(world.user("steering_member"), row.pk)
    client.force_login(world.user("registry_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contacts:outbox_retry", args=[row.pk]), follow=True)
    assert "Het bericht staat weer in de wachtrij." in response.content.decode()
    row.refresh_from_db()
    assert row.state == "sent"
    response = client.post(reverse("contacts:outbox_retry", args=[row.pk]), follow=True)
    assert "Dit bericht is niet (meer) mislukt" in response.content.decode()

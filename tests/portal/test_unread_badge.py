"""The navigation's unread badge: an htmx fragment the page loads and polls every minute
(portal.views.unread_badge); a poll is not activity and leaves the idle timeout alone (ADR 0042)."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/agenda/?x=1"}


def _notify(user, n, read=False):
    Notification.objects.bulk_create(
        Notification(
            user=user, kind="k", subject="s", body="b", url="/", read_at=timezone.now() if read else None
        )
        for _ in range(n)
    )


def test_the_badge_counts_the_users_own_unread_notifications(client, world):
    user = world.user("school_coordinator")
    _notify(user, 3)
    _notify(user, 2, read=True)
    _notify(world.user("district_worker"), 4)
    client.force_login(user)
    html = client.get(reverse("notifications:unread_badge"), **HTMX).content.decode()
    assert 'aria-hidden="true">3</span>' in html
    assert "(3 ongelezen meldingen)" in html
    assert 'hx-trigger="every 60s"' in html  # no "load": the swapped-in badge must not ask again at once
    assert 'hx-swap="outerHTML"' in html


def test_nothing_shows_without_unread_notifications(client, world):
    user = world.user("school_coordinator")
    _notify(user, 1, read=True)
    client.force_login(user)
    html = client.get(reverse("notifications:unread_badge"), **HTMX).content.decode()
    assert "utrecht-badge-counter" not in html and "ongelezen melding" not in html
    assert f'hx-get="{reverse("notifications:unread_badge")}"' in html  # it keeps polling


def test_the_page_renders_an_empty_badge_that_loads_itself(client, world):
    user = world.user("school_coordinator")
    _notify(user, 2)
    client.force_login(user)
    html = client.get(reverse("notifications:settings")).content.decode()
    assert 'hx-trigger="load, every 60s"' in html
    assert "data-htmx-quiet" in html
    assert "ongelezen meldingen" not in html  # the count comes with the fragment, not the page


def test_the_badge_query_count_does_not_grow_with_the_notifications(client, world):
    user = world.user("district_worker")
    client.force_login(user)
    assert_queries_pinned(client, reverse("notifications:unread_badge"), lambda n: _notify(user, n), 4)


def test_a_poll_does_not_restart_the_idle_timeout_but_a_page_does(client, world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.user("school_coordinator"))
        key = client.session.session_key
        client.get(reverse("notifications:settings"))
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
        before = Session.objects.get(pk=key).expire_date
        traveller.shift(timezone.timedelta(minutes=2))  # past the save margin (ADR 0172)
        assert client.get(reverse("notifications:unread_badge"), **HTMX).status_code == 200
        assert Session.objects.get(pk=key).expire_date == before
        client.get(reverse("notifications:settings"))
        assert Session.objects.get(pk=key).expire_date > before + timezone.timedelta(minutes=20)


def test_logged_out_the_poll_sends_the_whole_page_to_the_login(client):
    response = client.get(reverse("notifications:unread_badge"), **HTMX)
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/agenda/%3Fx%3D1"
    assert client.get(reverse("notifications:unread_badge")).status_code == 302


EXPECTED_NOTIFICATION_LIST_QUERIES = 5


def test_the_notification_list_query_count_is_pinned(client, world):
    """The notification list (make bench's notifications): more notifications, read or not,
    and others' add no query."""
    user = world.user("district_worker")
    client.force_login(user)

    def add(n):
        _notify(user, n)
        _notify(user, n, read=True)
        _notify(world.user("school_coordinator"), n)

    assert_queries_pinned(client, reverse("notifications:list"), add, EXPECTED_NOTIFICATION_LIST_QUERIES)


def test_the_health_check_query_count_is_pinned(client, world):
    """make bench's floor: /healthz, anonymous."""
    assert_queries_pinned(client, reverse("healthz"), lambda n: _notify(world.user("district_worker"), n), 1)

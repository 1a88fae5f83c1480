"""Session lifetime: idle timeout with a warning, absolute timeout of 10 hours (ADR 0042)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from security.middleware import SessionMiddleware
from security.session_keys import SAVED_AT_SESSION_KEY

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
HOME = reverse("home")


def test_settings_default_to_30_minutes_idle_and_10_hours_absolute(settings):
    assert settings.SESSION_IDLE_TIMEOUT == dt.timedelta(minutes=30)
    assert settings.TANDEM_SESSION_TOUCH_SECONDS == 60
    # The session lives the idle timeout after the last save plus the margin (ADR 0172).
    assert settings.SESSION_COOKIE_AGE == 30 * 60 + 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # security.middleware.SessionMiddleware saves
    assert settings.TANDEM_SESSION_ABSOLUTE_TIMEOUT == dt.timedelta(hours=10)


def _session_writes(client, path):
    """The UPDATE and INSERT statements on django_session that a GET of `path` makes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code in (200, 204)
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_request_saves_the_session_only_when_its_last_save_is_a_minute_old(world, client):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.user("steering_member"))
        assert _session_writes(client, HOME) == []  # the login saved it
        traveller.shift(dt.timedelta(seconds=30))
        assert _session_writes(client, HOME) == []
        traveller.shift(dt.timedelta(seconds=29))
        assert _session_writes(client, reverse("security:session_keepalive")) == []
        traveller.shift(dt.timedelta(seconds=1))  # 60 s after the last save
        assert len(_session_writes(client, HOME)) == 1
        assert _session_writes(client, HOME) == []


def test_a_changed_session_is_saved_at_once(rf):
    stored = SessionStore()
    stored.update({"choice": 1, SAVED_AT_SESSION_KEY: timezone.now().timestamp()})
    stored.save()
    request = rf.get(HOME)
    request.session = SessionStore(stored.session_key)
    request.session["choice"] = 2  # changed a second after the last save

    SessionMiddleware(lambda r: HttpResponse()).process_response(request, HttpResponse())

    assert SessionStore(stored.session_key).load()["choice"] == 2


def test_the_idle_timeout_counts_from_the_last_request_even_without_a_save(world, client):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.user("steering_member"))
        client.get(HOME)  # saved at 0:00
        traveller.shift(dt.timedelta(seconds=59))
        assert _session_writes(client, HOME) == []  # not saved at 0:59
        traveller.shift(dt.timedelta(minutes=29, seconds=59))  # 30 min after the last request
        assert client.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=31, seconds=2))
        response = client.get(HOME)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_with_no_margin_every_request_saves(world, client, settings):
    settings.TANDEM_SESSION_TOUCH_SECONDS = 0
    client.force_login(world.user("steering_member"))
    client.get(HOME)
    assert len(_session_writes(client, HOME)) == 1
    assert len(_session_writes(client, HOME)) == 1


def test_an_anonymous_visit_makes_no_session(client):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()


def test_idle_timeout_ends_the_session(world, client):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.user("steering_member"))
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # restarts the idle timer
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("security:session_keepalive")).status_code == 204
        traveller.shift(dt.timedelta(minutes=31, seconds=1))  # past the idle timeout and its margin
        response = client.get(HOME)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_active_session_still_ends_after_10_hours(world, client):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.user("district_worker"))
        for _ in range(23):  # active every 25 minutes: 9 h 35 min
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=24))  # 9 h 59 min
        assert client.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=2))  # 10 h 1 min
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "te lang was ingelogd" in page.content.decode()


def test_logged_in_pages_carry_the_timeout_warning(world, client, settings):
    client.force_login(world.user("steering_member"))
    content = client.get(HOME).content.decode()
    assert f'data-session-idle-seconds="{30 * 60}"' in content  # the idle timeout, not its margin
    assert 'id="session-timeout-dialog"' in content
    assert "js/session-timeout.js" in content
    client.logout()
    anonymous = client.get(reverse("login")).content.decode()
    assert "session-timeout" not in anonymous


def test_keepalive_refuses_anonymous_users(client):
    assert client.get(reverse("security:session_keepalive")).status_code == 401

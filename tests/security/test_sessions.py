"""Session lifetime: idle timeout with a warning, absolute timeout of 10 hours (ADR 0042)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
HOME = reverse("home")


def test_settings_default_to_30_minutes_idle_and_10_hours_absolute(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.TANDEM_SESSION_ABSOLUTE_TIMEOUT == dt.timedelta(hours=10)


def test_idle_timeout_ends_the_session(world, client):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.user("steering_member"))
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # restarts the idle timer
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("security:session_keepalive")).status_code == 204
        traveller.shift(dt.timedelta(minutes=31))
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
    assert f'data-session-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in content
    assert 'id="session-timeout-dialog"' in content
    assert "js/session-timeout.js" in content
    client.logout()
    anonymous = client.get(reverse("login")).content.decode()
    assert "session-timeout" not in anonymous


def test_keepalive_refuses_anonymous_users(client):
    assert client.get(reverse("security:session_keepalive")).status_code == 401

from django.urls import reverse

from portal.models import Notification
from tests.helpers.matrix import Case

EVERYONE_200 = {"no_membership": 200}


def _notification_url(w):
    n = Notification.objects.create(
        user=w.user("school_coordinator"), kind="k", subject="s", body="b", url="/"
    )
    return reverse("notifications:read", args=[n.pk])


CASES = [
    Case("home", lambda w: reverse("home"), default=200),
    Case("favicon", lambda w: reverse("favicon"), default=302, anonymous=302),
    Case("healthz", lambda w: reverse("healthz"), default=200, anonymous=200),
    # By address or token, not by role (tests/portal/test_metrics.py): the test client is 127.0.0.1.
    Case("metrics", lambda w: reverse("metrics"), default=200, anonymous=200),
    Case("login", lambda w: reverse("login"), default=302, anonymous=200),
    Case("logout", lambda w: reverse("logout"), method="post", default=302, anonymous=302),
    Case("password_change", lambda w: reverse("password_change"), default=200),
    Case("password_change_done", lambda w: reverse("password_change_done"), default=200),
    Case("password_reset", lambda w: reverse("password_reset"), default=200, anonymous=200),
    Case("password_reset_done", lambda w: reverse("password_reset_done"), default=200, anonymous=200),
    Case(
        "password_reset_confirm",
        lambda w: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        default=200,
        anonymous=200,
    ),
    Case("password_reset_complete", lambda w: reverse("password_reset_complete"), default=200, anonymous=200),
    Case(
        "set_language",
        lambda w: reverse("set_language"),
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        default=302,
        anonymous=302,
    ),
    Case("notifications:list", lambda w: reverse("notifications:list"), default=200),
    Case("notifications:unread_count", lambda w: reverse("notifications:unread_count"), default=200),
    Case("notifications:read_all", lambda w: reverse("notifications:read_all"), method="post", default=302),
    # Everyone's own notification settings (ADR 0152): a page for every logged-in user.
    Case("notifications:settings", lambda w: reverse("notifications:settings"), default=200),
    Case(
        "notifications:settings",
        lambda w: reverse("notifications:settings"),
        method="post",
        data=lambda w: {"language": "nl", "delivery": "daily_digest"},
        default=302,
        label="save",
    ),
    Case(
        "notifications:read",
        _notification_url,
        method="post",
        data=lambda w: {},
        default=404,
        expect={"school_coordinator": 302},
    ),
]

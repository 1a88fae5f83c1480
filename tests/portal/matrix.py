from django.urls import reverse

from portal.models import Notification
from tests.helpers.matrix import LIST, NONE, Case

EVERYONE_200 = {"no_membership": 200}


def _home_seed(w):
    """The home page counts what waits, it does not list it: the district worker's count."""
    from tests.referrals.factories import referral_in

    referral_in(w, "submitted")
    return ["1 nieuwe aanmeldingen"]


def _notification_seed(w):
    Notification.objects.create(
        user=w.user("school_coordinator"), kind="k", subject="Bericht in Testregio", body="b", url="/"
    )
    return ["Bericht in Testregio"]


def _unread_seed(w):
    """The unread count is a number: the region's user has one, another region's none."""
    _notification_seed(w)
    return ['"count": 1']


def _notification_url(w):
    n = Notification.objects.create(
        user=w.user("school_coordinator"), kind="k", subject="s", body="b", url="/"
    )
    return reverse("notifications:read", args=[n.pk])


CASES = [
    Case("home", lambda w: reverse("home"), default=200, region=LIST, seed=_home_seed),
    Case("favicon", lambda w: reverse("favicon"), region=NONE, default=302, anonymous=302),
    Case("healthz", lambda w: reverse("healthz"), region=NONE, default=200, anonymous=200),
    # By address or token, not by role (tests/portal/test_metrics.py): the test client is 127.0.0.1.
    Case("metrics", lambda w: reverse("metrics"), region=NONE, default=200, anonymous=200),
    Case("login", lambda w: reverse("login"), region=NONE, default=302, anonymous=200),
    Case("logout", lambda w: reverse("logout"), region=NONE, method="post", default=302, anonymous=302),
    Case("password_change", lambda w: reverse("password_change"), region=NONE, default=200),
    Case("password_change_done", lambda w: reverse("password_change_done"), region=NONE, default=200),
    Case("password_reset", lambda w: reverse("password_reset"), region=NONE, default=200, anonymous=200),
    Case(
        "password_reset_done",
        lambda w: reverse("password_reset_done"),
        region=NONE,
        default=200,
        anonymous=200,
    ),
    Case(
        "password_reset_confirm",
        lambda w: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        region=NONE,  # a token, not an object of a region
        default=200,
        anonymous=200,
    ),
    Case(
        "password_reset_complete",
        lambda w: reverse("password_reset_complete"),
        region=NONE,
        default=200,
        anonymous=200,
    ),
    Case(
        "set_language",
        lambda w: reverse("set_language"),
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        region=NONE,
        default=302,
        anonymous=302,
    ),
    Case(
        "notifications:list",
        lambda w: reverse("notifications:list"),
        default=200,
        region=LIST,
        seed=_notification_seed,
    ),
    Case(
        "notifications:unread_count",
        lambda w: reverse("notifications:unread_count"),
        default=200,
        region=LIST,
        seed=_unread_seed,
    ),
    Case(
        "notifications:read_all",
        lambda w: reverse("notifications:read_all"),
        method="post",
        default=302,
        region=NONE,  # the user's own notifications
    ),
    # Everyone's own notification settings (ADR 0152): a page for every logged-in user.
    Case(
        "notifications:settings",
        lambda w: reverse("notifications:settings"),
        default=200,
        region=NONE,  # the user's own settings
    ),
    Case(
        "notifications:settings",
        lambda w: reverse("notifications:settings"),
        method="post",
        data=lambda w: {"language": "nl", "delivery": "daily_digest"},
        default=302,
        label="save",
        region=NONE,
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

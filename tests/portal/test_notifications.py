import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from portal.models import Notification
from portal.notifications import notify
from portal.tasks import send_notification_email
from tests.contacts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_per_user_and_mails_once(django_capture_on_commit_callbacks, mailoutbox):
    a, b = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            [a, b, a], "referral_submitted", "Er wacht een aanmelding", "Er wacht een aanmelding op u.", "/x/"
        )
    assert len(created) == 2
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject == "Tandem: Er wacht een aanmelding"
    assert "/x/" in mailoutbox[0].body
    send_notification_email(created[0].pk)  # again: idempotent
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_inactive_users_are_not_notified(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([user], "k", "s", "b", "/") == []
    assert mailoutbox == []


def test_notifications_are_written_in_the_site_language_whatever_the_actor_browses_in():
    user = UserFactory()
    subject = gettext_lazy("An escalation waits for your decision")
    with translation.override("nl"):
        dutch = str(subject)
    with translation.override("en"):
        (notification,) = notify([user], "k", subject, subject, "/")
    assert dutch != "An escalation waits for your decision"
    assert notification.subject == notification.body == dutch

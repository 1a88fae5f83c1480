import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from portal.models import Notification, OutboxMessage
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


def test_a_notice_to_many_costs_the_queries_of_a_notice_to_one(django_assert_num_queries):
    """The preferences, the notifications and their outbox rows: three statements whatever the
    number of recipients."""
    one, many = [UserFactory()], UserFactory.create_batch(6)
    with django_assert_num_queries(3):
        notify(one, "k", "s", "b", "/x/", reference="AJS-2026-00001")
    with django_assert_num_queries(3):
        created = notify(many, "k", "s", "b", "/x/", reference="AJS-2026-00001")
    assert sorted(n.user_id for n in created) == sorted(u.pk for u in many)
    assert all(n.pk and n.created_at for n in created)
    assert OutboxMessage.objects.filter(
        dedup_key__in=[f"notification-email:{n.pk}" for n in created], state="pending"
    ).count() == len(many)


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


def test_notifications_page_and_mark_read(client, world):
    user = world.user("school_coordinator")
    n = Notification.objects.create(
        user=user, kind="k", subject="Er wacht iets", body="b", url="/aanmeldingen/"
    )
    client.force_login(user)
    assert "(1 ongelezen melding)" in client.get(reverse("notifications:unread_badge")).content.decode()
    assert "Er wacht iets" in client.get(reverse("notifications:list")).content.decode()
    response = client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
    assert response["Location"] == "/aanmeldingen/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert "ongelezen melding" not in client.get(reverse("notifications:unread_badge")).content.decode()
    client.force_login(world.user("district_worker"))
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404


def test_notification_open_never_redirects_off_site(client, world):
    user = world.user("school_coordinator")
    n = Notification.objects.create(user=user, kind="k", subject="s", body="b", url="//evil.example/")
    client.force_login(user)
    response = client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:list")

"""Notification e-mails (ADR 0152): a text and an HTML part from templates/emails/, in the
recipient's language, with a greeting, what waits, the link and a footer; and the daily digest
(portal.send_digests, portal.send_digest_email): one e-mail per person with what was not
e-mailed yet, at most once, nothing when nothing is new, immediate recipients untouched."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from portal import services
from portal.models import Notification, NotificationPreference, OutboxMessage
from portal.notifications import notify
from portal.tasks import send_digest_email, send_digests
from tests.contacts.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = gettext_lazy("An escalation waits for your decision")
BODY = gettext_lazy("A position was added to an escalation that waits for your decision.")
REFERENCE = "AJS-2026-00042"
SETTINGS_PATH = "/aanmeldingen/meldingen/instellingen/"
ROOT = Path(__file__).resolve().parents[2]


def _dutch(text):
    with translation.override("nl"):
        return str(text)


def _english(text):
    with translation.override("en"):
        return str(text)


def _parts(message):
    (html, mimetype), *_rest = message.alternatives
    assert mimetype == "text/html" and not _rest
    return message.body, html


def _prefer(user, language="nl", delivery="immediate"):
    return NotificationPreference.objects.create(user=user, language=language, delivery=delivery)


class _Links(HTMLParser):
    """The HTML's lang, headings and (href, text) of every link."""

    def __init__(self):
        super().__init__()
        self.lang, self.headings, self.links, self._href, self._text, self._in = None, [], [], None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self._href, self._text = attrs.get("href"), []
        if tag in ("h1", "h2"):
            self._in, self._text = tag, []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text).split())
        if tag == "a" and self._href is not None:
            self.links.append((self._href, text))
            self._href = None
        if tag == self._in:
            self.headings.append((tag, text))
            self._in = None


def _parse(html):
    parser = _Links()
    parser.feed(html)
    return parser


def _notify_one(user, django_capture_on_commit_callbacks, url="/aanmeldingen/abc/"):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify([user], "escalation_position", SUBJECT, BODY, url, reference=REFERENCE)
    return notification


# --- one notification, one e-mail --------------------------------------------------------------


def test_the_email_has_a_text_and_an_html_part_with_greeting_what_waits_link_and_footer(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(full_name="Fenna de Vries", email="fenna@example.test")
    _notify_one(user, django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    text, html = _parts(message)
    link = f"{settings.SITE_URL}/aanmeldingen/abc/"
    settings_link = f"{settings.SITE_URL}{SETTINGS_PATH}"
    assert message.to == ["fenna@example.test"]
    assert message.subject == f"Tandem: {REFERENCE} · {_dutch(SUBJECT)}"
    for part in (text, html):
        assert "Beste Fenna de Vries," in part
        assert _dutch(SUBJECT) in part and _dutch(BODY) in part
        assert f"Zaak: {REFERENCE}" in re.sub(r"<[^>]+>", "", part)
        assert link in part and settings_link in part
        assert "omdat u een account hebt in Tandem onder fenna@example.test" in part
        assert "voor elke melding een e-mail" in part
    parsed = _parse(html)
    assert parsed.lang == "nl"
    assert parsed.headings == [("h1", _dutch(SUBJECT))]
    assert (link, f"{REFERENCE} openen in Tandem") in parsed.links
    assert (settings_link, "Uw meldingsinstellingen wijzigen in Tandem") in parsed.links
    assert "<h1" in html and 'style="' in html
    assert "<" not in text, "the text part has no markup"
    assert "&amp;" not in text and "&#x27;" not in text


def test_a_sender_browsing_in_english_mails_a_dutch_recipient_in_dutch(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with translation.override("en"):
        _notify_one(user, django_capture_on_commit_callbacks)
    text, html = _parts(mailoutbox[0])
    assert _dutch(SUBJECT) != _english(SUBJECT)
    for part in (mailoutbox[0].subject, text, html):
        assert _dutch(SUBJECT) in part and _english(SUBJECT) not in part
    assert "Beste " in text and "Dear " not in text
    assert _parse(html).lang == "nl"


def test_a_recipient_who_chose_english_gets_english_whatever_the_sender_browses_in(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(full_name="Sam Jansen")
    _prefer(user, language="en")
    with translation.override("nl"):
        notification = _notify_one(user, django_capture_on_commit_callbacks)
    text, html = _parts(mailoutbox[0])
    assert notification.subject == f"{REFERENCE} · {_english(SUBJECT)}"
    for part in (text, html):
        assert "Dear Sam Jansen," in part and _english(BODY) in part
        assert "Change your notification settings in Tandem" in part
    assert _parse(html).lang == "en"
    assert (f"{settings.SITE_URL}/aanmeldingen/abc/", f"Open {REFERENCE} in Tandem") in _parse(html).links


def test_a_notification_without_a_reference_links_to_itself_in_words(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "k", SUBJECT, BODY, "/x/")
    text, html = _parts(mailoutbox[0])
    assert "Zaak:" not in text
    assert (f"{settings.SITE_URL}/x/", "Deze melding openen in Tandem") in _parse(html).links


def test_notification_title_and_text_without_the_reference():
    n = Notification(subject=f"{REFERENCE} · Iets", body=f"{REFERENCE}: Tekst", reference=REFERENCE)
    assert (n.title, n.text) == ("Iets", "Tekst")
    loose = Notification(subject="Iets", body="Tekst")
    assert (loose.title, loose.text) == ("Iets", "Tekst")


# --- the daily digest -------------------------------------------------------------------------


def test_a_digest_recipient_gets_no_email_at_once(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    _prefer(user, delivery="daily_digest")
    notification = _notify_one(user, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()
    notification.refresh_from_db()
    assert notification.emailed_at is None


def _digest(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_digests()


def test_the_digest_sends_one_email_per_person_grouped_by_case_then_nothing_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    anna, bram = UserFactory(full_name="Anna Bos"), UserFactory(full_name="Bram Kok")
    for user in (anna, bram):
        _prefer(user, delivery="daily_digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify([anna, bram], "a", SUBJECT, BODY, "/een/", reference="AJS-2026-00001")
        notify(
            [anna],
            "b",
            gettext_lazy("A referral was not escalated"),
            BODY,
            "/twee/",
            reference="AJS-2026-00002",
        )
        notify(
            [anna], "c", gettext_lazy("An escalation was decided"), BODY, "/drie/", reference="AJS-2026-00001"
        )
        notify([anna], "d", gettext_lazy("A data-subject request is due soon"), BODY, "/vier/")
    assert mailoutbox == []

    assert _digest(django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([anna.email, bram.email])
    to_anna = next(m for m in mailoutbox if m.to == [anna.email])
    assert to_anna.subject == "Tandem: 4 nieuwe meldingen"
    text, html = _parts(to_anna)
    parsed = _parse(html)
    assert parsed.lang == "nl"
    assert parsed.headings == [
        ("h1", "4 nieuwe meldingen in Tandem"),
        ("h2", "Zaak AJS-2026-00001"),
        ("h2", "Zaak AJS-2026-00002"),
        ("h2", "Overige meldingen"),
    ]
    # The two notices about case 1 stand together under its heading, in the order they came.
    case_one = html.split("Zaak AJS-2026-00001")[1].split("Zaak AJS-2026-00002")[0]
    decided = _dutch(gettext_lazy("An escalation was decided"))
    assert decided != "An escalation was decided"
    assert case_one.index(_dutch(SUBJECT)) < case_one.index(decided)
    assert (f"{settings.SITE_URL}/twee/", "AJS-2026-00002 openen in Tandem") in parsed.links
    assert (f"{settings.SITE_URL}/vier/", "Deze melding openen in Tandem") in parsed.links
    assert (f"{settings.SITE_URL}/aanmeldingen/meldingen/", "Al uw meldingen in Tandem") in parsed.links
    for part in (text, html):
        assert "Beste Anna Bos," in part
        assert f"{settings.SITE_URL}{SETTINGS_PATH}" in part
        assert "één e-mail per dag" in part
    assert f"{settings.SITE_URL}/drie/" in text
    to_bram = next(m for m in mailoutbox if m.to == [bram.email])
    assert to_bram.subject == "Tandem: 1 nieuwe melding"
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0

    # Idempotent: the same beat run again, or the same outbox row delivered twice, sends nothing.
    assert _digest(django_capture_on_commit_callbacks) == 0
    send_digest_email(anna.pk)
    assert len(mailoutbox) == 2

    # The next day only what is new since: one new notice, one e-mail to Bram alone.
    with django_capture_on_commit_callbacks(execute=True):
        notify([bram], "e", SUBJECT, BODY, "/vijf/", reference="AJS-2026-00005")
    assert _digest(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 3 and mailoutbox[2].to == [bram.email]
    assert "AJS-2026-00005" in mailoutbox[2].body and "AJS-2026-00001" not in mailoutbox[2].body


def test_the_digest_leaves_immediate_recipients_and_people_with_nothing_new_alone(
    mailoutbox, django_capture_on_commit_callbacks
):
    immediate, quiet = UserFactory(), UserFactory()
    _prefer(quiet, delivery="daily_digest")
    never_chose = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([immediate, never_chose], "a", SUBJECT, BODY, "/een/", reference=REFERENCE)
    assert len(mailoutbox) == 2  # at once, as before
    # An immediate e-mail that could not be sent yet (its outbox row still pending) is not
    # the digest's: the outbox sends it.
    Notification.objects.filter(user=immediate).update(emailed_at=None)
    assert _digest(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2
    assert not OutboxMessage.objects.filter(task="portal.send_digest_email").exists()
    send_digest_email(quiet.pk)  # a digest for someone with nothing new: no e-mail
    assert len(mailoutbox) == 2


def test_a_failing_digest_send_keeps_the_notifications_for_the_retry(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    user = UserFactory()
    _prefer(user, delivery="daily_digest")
    _notify_one(user, django_capture_on_commit_callbacks)

    def broken(self, fail_silently=False):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        send_digest_email.run(user.pk)
    assert Notification.objects.get(user=user).emailed_at is None
    monkeypatch.undo()
    send_digest_email(user.pk)
    assert len(mailoutbox) == 1


def test_the_digest_is_in_the_recipients_language(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Sam Jansen")
    _prefer(user, language="en", delivery="daily_digest")
    _notify_one(user, django_capture_on_commit_callbacks)
    with translation.override("nl"):
        _digest(django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    text, html = _parts(message)
    assert message.subject == "Tandem: 1 new notification"
    assert _parse(html).lang == "en"
    for part in (text, html):
        assert "Dear Sam Jansen," in part and _english(SUBJECT) in part and f"Case {REFERENCE}" in part


def test_leaving_the_digest_sends_what_it_had_collected_at_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    _prefer(user, delivery="daily_digest")
    _notify_one(user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_notification_preferences(user, language="nl", delivery="immediate")
    (message,) = mailoutbox
    assert message.subject == "Tandem: 1 nieuwe melding"
    _notify_one(user, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2 and mailoutbox[1].subject.startswith(f"Tandem: {REFERENCE} · ")


def test_the_digest_runs_daily_at_the_configured_hour_in_amsterdam():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-send-digests"]
    assert entry["task"] == "portal.send_digests"
    assert entry["schedule"].hour == {settings.TANDEM_DIGEST_HOUR} and entry["schedule"].minute == {0}
    assert settings.TANDEM_DIGEST_HOUR == 7
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


@pytest.mark.parametrize(
    "value, expected", [("5", "hour 5"), ("24", "TANDEM_DIGEST_HOUR"), ("-1", "TANDEM_DIGEST_HOUR")]
)
def test_the_digest_hour_comes_from_the_environment_and_must_be_an_hour_of_the_day(value, expected):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print('hour', *s.CELERY_BEAT_SCHEDULE['portal-send-digests']['schedule'].hour)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings_test", TANDEM_DIGEST_HOUR=value)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert expected in result.stdout + result.stderr
    assert (result.returncode == 0) == (value == "5")


# --- the settings page ------------------------------------------------------------------------


def test_the_settings_page_saves_language_and_delivery(client, world):
    user = world.user("district_worker")
    client.force_login(user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'value="immediate" class="utrecht-radio-button utrecht-radio-button--html-input"' in page
    assert re.search(r'value="immediate"[^>]*checked', page) and re.search(r'value="nl"[^>]*checked', page)
    response = client.post(reverse("notifications:settings"), {"language": "en", "delivery": "daily_digest"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:settings")
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.language, preference.delivery) == ("en", "daily_digest")
    page = client.get(reverse("notifications:settings")).content.decode()
    assert re.search(r'value="daily_digest"[^>]*checked', page)
    assert "Uw meldingsinstellingen zijn opgeslagen." in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"language": "fr", "delivery": "immediate"}, "language", "Kies een van de getoonde talen."),
        ({"language": "nl", "delivery": "hourly"}, "delivery", "Kies een van de getoonde mogelijkheden."),
        ({"language": "nl\x00", "delivery": "immediate\x00"}, "language", "Kies een van de getoonde talen."),
        ({}, "delivery", "Kies wanneer u een e-mail wilt."),
    ],
)
def test_bad_input_gets_a_dutch_message_at_the_field_and_changes_nothing(client, world, data, field, message):
    user = world.user("school_coordinator")
    _prefer(user, language="nl", delivery="immediate")
    client.force_login(user)
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert "<title>Fout: " in page
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.language, preference.delivery) == ("nl", "immediate")


def test_the_notification_list_links_to_the_settings(client, world):
    client.force_login(world.user("steering_member"))
    assert f'href="{SETTINGS_PATH}"' in client.get(reverse("notifications:list")).content.decode()


def test_notified_before_an_hour_ago_still_counts_in_the_digest(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    _prefer(user, delivery="daily_digest")
    notification = _notify_one(user, django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=3))
    _digest(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1

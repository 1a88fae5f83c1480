"""Notify users in the portal and by e-mail (through Celery).

Callers pass a kind, a subject and a text that contain NO child data ("A referral is waiting
for you"), a link to the object and the reference that tells the case apart from the others
(a referral's reference number such as AJS-2026-00042, never the child's name: ADR 0115). The
subject names the kind of event and starts with the reference, so that fifteen notices (and
their e-mails) in a row say which case each is about.
The task receives only the notification id, through the outbox.

Every notification is written in its recipient's language (their notification settings,
default settings.LANGUAGE_CODE), whatever language the acting user browses in: pass lazy
translations (gettext_lazy), notify() renders them once per recipient (ADR 0152).

A recipient who chose the daily digest gets no e-mail now: the beat task portal.send_digests
collects what was not e-mailed yet (portal/tasks.py).
"""

from django.utils import translation

from portal import outbox
from portal.models import Notification, NotificationPreference

EMAIL_TASK = "portal.send_notification_email"


def preferences_of(users):
    """{user id: NotificationPreference} for `users`, in one query; the defaults for those who
    never chose."""
    saved = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users])}
    return {u.pk: saved.get(u.pk) or NotificationPreference(user=u) for u in users}


def notify(users, kind, subject, body, url, reference=""):
    """Create one notification per user (duplicates removed) and, in the same transaction, one
    outbox row per e-mail to send at once (portal/outbox.py, ADR 0130), handed to Celery after
    the commit. Returns the notifications."""
    seen, recipients = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    preferences = preferences_of(recipients)
    rendered = {}  # language -> (subject, body, reference)
    unsaved = []
    for user in recipients:
        preference = preferences[user.pk]
        if preference.language not in rendered:
            with translation.override(preference.language):
                texts = str(subject), str(body), str(reference or "")
            if texts[2]:
                texts = f"{texts[2]} · {texts[0]}", f"{texts[2]}: {texts[1]}", texts[2]
            rendered[preference.language] = texts
        subject_text, body_text, reference_text = rendered[preference.language]
        unsaved.append(
            Notification(
                user=user, kind=kind, subject=subject_text, body=body_text, url=url, reference=reference_text
            )
        )
    # One INSERT for all recipients; PostgreSQL (and SQLite 3.35+) return the new ids.
    created = Notification.objects.bulk_create(unsaved)
    immediate = [
        n for n in created if preferences[n.user_id].delivery == NotificationPreference.Delivery.IMMEDIATE
    ]
    outbox.enqueue_many(
        (EMAIL_TASK, f"notification-email:{n.pk}", {"notification_id": n.pk}) for n in immediate
    )
    return created

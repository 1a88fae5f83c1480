"""Notify users in the portal and by e-mail (through Celery).

Callers pass a kind, a subject and a text that contain NO child data ("A referral is waiting
for you"), a link to the object and the reference that tells the case apart from the others
(a referral's reference number such as AJS-2026-00042, never the child's name: ADR 0115). The
subject names the kind of event and starts with the reference, so that fifteen notices (and
their e-mails) in a row say which case each is about.
The task receives only the notification id, through the outbox.

Every notification is written in the site's language (settings.LANGUAGE_CODE), whatever
language the acting user browses in: pass lazy translations (gettext_lazy), notify() renders
them.
"""

from django.conf import settings
from django.utils import translation

from portal import outbox
from portal.models import Notification

EMAIL_TASK = "portal.send_notification_email"


def notify(users, kind, subject, body, url, reference=""):
    """Create one notification per user (duplicates removed) and, in the same transaction, one
    outbox row per e-mail (portal/outbox.py, ADR 0130), handed to Celery after the commit.
    Returns the notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body, reference = str(subject), str(body), str(reference or "")
    if reference:
        subject, body = f"{reference} · {subject}", f"{reference}: {body}"
    seen, created = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(Notification.objects.create(user=user, kind=kind, subject=subject, body=body, url=url))
    outbox.enqueue_many(
        (EMAIL_TASK, f"notification-email:{n.pk}", {"notification_id": n.pk}) for n in created
    )
    return created

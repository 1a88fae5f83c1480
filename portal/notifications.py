"""Notify users in the portal and by e-mail (through Celery).

Callers pass a kind, a subject and a text that contain NO child data ("A referral is waiting
for you"), a link to the object and the reference that tells the case apart from the others
(a referral's reference number such as AJS-2026-00042, never the child's name: ADR 0115). The
subject names the kind of event and starts with the reference, so that fifteen notices (and
their e-mails) in a row say which case each is about. The task receives only the notification id.

Every notification is written in the site's language (settings.LANGUAGE_CODE), whatever
language the acting user browses in: pass lazy translations (gettext_lazy), notify() renders
them.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from portal.models import Notification
from portal.tasks import send_notification_email


def notify(users, kind, subject, body, url, reference=""):
    """Create one notification per user (duplicates removed) and queue their e-mails after the
    surrounding transaction commits. Returns the notifications."""
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
    for notification in created:
        transaction.on_commit(lambda pk=notification.pk: send_notification_email.delay(pk))
    return created

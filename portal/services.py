"""The portal's own user actions (one function per action; views stay thin)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal import outbox
from portal.models import NotificationPreference

DIGEST_TASK = "portal.send_digest_email"


def save_notification_preferences(user, *, language, delivery):
    """A person sets the language of their notification e-mails and whether they come at once
    or in a daily digest (ADR 0152). Someone who leaves the digest gets what it had collected
    so far at once, in one last digest, instead of waiting for a digest that no longer comes."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        left_digest = (
            preference.delivery == NotificationPreference.Delivery.DAILY_DIGEST
            and delivery == NotificationPreference.Delivery.IMMEDIATE
        )
        preference.language, preference.delivery = language, delivery
        preference.save()
        if left_digest:
            outbox.enqueue(DIGEST_TASK, f"digest:{user.pk}", user_id=user.pk)
    return preference

"""The device that verified a session, read from the cache (ADR 0176).

django-otp's middleware loads the session's verifying device from the database on every
request, only to check that it still exists, is confirmed and belongs to the user: one query
on every page (bench/FINDINGS.md). The device is kept in the cache for
TANDEM_OTP_DEVICE_CACHE_SECONDS instead. Every save or delete of a device removes its entry at
once and again after the commit, so a device that is removed (two-step verification reset,
recovery codes replaced) stops verifying from the next request on, as before.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware


def _key(persistent_id):
    return f"tandem:otp-device:{persistent_id}"


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's OTPMiddleware, its device lookup from the cache."""

    def _device_from_persistent_id(self, persistent_id):
        seconds = settings.TANDEM_OTP_DEVICE_CACHE_SECONDS
        if seconds <= 0:
            return super()._device_from_persistent_id(persistent_id)
        key = _key(self._normalize_persistent_id(persistent_id))
        device = cache.get(key)
        if device is None:
            device = super()._device_from_persistent_id(persistent_id)
            if device is not None:
                cache.set(key, device, timeout=seconds)
        return device


def forget_device(sender, instance, **kwargs):
    key = _key(instance.persistent_id)
    cache.delete(key)
    # A request that read the device before this change committed may have cached it again.
    transaction.on_commit(lambda: cache.delete(key))


def watch_devices(*models):
    for model in models:
        label = model._meta.label
        post_save.connect(forget_device, sender=model, dispatch_uid=f"otp-device-{label}")
        post_delete.connect(forget_device, sender=model, dispatch_uid=f"otp-device-del-{label}")

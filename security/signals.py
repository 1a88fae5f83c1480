"""Receivers: login time for the absolute timeout, lockout log entry, ending the sessions of
a disabled account."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from security import services
from security.session_keys import ENROLMENT_SESSION_KEY, LOGIN_AT_SESSION_KEY, SAVED_AT_SESSION_KEY

logger = logging.getLogger("tandem.security")


@receiver(user_logged_in, dispatch_uid="tandem-security-logged-in")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[LOGIN_AT_SESSION_KEY] = now
    # The login's response saves the session (it changed); the next save is due a margin later.
    request.session[SAVED_AT_SESSION_KEY] = now
    services.remember_enrolment(request, user)
    if request.session[ENROLMENT_SESSION_KEY] == "none":
        # Without 2FA the password completes the login; with 2FA the code does (services).
        services.reset_failed_logins(user)


@receiver(user_locked_out, dispatch_uid="tandem-security-locked-out")
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    users = get_user_model().objects.filter(email__iexact=username or "")
    user_id = users.values_list("pk", flat=True).first()
    logger.warning(
        "login locked out after %s failures: user=%s ip=%s",
        settings.AXES_FAILURE_LIMIT,
        user_id if user_id is not None else "unknown",
        ip_address,
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tandem-security-deactivated")
def on_user_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        ended = services.end_sessions(instance)
        if ended:
            logger.info("account disabled: %s sessions ended user=%s", ended, instance.pk)

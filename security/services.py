"""Two-factor authentication and session rules: one function per user action (ADR 0040-0042).

django-otp keeps the devices: a TOTP device (authenticator app) and a static device holding
single-use recovery codes. A session counts as verified once `django_otp.login` has stored a
device in it; `TwoFactorMiddleware` sends users who must verify or enrol there first.
"""

import base64
import logging
import re
import secrets

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import services as contacts_services
from contacts.models import Membership
from contacts.permissions import roles
from security.session_keys import ENROLMENT_SESSION_KEY, SSO_PROVIDER_SESSION_KEY

logger = logging.getLogger("tandem.security")

TOTP_DEVICE_NAME = "authenticator-app"
RECOVERY_DEVICE_NAME = "recovery-codes"
RECOVERY_CODE_DIGITS = 10
# The django-otp device that stands for "the identity provider verified this login" (ADR 0138):
# a static device without codes, so it can mark a session verified and never accepts a code.
SSO_DEVICE_NAME = "identity-provider"


def requires_two_factor(user):
    """Every account with a role, and admin-site users, must use 2FA (ADR 0136)."""
    if not settings.TANDEM_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or roles(user))


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(request, user):
    request.session[ENROLMENT_SESSION_KEY] = "enrolled" if has_two_factor(user) else "none"


def is_enrolled(request):
    """Whether the logged-in user has 2FA, from the session (no query on every request)."""
    state = request.session.get(ENROLMENT_SESSION_KEY)
    if state is None:
        remember_enrolment(request, request.user)
        state = request.session[ENROLMENT_SESSION_KEY]
    return state == "enrolled"


def normalise_code(value):
    return re.sub(r"[\s-]", "", value or "")


def start_enrolment(user):
    """The user's unconfirmed TOTP device (a new secret when there is none yet)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device):
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The otpauth:// URL as an inline SVG QR code (no external request, no inline style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, light="#ffffff")
    label = escape(_("QR code to scan with your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308 - segno output and an escaped label


def _new_recovery_code():
    return f"{secrets.randbelow(10**RECOVERY_CODE_DIGITS):0{RECOVERY_CODE_DIGITS}d}"


def format_recovery_code(code):
    half = RECOVERY_CODE_DIGITS // 2
    return f"{code[:half]}-{code[half:]}"


def regenerate_recovery_codes(user):
    """Replace all recovery codes of the user by new ones and return them."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [_new_recovery_code() for _ in range(settings.TANDEM_RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    logger.info("recovery codes regenerated user=%s", user.pk)
    return codes


def recovery_codes(user):
    return list(
        StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME)
        .order_by("pk")
        .values_list("token", flat=True)
    )


def confirm_enrolment(request, device, code):
    """Confirm the new TOTP device with a code from the app; True when it matched.

    On success the device is the user's only TOTP device, recovery codes are created and the
    session counts as verified."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise_code(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        regenerate_recovery_codes(user)
    otp_login(request, device)
    request.session.cycle_key()
    request.session[ENROLMENT_SESSION_KEY] = "enrolled"
    logger.info("two-factor authentication enabled user=%s", user.pk)
    return True


def verify_code(request, code):
    """Verify a TOTP code or a recovery code for the logged-in user.

    A wrong code is reported to django-axes as a failed login, so wrong codes and wrong
    passwords lock the account together (ADR 0041). Returns the matching device or None."""
    user = request.user
    code = normalise_code(code)
    device_types = (TOTPDevice,) if len(code) != RECOVERY_CODE_DIGITS else (StaticDevice,)
    matched = None
    with transaction.atomic():
        for model in device_types:
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    matched = device
                    break
    if matched is None:
        logger.info("two-factor code refused user=%s", user.pk)
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        return None
    otp_login(request, matched)
    request.session.cycle_key()
    request.session[ENROLMENT_SESSION_KEY] = "enrolled"
    reset_failed_logins(user)
    if isinstance(matched, StaticDevice):
        logger.info("recovery code used user=%s", user.pk)
    return matched


def disable_two_factor(request):
    """Remove the user's 2FA devices; refused for users who must use 2FA."""
    user = request.user
    if requires_two_factor(user):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    request.session.pop("otp_device_id", None)
    request.session[ENROLMENT_SESSION_KEY] = "none"
    logger.info("two-factor authentication disabled user=%s", user.pk)


def reset_failed_logins(user):
    reset(username=user.get_username().lower())


def end_sessions(user):
    """Delete every database session of the user; returns how many were ended."""
    return contacts_services.end_sessions(user)


def reset_two_factor(user):
    """An administrator's reset for a user who lost phone and recovery codes: devices removed,
    sessions ended, failed attempts cleared. The user enrols again at the next login."""
    contacts_services.remove_two_factor(user)
    logger.warning("two-factor authentication reset by an administrator user=%s", user.pk)


class SSORefused(Exception):
    """A single sign-on that may not log in; `reason` picks the message of the refusal page:
    "no_email", "wrong_domain", "not_invited", "inactive" or "locked" (ADR 0138)."""

    def __init__(self, reason, email=""):
        super().__init__(reason)
        self.reason = reason
        self.email = email


def sso_account(request, provider, email):
    """The account an identity provider's e-mail claim may log in to, or SSORefused (ADR 0138).

    No self-registration: the account must exist (any case of the address) with at least one
    membership. An inactive account with an open invitation is activated by its first SSO login
    and the invitation counts as accepted; any other inactive account (switched off by an
    administrator) stays refused, and so does an account django-axes has locked."""
    if not email or "@" not in email or "\x00" in email:
        raise SSORefused("no_email")
    if not provider.allows_email(email):
        raise SSORefused("wrong_domain", email)
    with transaction.atomic():
        users = list(get_user_model().objects.select_for_update().filter(email__iexact=email)[:2])
        if len(users) != 1 or not Membership.objects.current().filter(user=users[0]).exists():
            logger.info("single sign-on refused: no invited account provider=%s", provider.slug)
            raise SSORefused("not_invited", email)
        user = users[0]
        if AxesProxyHandler.is_locked(request, {"username": user.get_username().lower()}):
            logger.info("single sign-on refused: account locked user=%s", user.pk)
            raise SSORefused("locked", email)
        if not user.is_active:
            if not contacts_services.accept_invitations_by_sso(user):
                logger.info("single sign-on refused: account disabled user=%s", user.pk)
                raise SSORefused("inactive", email)
            logger.info(
                "invited account activated by its first single sign-on user=%s provider=%s",
                user.pk,
                provider.slug,
            )
    return user


def complete_sso_login(request, user, provider):
    """After Django's login through an identity provider: the session counts as verified for
    two-step verification, which the provider did (ADR 0138, ADR 0040)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=SSO_DEVICE_NAME, defaults={"confirmed": True}
    )
    otp_login(request, device)
    request.session[SSO_PROVIDER_SESSION_KEY] = provider.slug
    reset_failed_logins(user)
    logger.info("logged in through identity provider user=%s provider=%s", user.pk, provider.slug)

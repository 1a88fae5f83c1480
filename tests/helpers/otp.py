"""Two-factor helpers for tests (ADR 0040).

The test settings have TANDEM_REQUIRE_2FA = False, so `client.force_login(user)` and
`login(page, live_server, email)` keep working for every role. To test with 2FA:

    settings.TANDEM_REQUIRE_2FA = True          # or the `require_2fa` fixture
    device = make_totp_device(user)
    login_verified(client, user, device)        # a session that passed 2FA
    totp_code(device, steps_ahead=1)            # a code the device will accept
"""

import time

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.services import RECOVERY_DEVICE_NAME, TOTP_DEVICE_NAME
from security.session_keys import ENROLMENT_SESSION_KEY


def make_totp_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=confirmed)


def make_recovery_codes(user, codes=("1234567890", "0987654321")):
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return list(codes)


def totp_code(device_or_key, steps_ahead=0):
    """The 6-digit code for a TOTP device (or its raw key bytes) `steps_ahead` time steps from
    now. A device accepts a code once per time step, so a second login within the same 30
    seconds needs steps_ahead=1 (inside the device's tolerance of one step)."""
    key = device_or_key.bin_key if hasattr(device_or_key, "bin_key") else device_or_key
    generator = TOTP(key, step=30, t0=0, digits=6)
    generator.time = time.time() + steps_ahead * 30
    return f"{generator.token():06d}"


def login_verified(client, user, device=None):
    """force_login and mark the session as having passed two-factor authentication."""
    device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_totp_device(user)
    client.force_login(user)
    session = client.session
    assert session[SESSION_KEY] == str(user.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLMENT_SESSION_KEY] = "enrolled"
    session.save()
    return device


def next_code(device):
    """A code the device accepts now: this time step's, or the next one's when this step's
    code was already used (django-otp accepts a step once; tolerance is one step)."""
    device.refresh_from_db()
    current = int(time.time()) // 30
    return totp_code(device, steps_ahead=0 if device.last_t < current else 1)


def login_with_code(page, live_server, email, device, password="correct-horse-battery"):
    """Browser login through the password form and the 2FA form (TANDEM_REQUIRE_2FA on)."""
    from tests.helpers.browser import login

    login(page, live_server, email, password)
    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()

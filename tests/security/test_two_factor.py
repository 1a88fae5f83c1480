"""Two-factor authentication: enforcement, enrolment, verification, recovery codes (ADR 0040)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts.models import Role
from security.middleware import TWO_FACTOR_EXEMPT
from tests.contacts.factories import UserFactory
from tests.helpers.otp import login_verified, make_recovery_codes, make_totp_device, totp_code

pytestmark = pytest.mark.django_db

# Every role must use two-step verification (ADR 0136); only an account without a role (which
# sees nothing but its own settings) may go without.
REQUIRED = [role.value for role in Role]
OPTIONAL = ["no_membership"]
SETUP = reverse("security:two_factor_setup")
VERIFY = reverse("security:two_factor_verify")


@pytest.mark.parametrize("actor", REQUIRED)
def test_every_role_must_enrol_before_any_other_page(require_2fa, world, client, actor):
    client.force_login(world.user(actor))
    for url in [reverse("home"), reverse("password_change"), reverse("security:two_factor")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP + "?next=")
    assert client.get(SETUP).status_code == 200


@pytest.mark.parametrize("actor", OPTIONAL)
def test_an_account_without_a_role_may_use_the_site_without_2fa(require_2fa, world, client, actor):
    client.force_login(world.user(actor))
    assert client.get(reverse("home")).status_code in (200, 403)
    assert client.get(reverse("security:two_factor")).status_code == 200


def test_admin_site_users_must_enrol_too(require_2fa, client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


def test_without_the_setting_nobody_is_forced(world, client, settings):
    assert settings.TANDEM_REQUIRE_2FA is False  # portal/settings_test.py
    client.force_login(world.user("school_coordinator"))
    assert client.get(reverse("home")).status_code == 200


def test_pages_reachable_before_2fa_are_few_and_harmless():
    assert TWO_FACTOR_EXEMPT == {
        "security:two_factor_verify",
        "security:two_factor_setup",
        "security:session_keepalive",
        "security:privacy_statement",
        "security:accessibility_statement",
        "logout",
        "set_language",
        "healthz",
        "favicon",  # a redirect to the static icon (ADR 0120)
    }


def test_public_pages_and_logout_work_before_2fa(require_2fa, world, client):
    client.force_login(world.user("school_coordinator"))
    assert client.get(reverse("security:privacy_statement")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_key_and_confirms_with_a_code(require_2fa, world, client):
    user = world.user("school_coordinator")
    client.force_login(user)
    response = client.get(SETUP + "?next=/")
    content = response.content.decode()
    assert 'id="totp-secret"' in content and "<svg" in content
    assert 'autocomplete="one-time-code"' in content and 'inputmode="numeric"' in content
    assert 'autocomplete="off"' not in content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(SETUP).context["secret"] == response.context["secret"]  # same device reused

    wrong = client.post(SETUP, {"otp_token": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "niet juist" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(SETUP, {"otp_token": totp_code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    assert len(codes_page.context["codes"]) == 10
    assert client.get(reverse("home")).status_code == 200


def test_enrolment_code_with_letters_is_a_form_error(require_2fa, world, client):
    client.force_login(world.user("school_coordinator"))
    response = client.post(SETUP, {"otp_token": "12ab56"})
    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"]


def test_enrolled_user_verifies_at_every_login(require_2fa, world, client):
    user = world.user("district_worker")
    device = make_totp_device(user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"] == f"{VERIFY}?next=%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post(VERIFY, {"otp_token": totp_code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_voluntary_users_with_a_device_verify_too(world, client):
    """Even without the requirement (the demo of `make run`), a user who enrolled is asked for
    the code."""
    user = world.user("steering_member")
    make_totp_device(user)
    client.force_login(user)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_a_code_can_be_pasted_with_spaces(require_2fa, world, client):
    user = world.user("district_worker")
    device = make_totp_device(user)
    client.force_login(user)
    code = totp_code(device)
    response = client.post(VERIFY, {"otp_token": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302


def test_recovery_code_works_once(require_2fa, world, client):
    user = world.user("privacy_officer")
    make_totp_device(user)
    make_recovery_codes(user, ["1234567890"])
    client.force_login(user)
    assert client.post(VERIFY, {"otp_token": "12345-67890"}).status_code == 302
    client.logout()
    client.force_login(user)
    response = client.post(VERIFY, {"otp_token": "1234567890"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_next_must_stay_on_this_site(require_2fa, world, client):
    user = world.user("district_worker")
    device = make_totp_device(user)
    client.force_login(user)
    response = client.post(VERIFY, {"otp_token": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("value", ["", "abcdef", "12\x0034", "9" * 10_000, "12345"])
def test_bad_code_input_is_a_form_error_not_a_500(require_2fa, world, client, value):
    user = world.user("district_worker")
    make_totp_device(user)
    client.force_login(user)
    response = client.post(VERIFY, {"otp_token": value})
    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"]


def test_verified_helper_gives_a_session_past_2fa(require_2fa, world, client):
    login_verified(client, world.user("municipal_officer"))
    assert client.get(reverse("home")).status_code == 200


def test_recovery_codes_can_be_renewed(require_2fa, world, client):
    user = world.user("school_coordinator")
    login_verified(client, user)
    old = make_recovery_codes(user, ["1111111111"])
    response = client.post(reverse("security:recovery_codes"))
    assert response.status_code == 302
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10 and not (tokens & set(old))


def test_required_roles_cannot_turn_2fa_off(require_2fa, world, client):
    user = world.user("school_coordinator")
    login_verified(client, user)
    assert client.post(reverse("security:two_factor_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()


def test_an_account_without_a_role_can_turn_2fa_off(require_2fa, world, client):
    user = world.user("no_membership")
    login_verified(client, user)
    make_recovery_codes(user)
    response = client.post(reverse("security:two_factor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(reverse("security:two_factor")).status_code == 200


def test_htmx_requests_get_a_full_page_redirect(require_2fa, world, client):
    client.force_login(world.user("school_coordinator"))
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(SETUP)


def test_reset_command_removes_devices_and_ends_sessions(require_2fa, world, client):
    from django.core.management import call_command

    user = world.user("school_coordinator")
    login_verified(client, user)
    make_recovery_codes(user)
    call_command("reset_two_factor", user.email.upper(), stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_reset_command_refuses_an_unknown_address(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("reset_two_factor", "niemand@example.test")


def test_a_device_confirmed_elsewhere_cannot_be_replaced_from_an_older_session(require_2fa, world, client):
    """A session opened before the user enrolled elsewhere is sent to verify, not to a new set-up."""
    user = world.user("school_coordinator")
    client.force_login(user)  # no device yet: the session says "not enrolled"
    device = make_totp_device(user)  # enrolled in another browser meanwhile
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)

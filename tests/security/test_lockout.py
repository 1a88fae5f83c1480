"""Lockout with django-axes: wrong passwords and wrong 2FA codes count together (ADR 0041)."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse

from security.services import end_sessions
from tests.contacts.factories import UserFactory
from tests.helpers.otp import make_totp_device, totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
VERIFY = reverse("security:two_factor_verify")
PASSWORD = "correct-horse-battery"


def _fail_password(client, email, times, password="wrong password 123"):
    responses = [client.post(LOGIN, {"username": email, "password": password}) for _ in range(times)]
    return responses[-1]


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, caplog):
    UserFactory(email="ib@example.test")
    caplog.set_level(logging.INFO)
    four = _fail_password(client, "ib@example.test", 4)
    assert four.status_code == 200 and "geblokkeerd" not in four.content.decode()
    fifth = _fail_password(client, "ib@example.test", 1)
    assert fifth.status_code == 429
    assert "Uw account is tijdelijk geblokkeerd" in fifth.content.decode()
    assert "15 minuten" in fifth.content.decode()
    # Even the right password is refused now.
    right = client.post(LOGIN, {"username": "ib@example.test", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # A log entry, and no password anywhere in the log.
    assert any("locked out" in r.getMessage() for r in caplog.records if r.name == "tandem.security")
    assert "wrong password 123" not in caplog.text and PASSWORD not in caplog.text
    attempt = AccessAttempt.objects.get()
    assert "wrong password 123" not in attempt.post_data


def test_changing_the_case_of_the_address_does_not_escape_the_lockout(client):
    UserFactory(email="ib@example.test")
    variants = ["ib@example.test", "IB@example.test", "Ib@Example.TEST", "ib@EXAMPLE.test", "iB@example.test"]
    for email in variants:
        response = client.post(LOGIN, {"username": email, "password": "nope nope nope"})
    assert response.status_code == 429


def test_another_account_is_not_locked(client):
    UserFactory(email="ib@example.test")
    UserFactory(email="ib2@example.test")
    _fail_password(client, "ib@example.test", 5)
    response = client.post(LOGIN, {"username": "ib2@example.test", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off_period(client, settings):
    import time_machine

    UserFactory(email="ib@example.test")
    with time_machine.travel("2026-03-02 09:00 +0100", tick=False) as traveller:
        _fail_password(client, "ib@example.test", 5)
        assert client.post(LOGIN, {"username": "ib@example.test", "password": PASSWORD}).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
        assert client.post(LOGIN, {"username": "ib@example.test", "password": PASSWORD}).status_code == 302


def test_five_wrong_codes_lock_the_account_and_log_out(require_2fa, world, client, caplog):
    user = world.user("school_coordinator")
    device = make_totp_device(user)
    caplog.set_level(logging.INFO)
    assert client.post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 302
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    for _ in range(4):
        response = client.post(VERIFY, {"otp_token": wrong})
        assert response.status_code == 200
        assert "niet juist" in response.content.decode()
    response = client.post(VERIFY, {"otp_token": wrong})
    assert response.status_code == 429
    assert "Uw account is tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The right password and the right code no longer help until the lock ends.
    assert client.post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 429
    assert any("locked out" in r.getMessage() for r in caplog.records if r.name == "tandem.security")
    assert wrong not in AccessAttempt.objects.get().post_data


def test_wrong_codes_and_wrong_passwords_add_up(require_2fa, world, client):
    user = world.user("district_worker")
    device = make_totp_device(user)
    _fail_password(client, user.email, 3)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    client.post(VERIFY, {"otp_token": wrong})
    assert client.post(VERIFY, {"otp_token": wrong}).status_code == 429


def test_a_complete_login_resets_the_count(require_2fa, world, client):
    user = world.user("district_worker")
    device = make_totp_device(user)
    _fail_password(client, user.email, 4)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert client.post(VERIFY, {"otp_token": totp_code(device)}).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post(reverse("logout"))
    assert _fail_password(client, user.email, 4).status_code == 200


def test_a_correct_password_alone_does_not_reset_the_count_for_2fa_users(require_2fa, world, client):
    """Otherwise someone who knows the password could guess codes without end."""
    user = world.user("district_worker")
    make_totp_device(user)
    _fail_password(client, user.email, 4)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert AccessAttempt.objects.get().failures_since_start == 4


def test_disabling_an_account_ends_its_sessions_at_once(world, client, django_user_model):
    from django.test import Client

    user = world.user("school_coordinator")
    other = world.user("district_worker")
    second = Client()
    client.force_login(user)
    second.force_login(user)
    bystander = Client()
    bystander.force_login(other)
    assert Session.objects.count() == 3
    user.is_active = False
    user.save()
    assert Session.objects.count() == 1
    for c in (client, second):
        response = c.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert bystander.get(reverse("home")).status_code == 200
    assert end_sessions(user) == 0  # idempotent


def test_saving_an_active_user_keeps_the_sessions(world, client):
    user = world.user("school_coordinator")
    client.force_login(user)
    user.full_name = "Nieuwe Naam"
    user.save()
    assert client.get(reverse("home")).status_code == 200

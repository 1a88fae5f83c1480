"""Single sign-on rules without a provider (ADR 0138): the configuration check, who may log in,
and that the login page is unchanged without providers. The end-to-end flow is test_sso.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from contacts.models import Role, User
from security import services, sso
from tests.contacts import factories as f
from tests.helpers.otp import make_totp_device

pytestmark = pytest.mark.django_db

PROVIDER = {
    "slug": "gemeente",
    "name": "Gemeente",
    "issuer": "https://idp.example.test",
    "authorization_endpoint": "https://idp.example.test/authorize",
    "token_endpoint": "https://idp.example.test/token",
    "userinfo_endpoint": "https://idp.example.test/userinfo",
    "jwks_uri": "https://idp.example.test/jwks",
    "client_id": "tandem",
    "client_secret": "geheim",
    "email_domains": ["gemeente.test"],
}


def _request():
    request = RequestFactory().get("/account/sso/terug/")
    AxesProxyHandler.update_request(request)
    return request


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([{"slug": "x"}], "lacks name"),
        ({"slug": "x"}, "JSON list"),
        ([{**PROVIDER, "slug": "Met Spatie"}], "slug must be"),
        ([PROVIDER, PROVIDER], "used twice"),
        ([{**PROVIDER, "signing_algorithm": "HS256"}], "signing_algorithm"),
        ([{**PROVIDER, "scopes": "email"}], "openid"),
        ([{**PROVIDER, "colour": "red"}], "unknown keys"),
        ([{**PROVIDER, "slug": "terug"}], "callback"),
    ],
)
def test_a_wrong_configuration_fails_the_check_and_shows_no_button(settings, client, value, fragment):
    settings.TANDEM_OIDC_PROVIDERS = value
    assert any(fragment in e for e in sso.provider_errors(value))
    with pytest.raises(SystemCheckError, match="tandem.E138"):
        call_command("check")
    assert sso.providers() == []
    assert "Inloggen met" not in client.get(reverse("login")).content.decode()


def test_a_good_configuration_shows_the_button_and_hides_the_secret(settings, client):
    settings.TANDEM_OIDC_PROVIDERS = [PROVIDER]
    assert sso.provider_errors([PROVIDER]) == []
    (provider,) = sso.providers()
    assert "geheim" not in repr(provider)
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met Gemeente" in page
    assert reverse("security:sso_start", args=["gemeente"]) in page
    start = client.get(reverse("security:sso_start", args=["gemeente"]) + "?next=/netwerk/")
    assert start.status_code == 302
    assert start["Location"].startswith("https://idp.example.test/authorize?")
    assert "code_challenge=" in start["Location"] and "nonce=" in start["Location"]
    assert "geheim" not in start["Location"]


def test_without_providers_the_login_page_has_no_sso_section(client):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen via uw organisatie" not in page


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("", "no_email"),
        ("geen-adres", "no_email"),
        ("a\x00b@gemeente.test", "no_email"),
        ("ib@elders.test", "wrong_domain"),
        ("niemand@gemeente.test", "not_invited"),
    ],
)
def test_sso_refuses_without_an_invited_account(email, reason):
    users_before = User.objects.count()
    with pytest.raises(services.SSORefused) as refused:
        services.sso_account(
            _request(), sso.Provider(**{**PROVIDER, "email_domains": ("gemeente.test",)}), email
        )
    assert refused.value.reason == reason
    assert User.objects.count() == users_before


def test_sso_refuses_a_locked_account_and_accepts_it_unlocked(client, settings):
    provider = sso.Provider(**{**PROVIDER, "email_domains": ()})
    user = f.make_member(Role.MUNICIPAL_OFFICER, f.MunicipalityFactory(), email="beleid@gemeente.test")
    assert services.sso_account(_request(), provider, "BELEID@gemeente.test") == user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.email, "password": "fout"})
    with pytest.raises(services.SSORefused) as refused:
        services.sso_account(_request(), provider, user.email)
    assert refused.value.reason == "locked"


def test_a_callback_with_bad_input_is_the_refusal_page(settings, client):
    settings.TANDEM_OIDC_PROVIDERS = [PROVIDER]
    for params in ({}, {"state": "\x00", "code": "x\x00"}, {"state": "onbekend", "code": "abc"}):
        response = client.get(reverse("security:sso_callback"), params)
        assert response.status_code == 403
        assert "Inloggen via uw organisatie is niet gelukt" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_a_provider_that_cannot_be_reached_gives_the_refusal_page(settings, client):
    settings.TANDEM_OIDC_PROVIDERS = [{**PROVIDER, "token_endpoint": "http://127.0.0.1:9/token"}]
    f.make_member(Role.MUNICIPAL_OFFICER, f.MunicipalityFactory(), email="beleid@gemeente.test")
    start = client.get(reverse("security:sso_start", args=["gemeente"]))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(reverse("security:sso_callback"), {"state": state, "code": "abc"})
    assert response.status_code == 403
    assert "Er is niets veranderd" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    # The state is used up: the same answer again is refused as well.
    again = client.get(reverse("security:sso_callback"), {"state": state, "code": "abc"})
    assert again.status_code == 403


def test_a_logged_in_user_starting_sso_goes_home(settings, client):
    settings.TANDEM_OIDC_PROVIDERS = [PROVIDER]
    client.force_login(f.make_member(Role.MUNICIPAL_OFFICER, f.MunicipalityFactory()))
    response = client.get(reverse("security:sso_start", args=["gemeente"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_identity_provider_device_never_stands_in_for_a_code(client, require_2fa):
    """A password login of an account that once logged in through SSO still asks for its code."""
    user = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email="ib@gemeente.test")
    StaticDevice.objects.create(user=user, name=services.SSO_DEVICE_NAME, confirmed=True)
    make_totp_device(user)
    client.post(reverse("login"), {"username": user.email, "password": "correct-horse-battery"})
    assert client.get(reverse("home"))["Location"].startswith(reverse("security:two_factor_verify"))
    response = client.post(reverse("security:two_factor_verify"), {"otp_token": "1234567890"})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_the_configuration_is_parsed_once_and_again_when_it_changes(settings, client, monkeypatch):
    settings.TANDEM_OIDC_PROVIDERS = [PROVIDER]
    parsed = []
    check = sso.provider_errors
    monkeypatch.setattr(sso, "provider_errors", lambda raw: parsed.append(raw) or check(raw))
    for _ in range(3):  # every anonymous page shows the login links
        assert "Inloggen met Gemeente" in client.get(reverse("login")).content.decode()
    assert len(parsed) == 1
    settings.TANDEM_OIDC_PROVIDERS = [{**PROVIDER, "name": "Provincie"}]
    assert "Inloggen met Provincie" in client.get(reverse("login")).content.decode()
    assert len(parsed) == 2

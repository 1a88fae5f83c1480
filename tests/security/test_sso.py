"""Single sign-on end to end (ADR 0138): Chromium logs in through a real OpenID Connect provider
(django-oidc-provider in its own process, tests/oidc_provider_project) to the live server."""

import base64
import json
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from axes.models import AccessLog as LoginRecord
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from contacts.models import Membership, Role, User
from security import sso
from tests.conftest import CHROMIUM
from tests.contacts import factories as f
from tests.helpers.browser import assert_no_axe_violations, assert_title_starts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_PROJECT = Path(__file__).resolve().parent.parent / "oidc_provider_project"
CLIENT_ID = "tandem-test"
CLIENT_SECRET = "test-client-secret-" + "s" * 20  # noqa: S105 - the throwaway provider's client
PROVIDER_PASSWORD = "provider-password-1"  # noqa: S105
INVITED = "ib.uitgenodigd@gemeente.test"
MEMBER = "Ib.Actief@Gemeente.test"  # the provider's case differs from Tandem's account
STRANGER = "onbekend@gemeente.test"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def identity_provider(live_server, tmp_path_factory):
    """A running django-oidc-provider with Tandem registered as client and three users."""
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OP_DATABASE": str(tmp_path_factory.mktemp("op") / "db.sqlite3"),
        "OP_SITE_URL": url,
    }
    manage = [sys.executable, str(PROVIDER_PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    users = [
        f"{name}:{email}:{PROVIDER_PASSWORD}"
        for name, email in (("invited", INVITED), ("member", MEMBER), ("stranger", STRANGER))
    ]
    subprocess.run(
        [
            *manage,
            "setup_test_provider",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--redirect-uri",
            f"{live_server.url}/account/sso/terug/",
            *[arg for user in users for arg in ("--user", user)],
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("the test identity provider did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def provider_config(url):
    return {
        "slug": "testgemeente",
        "name": "Testgemeente",
        "issuer": f"{url}/openid",
        "authorization_endpoint": f"{url}/openid/authorize",
        "token_endpoint": f"{url}/openid/token",
        "userinfo_endpoint": f"{url}/openid/userinfo",
        "jwks_uri": f"{url}/openid/jwks",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "email_domains": ["gemeente.test"],
    }


@pytest.fixture
def sso_settings(settings, identity_provider):
    settings.TANDEM_OIDC_PROVIDERS = [provider_config(identity_provider)]
    return identity_provider


@pytest.fixture
def page(browser, live_server, identity_provider):
    """As tests/conftest.py's page, with the identity provider as the one allowed outsider."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith((live_server.url, identity_provider, "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert not outside, f"pages tried to reach third parties: {outside}"


def sign_in_through_provider(page, live_server, username):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen met Testgemeente").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state()


def test_login_page_without_providers_is_unchanged(page, live_server, settings):
    settings.TANDEM_OIDC_PROVIDERS = []
    page.goto(f"{live_server.url}/account/inloggen/")
    assert page.get_by_role("link", name="Inloggen met", exact=False).count() == 0
    assert page.get_by_role("heading", name="Inloggen via uw organisatie").count() == 0


def test_member_logs_in_through_the_provider_lands_on_the_inbox_verified(
    page, live_server, sso_settings, require_2fa
):
    assert os.path.exists(CHROMIUM)
    user = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email=MEMBER.lower())
    page.goto(f"{live_server.url}/account/inloggen/")
    assert page.get_by_role("heading", name="Inloggen via uw organisatie").is_visible()
    assert_no_axe_violations(page)

    sign_in_through_provider(page, live_server, "member")
    # Two-step verification is the provider's: no enrolment although an IB-er must have it.
    assert urlsplit(page.url).path == "/"
    assert_title_starts(page, "Start")
    assert page.get_by_role("button", name="Uitloggen").count() == 1
    assert LoginRecord.objects.filter(username__iexact=user.email).count() == 1
    session = _session_of(page, live_server)
    assert session[DEVICE_ID_SESSION_KEY].endswith(
        "/" + str(user.staticdevice_set.get(name="identity-provider").pk)
    )
    assert session["tandem_sso_provider"] == "testgemeente"


def test_first_login_activates_the_invited_account(page, live_server, sso_settings):
    invitation, _token = f.make_invitation(Role.DISTRICT_WORKER, f.DistrictTeamFactory(), email=INVITED)
    user = invitation.user
    users_before = User.objects.count()

    sign_in_through_provider(page, live_server, "invited")
    assert urlsplit(page.url).path == "/"
    user.refresh_from_db()
    assert user.is_active
    assert not user.has_usable_password()
    assert User.objects.count() == users_before
    # The invitation counts as accepted: its link no longer sets a password.
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_uninvited_email_is_refused_and_nothing_is_created(page, live_server, sso_settings):
    users_before = User.objects.count()
    sign_in_through_provider(page, live_server, "stranger")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen via uw organisatie is niet gelukt"
    assert f"Er is geen Tandem-account voor {STRANGER}" in page.locator("#sso-refusal").inner_text()
    assert_title_starts(page, "Fout:")
    assert_no_axe_violations(page)
    assert User.objects.count() == users_before
    assert not LoginRecord.objects.exists()
    page.get_by_role("link", name="Terug naar de inlogpagina").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/")


def test_a_deactivated_account_is_refused(page, live_server, sso_settings):
    user = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email=MEMBER.lower())
    user.is_active = False
    user.save()  # it has a password: disabled by an administrator, not invited
    sign_in_through_provider(page, live_server, "member")
    assert "is uitgeschakeld" in page.locator("#sso-refusal").inner_text()
    user.refresh_from_db()
    assert not user.is_active


def test_a_switched_off_sso_account_stays_off(page, live_server, sso_settings):
    """An account that only ever logged in through the provider has no password; switched off
    by its administrator, it has no open invitation, so SSO does not switch it on again."""
    user = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email=MEMBER.lower())
    user.set_unusable_password()
    user.is_active = False
    user.save()
    sign_in_through_provider(page, live_server, "member")
    assert "is uitgeschakeld" in page.locator("#sso-refusal").inner_text()
    user.refresh_from_db()
    assert not user.is_active


def test_an_account_without_membership_is_refused(page, live_server, sso_settings):
    user = f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email=MEMBER.lower())
    Membership.objects.filter(user=user).delete()
    sign_in_through_provider(page, live_server, "member")
    assert "Er is geen Tandem-account" in page.locator("#sso-refusal").inner_text()


def _session_of(page, live_server):
    cookie = next(
        c for c in page.context.cookies(live_server.url) if c["name"] == django_settings.SESSION_COOKIE_NAME
    )
    return SessionStore(session_key=cookie["value"]).load()


# --- The ID token itself, from the real provider, verified by the backend -----------------------


def _real_id_token(provider_url, live_server, nonce):
    """An ID token for "member" through the provider's own code flow, without a browser."""
    op = requests.Session()
    op.get(f"{provider_url}/accounts/login/", timeout=10)
    op.post(
        f"{provider_url}/accounts/login/",
        data={
            "username": "member",
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": op.cookies["op_csrftoken"],
            "next": "/",
        },
        timeout=10,
    )
    redirect_uri = f"{live_server.url}/account/sso/terug/"
    answer = op.get(
        f"{provider_url}/openid/authorize",
        params={
            "client_id": CLIENT_ID,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": redirect_uri,
            "state": "test-state",
            "nonce": nonce,
        },
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    token = requests.post(
        f"{provider_url}/openid/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    token.raise_for_status()
    return token.json()["id_token"]


def _backend(provider_url):
    provider = sso.Provider(**{**provider_config(provider_url), "email_domains": ("gemeente.test",)})
    return sso.IdentityProviderBackend().use(provider)


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_providers_token_verifies_and_a_tampered_one_is_refused(live_server, identity_provider):
    token = _real_id_token(identity_provider, live_server, nonce="n-1")
    backend = _backend(identity_provider)
    payload = backend.verify_token(token, nonce="n-1")
    assert payload["iss"] == f"{identity_provider}/openid"
    assert payload["aud"] == CLIENT_ID

    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "someone-else"
    tampered = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(tampered, nonce="n-1")
    flipped = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(".".join([header, body, flipped]), nonce="n-1")
    with pytest.raises(SuspiciousOperation):  # a replayed token: another login's nonce
        backend.verify_token(token, nonce="n-2")


def test_an_expired_token_is_refused(live_server, identity_provider):
    token = _real_id_token(identity_provider, live_server, nonce="n-3")
    backend = _backend(identity_provider)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(token, nonce="n-3")


def test_a_token_for_another_client_is_refused(live_server, identity_provider):
    token = _real_id_token(identity_provider, live_server, nonce="n-4")
    provider = sso.Provider(
        **{**provider_config(identity_provider), "client_id": "another-client", "email_domains": ()}
    )
    with pytest.raises(SuspiciousOperation):
        sso.IdentityProviderBackend().use(provider).verify_token(token, nonce="n-4")


def test_cancelling_at_the_provider_is_the_refusal_page(page, live_server, sso_settings):
    f.make_member(Role.SCHOOL_COORDINATOR, f.SchoolFactory(), email=MEMBER.lower())
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen met Testgemeente").click()
    page.wait_for_url("**/accounts/login/**")
    authorize = parse_qs(urlsplit(page.url).query)["next"][0]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    # What a provider sends back when the person cancels (RFC 6749 section 4.1.2.1).
    page.goto(f"{live_server.url}/account/sso/terug/?error=access_denied&state={state}")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen via uw organisatie is niet gelukt"
    assert "Er is niets veranderd" in page.locator("#sso-refusal").inner_text()
    assert_no_axe_violations(page)
    assert not LoginRecord.objects.exists()

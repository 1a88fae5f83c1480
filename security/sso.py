"""Single sign-on through an organisation's OpenID Connect provider (ADR 0138).

The providers come from the environment (`TANDEM_OIDC_PROVIDERS`, a JSON list; the client
secrets stay out of the database). mozilla-django-oidc does the protocol (authorization-code
flow with state, nonce and PKCE); this module gives it one provider per login instead of its
single global configuration, verifies the ID token strictly (signature, issuer, audience,
expiry) and never creates an account: who may log in is `security.services.sso_account`.
"""

import functools
import re
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.core.signals import setting_changed
from django.dispatch import receiver
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from security import services

# The attribute of the request on which the callback view hands the provider to the backend,
# and on which the backend leaves the reason of a refusal for the view.
REQUEST_PROVIDER_ATTRIBUTE = "tandem_sso_provider"
REQUEST_REFUSAL_ATTRIBUTE = "tandem_sso_refusal"

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
REQUIRED_KEYS = (
    "slug",
    "name",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "client_id",
    "client_secret",
)
OPTIONAL_KEYS = ("email_claim", "scopes", "signing_algorithm", "email_domains")
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    client_id: str
    client_secret: str
    email_claim: str = "email"
    scopes: str = "openid email"
    signing_algorithm: str = "RS256"
    email_domains: tuple = ()

    def __repr__(self):  # never the secret in a log line or a traceback
        return f"Provider({self.slug!r})"

    def allows_email(self, email):
        if not self.email_domains:
            return True
        domain = email.rsplit("@", 1)[-1].lower()
        return domain in self.email_domains

    def mozilla_settings(self):
        """mozilla-django-oidc's settings for a login through this provider."""
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_uri,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": self.signing_algorithm,
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_RP_SCOPES": self.scopes,
            "OIDC_AUTHENTICATION_CALLBACK_URL": "security:sso_callback",
            "OIDC_USE_NONCE": True,
            "OIDC_USE_PKCE": True,
            "OIDC_CREATE_USER": False,
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_STORE_ID_TOKEN": False,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_VERIFY_SSL": True,
            "OIDC_VERIFY_KID": True,
            "OIDC_TIMEOUT": 10,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,
            "OIDC_REDIRECT_FIELD_NAME": "next",
            "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
        }


def provider_errors(raw):
    """What is wrong with the TANDEM_OIDC_PROVIDERS value (a list of strings, empty if fine)."""
    if not isinstance(raw, list):
        return ["TANDEM_OIDC_PROVIDERS must be a JSON list of objects."]
    errors = []
    seen = set()
    for index, entry in enumerate(raw):
        where = f"TANDEM_OIDC_PROVIDERS[{index}]"
        if not isinstance(entry, dict):
            errors.append(f"{where} must be an object.")
            continue
        missing = [
            key for key in REQUIRED_KEYS if not isinstance(entry.get(key), str) or not entry[key].strip()
        ]
        if missing:
            errors.append(f"{where} lacks {', '.join(missing)}.")
        unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
        if unknown:
            errors.append(f"{where} has unknown keys: {', '.join(unknown)}.")
        slug = entry.get("slug")
        if isinstance(slug, str) and not SLUG.match(slug):
            errors.append(f"{where}: slug must be lower-case letters, digits and hyphens.")
        if slug == "terug":
            errors.append(f"{where}: slug 'terug' is the callback's path.")
        if slug in seen:
            errors.append(f"{where}: slug {slug!r} is used twice.")
        seen.add(slug)
        if entry.get("signing_algorithm", "RS256") not in SIGNING_ALGORITHMS:
            errors.append(f"{where}: signing_algorithm must be one of {', '.join(SIGNING_ALGORITHMS)}.")
        domains = entry.get("email_domains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
            errors.append(f"{where}: email_domains must be a list of domain names.")
        for key in ("email_claim", "scopes"):
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                errors.append(f"{where}: {key} must be a non-empty string.")
        scopes = entry.get("scopes", "openid email")
        if isinstance(scopes, str) and "openid" not in scopes.split():
            errors.append(f"{where}: scopes must include openid.")
    return errors


def providers():
    """The configured providers in their order; empty when none is (or the value is wrong,
    which `manage.py check` reports). Every page's login link asks, so the setting is parsed
    once, at the first call, and again only when a test overrides it."""
    return list(_parsed_providers())


@functools.cache
def _parsed_providers():
    raw = settings.TANDEM_OIDC_PROVIDERS
    if not raw or provider_errors(raw):
        return ()
    result = []
    for entry in raw:
        values = {key: entry[key].strip() for key in REQUIRED_KEYS}
        for key in ("email_claim", "scopes", "signing_algorithm"):
            if key in entry:
                values[key] = entry[key].strip()
        values["email_domains"] = tuple(d.strip().lower().lstrip("@") for d in entry.get("email_domains", []))
        result.append(Provider(**values))
    return tuple(result)


@receiver(setting_changed)
def _forget_providers(*, setting, **kwargs):
    """override_settings (and pytest-django's `settings`) change the value: parse it again."""
    if setting == "TANDEM_OIDC_PROVIDERS":
        _parsed_providers.cache_clear()


def provider(slug):
    return next((p for p in providers() if p.slug == slug), None)


def settings_for(provider, attr, *args):
    """mozilla-django-oidc's setting `attr` for a login through `provider` (None: the global one)."""
    if provider is not None:
        values = provider.mozilla_settings()
        if attr in values:
            return values[attr]
    return import_from_settings(attr, *args)


@checks.register(checks.Tags.security)
def check_providers(app_configs=None, **kwargs):
    return [
        checks.Error(message, id="tandem.E138") for message in provider_errors(settings.TANDEM_OIDC_PROVIDERS)
    ]


class IdentityProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for the provider the callback view names on the request.

    Asked by `django.contrib.auth.authenticate` after django-axes and the password backend;
    without a provider on the request (a password login) it answers None at once."""

    def __init__(self, *args, **kwargs):
        # The parent reads one global configuration here; ours comes per login in authenticate.
        self.UserModel = get_user_model()
        self.provider = None

    def get_settings(self, attr, *args):
        return settings_for(self.provider, attr, *args)

    def use(self, provider):
        """Configure the backend for one provider (the parent keeps settings as attributes)."""
        self.provider = provider
        for attr, value in provider.mozilla_settings().items():
            setattr(self, attr, value)
        return self

    def authenticate(self, request, **kwargs):
        provider = getattr(request, REQUEST_PROVIDER_ATTRIBUTE, None) if request is not None else None
        if provider is None or kwargs.get("nonce") is None:
            return None
        self.use(provider)
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The ID token's signature, issuer, audience and expiry, all of them required."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.provider.signing_algorithm:
                raise SuspiciousOperation("ID token signed with another algorithm.")
            return jwt.decode(
                payload,
                key,
                algorithms=[self.provider.signing_algorithm],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}") from exc

    def verify_claims(self, claims):
        # A missing e-mail claim is refused with its own message by services.sso_account.
        return isinstance(claims, dict)

    def filter_users_by_claims(self, claims):
        """The account whose e-mail address is the provider's claim, in any case.

        `security.services.sso_account` decides whether it may log in; a refusal is left on
        the request for the callback view."""
        email = claims.get(self.provider.email_claim)
        email = email.strip() if isinstance(email, str) else ""
        try:
            user = services.sso_account(self.request, self.provider, email)
        except services.SSORefused as refusal:
            setattr(self.request, REQUEST_REFUSAL_ATTRIBUTE, refusal)
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(pk=user.pk)

    def create_user(self, claims):
        """No self-registration: an account exists only when an administrator invited someone."""
        raise SuspiciousOperation("SSO never creates an account.")

    def get_user(self, user_id):
        # The password backend's rule: a deactivated account's session is no longer a login.
        return ModelBackend.get_user(self, user_id)

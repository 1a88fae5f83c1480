"""Settings for Tandem, read from the environment (12-factor, as Open Formulieren / Open Zaak).

Every variable is documented in README.md ("Configuration") and `.env.example`. Nothing here
may fetch from outside the machine at run time. The file reads top to bottom, each setting
once, without later code changing an earlier one:

    1. Environment, debug and the secret key
    2. Applications, middleware, URLs and templates
    3. Database and cache
    4. Authentication: passwords, two-step verification (ADR 0040), lockout (ADR 0041)
    5. Sessions and cookies (ADR 0042)
    6. Security headers and Content-Security-Policy (ADR 0043)
    7. Internationalisation
    8. Static files and private media
    9. E-mail
   10. Logging (ADR 0031) and error reporting (ADR 0101)
   11. Tandem's own settings: every TANDEM_* setting, documented
   12. Celery and the beat schedule (built from the settings above)

The test settings (portal/settings_test.py) and the benchmark settings (bench/settings.py)
import this module and override a few values.
"""

import ipaddress as _ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import error_reporting as _error_reporting
from portal.logging import configure as _configure_logging

# --- 1. Environment, debug and the secret key ------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET = "django-insecure-tandem-development-only-never-use-in-production"  # noqa: S105 - DEBUG only
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
        "DJANGO_DEBUG is false. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("TANDEM_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- 2. Applications, middleware, URLs and templates -----------------------------------------
# Tandem's apps in layer order: each may import only the apps listed before it (portal is the
# ground floor and imports none of the others). The development-only `bench` app is not here:
# bench/settings.py and the test settings add it.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_htmx",
    "portal",
    "contacts",
    "referrals",
    "escalations",
    "agenda",
    "reporting",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "security",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (ADR 0031).
    "portal.request_id.RequestIdMiddleware",
    # Request latency per view for /metrics (ADR 0102).
    "portal.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy (ADR 0043).
    "csp.middleware.CSPMiddleware",
    # Django's, but a passive request (the unread badge's poll) keeps the idle timeout (ADR 0042).
    "security.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: marks the user verified or not (ADR 0040).
    "security.devices.OTPMiddleware",  # django-otp's, the verifying device from the cache
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tandem's absolute session timeout, 2FA enforcement and no-store (ADR 0040, 0042).
    "security.middleware.SessionLifetimeMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "security.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks (ADR 0041).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.theme",
                "security.context_processors.session",
                "security.context_processors.sso_providers",
            ],
        },
    },
]
FORM_RENDERER = "portal.forms.TandemFormRenderer"
# A message's tags name the modifier of its Utrecht alert (utrecht-alert--info/ok/warning/error,
# templates/base.html; ADR 0165): "success" is "ok" there, and debug messages look like info.
MESSAGE_TAGS = {10: "info", 25: "ok"}  # django.contrib.messages DEBUG and SUCCESS

# --- 3. Database and cache ---------------------------------------------------------------------
# Default: a SQLite file for the zero-setup demo (`make run`). Production and tests: PostgreSQL.
DATABASES = {
    "default": {
        **env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
# PostgreSQL: parameters bound on the server, so psycopg prepares a statement the second time a
# connection runs it and PostgreSQL plans the same query once per connection, not per request
# (the planning of the memberships join and the detail page's lookup cost more than running
# them; bench/FINDINGS.md, ADR 0170). DATABASE_SERVER_SIDE_BINDING=false: client-side as before
# (e.g. behind a PgBouncer in transaction mode, which cannot keep prepared statements).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_SERVER_SIDE_BINDING", default=True
):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": env.int("DATABASE_PREPARE_THRESHOLD", default=2),
    }
# Prepared statements psycopg keeps per connection (portal/database.py); the pages make a few
# hundred distinct queries.
DATABASE_PREPARED_MAX = env.int("DATABASE_PREPARED_MAX", default=1000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the cache and the Celery broker (section 12); without it (the demo) a local-memory
# cache and inline tasks. Both backends are Django's own, with their operations timed for
# /metrics (portal/cache_backends.py, ADR 0102).
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "portal.cache_backends.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "portal.cache_backends.LocMemCache"}
    )
}

# --- 4. Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "contacts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks for a lockout before Django's ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on through an organisation's OpenID Connect provider (ADR 0138); after axes,
    # which refuses a locked-out account before either backend is asked.
    "security.sso.IdentityProviderBackend",
]
# The identity providers staff may log in with (ADR 0138): a JSON list of objects, checked by
# security/sso.py (`manage.py check` fails on a bad entry). Empty: the login page is unchanged.
TANDEM_OIDC_PROVIDERS = env.json("TANDEM_OIDC_PROVIDERS", default=[])

# Two-step verification (ADR 0040, 0136); who must use it: TANDEM_REQUIRE_2FA.
OTP_TOTP_ISSUER = env.str("TANDEM_OTP_ISSUER", default="Tandem")
# Wrong codes are counted by django-axes (one lockout for passwords and codes, ADR 0041), so
# django-otp's own per-device delay, which would refuse even a right code, is switched off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Lockout (ADR 0041): 5 failures (passwords and 2FA codes together) lock the account.
AXES_FAILURE_LIMIT = env.int("TANDEM_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("TANDEM_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = env.list("TANDEM_LOCKOUT_PARAMETERS", default=["username"])
# Reviewed (ADR 0041): axes.W006 asks to lock by IP address too. A school's staff share one
# NAT address, so five typos by colleagues would lock the whole school out; the account lock
# already stops guessing a password or code. Rate limiting per IP belongs in the TLS proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "security.lockout.username"
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # reset only after a complete login (password and code)
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "csrfmiddlewaretoken"]

# --- 5. Sessions and cookies (ADR 0042) ------------------------------------------------------
# The idle timeout: a session lives SESSION_IDLE_TIMEOUT after the user's last request, at most
# TANDEM_SESSION_TOUCH_SECONDS longer, because a request saves the session only when its last
# save is that old (security.middleware.SessionMiddleware, ADR 0172).
# The absolute timeout and the warning before the idle timeout: section 11.
SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("TANDEM_SESSION_IDLE_MINUTES", default=30))
TANDEM_SESSION_TOUCH_SECONDS = env.int("TANDEM_SESSION_TOUCH_SECONDS", default=60)
if not 0 <= TANDEM_SESSION_TOUCH_SECONDS < SESSION_IDLE_TIMEOUT.total_seconds():
    raise ImproperlyConfigured(
        "TANDEM_SESSION_TOUCH_SECONDS must be 0 or more and less than the idle timeout."
    )
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds()) + TANDEM_SESSION_TOUCH_SECONDS
SESSION_SAVE_EVERY_REQUEST = False  # the middleware saves when the last save is older (above)
# With Redis, a request reads its session from the cache, not the database (one query fewer on
# every page; bench/FINDINGS.md); a save writes both. Sessions are ended through the session
# store (contacts.services.end_sessions), which empties both.
SESSION_ENGINE = env.str(
    "DJANGO_SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db",
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # __Host- cookies: Secure, Path=/, no Domain; browsers refuse them otherwise.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES

# --- 6. Security headers and Content-Security-Policy (ADR 0043) -----------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes and Prometheus talk plain HTTP to the pod or machine (ADR 0102, 0103).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# Per-request nonces (django-csp); no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- 7. Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Dates and numbers in text go through the active language's formats; portal/formats/nl holds
# where Dutch differs from Django's own (ADR 0166).
FORMAT_MODULE_PATH = ["portal.formats"]

# --- 8. Static files and private media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments and reports hold personal data: they live outside any public root and are
# served only through permission-checked views. There is no MEDIA_URL on purpose.
PRIVATE_MEDIA_ROOT = env.path("TANDEM_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- 9. E-mail ---------------------------------------------------------------------------------
# EMAIL_URL becomes EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ... (django-environ).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tandem <noreply@tandem.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- 10. Logging: never personal data (portal/logging.py, ADR 0031) --------------------------
# DJANGO_LOG_FORMAT=json (default when DEBUG is false): one JSON object per line with time,
# level, logger, message, request_id, user_id. plain: readable lines (default with DEBUG).
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json")
try:
    LOGGING = _configure_logging(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            },
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": "plain"},
            },
            "root": {"handlers": ["console"], "level": LOG_LEVEL},
            "loggers": {
                "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
                # Third-party libraries that narrate every step at INFO.
                "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
            },
        },
        LOG_FORMAT,
    )
except ValueError as exc:  # an unknown DJANGO_LOG_FORMAT
    raise ImproperlyConfigured(str(exc)) from exc

# Error reporting (portal/error_reporting.py, ADR 0101): Sentry only when SENTRY_DSN is set;
# no personal data, no request bodies, no local variables, events masked like the logs.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
_error_reporting.init(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=SENTRY_RELEASE)

# --- 11. Tandem's own settings -----------------------------------------------------------------
# Every setting named TANDEM_*, each from the environment variable of the same name unless
# said otherwise (README "Configuration"). Settings of Django and of libraries that Tandem
# variables feed stay in their sections above: TANDEM_SITE_URL (SITE_URL),
# TANDEM_PRIVATE_MEDIA_ROOT (PRIVATE_MEDIA_ROOT), TANDEM_SESSION_IDLE_MINUTES and
# TANDEM_SESSION_TOUCH_SECONDS (SESSION_COOKIE_AGE), TANDEM_OTP_ISSUER (OTP_TOTP_ISSUER) and
# TANDEM_LOCKOUT_* (AXES_*).

# Referrals: waiting-time norms in working days from submission to a decision and to help
# started (ADR 0052), and the size limit of one attachment in bytes. The norms (and the
# escalation margin below) are the defaults; a region may set its own in the portal (ADR 0091).
TANDEM_NORM_DECISION_DAYS = env.int("TANDEM_NORM_DECISION_DAYS", default=5)
TANDEM_NORM_HELP_STARTED_DAYS = env.int("TANDEM_NORM_HELP_STARTED_DAYS", default=20)
TANDEM_ATTACHMENT_MAX_BYTES = env.int("TANDEM_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The installation's theme (ADR 0164): the name in the header and the brand colours of every
# page, chart and PDF of a region without its own theme, and of the pages before logging in.
# The colours must meet WCAG AA (4.5:1): the text colour on the primary colour, the link colour
# (the primary colour when empty) on white; `manage.py check` refuses them otherwise.
TANDEM_THEME_NAME = env.str("TANDEM_THEME_NAME", default="Tandem")
TANDEM_THEME_PRIMARY_COLOR = env.str("TANDEM_THEME_PRIMARY_COLOR", default="#0b4f6c")
TANDEM_THEME_PRIMARY_TEXT_COLOR = env.str("TANDEM_THEME_PRIMARY_TEXT_COLOR", default="#ffffff")
TANDEM_THEME_LINK_COLOR = env.str("TANDEM_THEME_LINK_COLOR", default="")
# A region's logo and favicon (SVG or PNG) may be at most this many bytes.
TANDEM_THEME_IMAGE_MAX_BYTES = env.int("TANDEM_THEME_IMAGE_MAX_BYTES", default=100 * 1024)

# Working days (ADR 0090): which public holidays are not working days, besides Saturday and
# Sunday. "termijnenwet" (default): the days of the Algemene termijnenwet - New Year's Day,
# Easter Monday, King's Day, 5 May every year, Ascension Day, Whit Monday, Christmas Day and
# Boxing Day; "termijnenwet+goede-vrijdag": those and Good Friday; "none": weekends only. The
# norms below count in these working days. A changed value reaches the SQL figures at the next
# `migrate` or the nightly beat task portal.sync_calendar.
TANDEM_WORKDAY_HOLIDAYS = env.str("TANDEM_WORKDAY_HOLIDAYS", default="termijnenwet")
if TANDEM_WORKDAY_HOLIDAYS not in ("termijnenwet", "termijnenwet+goede-vrijdag", "none"):
    raise ImproperlyConfigured(
        "TANDEM_WORKDAY_HOLIDAYS must be termijnenwet, termijnenwet+goede-vrijdag or none."
    )

# Escalation (ADR 0060): a referral without a decision this many working days beyond
# TANDEM_NORM_DECISION_DAYS is escalated automatically with reason "no progress".
TANDEM_AUTO_ESCALATE_MARGIN_DAYS = env.int("TANDEM_AUTO_ESCALATE_MARGIN_DAYS", default=5)

# Referrals that never end (ADR 0096): one returned to the school that the school does not
# answer, or one whose consent was withdrawn, lapses after TANDEM_LAPSE_DAYS working days; the
# school is reminded after TANDEM_LAPSE_REMINDER_DAYS. Retention then reaches it.
TANDEM_LAPSE_REMINDER_DAYS = env.int("TANDEM_LAPSE_REMINDER_DAYS", default=15)
TANDEM_LAPSE_DAYS = env.int("TANDEM_LAPSE_DAYS", default=20)
if not 1 <= TANDEM_LAPSE_REMINDER_DAYS < TANDEM_LAPSE_DAYS:
    raise ImproperlyConfigured(
        "TANDEM_LAPSE_REMINDER_DAYS must be at least 1 and below TANDEM_LAPSE_DAYS (working days)."
    )

# The 18-/18+ transition (ADR 0153): an open referral of a pupil who turns 18 within this many
# days shows the transition task; reminders go out at TANDEM_TRANSITION_REMINDER_DAYS days
# before the 18th birthday (each at most once) while the transition is not prepared.
TANDEM_TRANSITION_HORIZON_DAYS = env.int("TANDEM_TRANSITION_HORIZON_DAYS", default=180)
TANDEM_TRANSITION_REMINDER_DAYS = tuple(
    sorted({int(d) for d in env.list("TANDEM_TRANSITION_REMINDER_DAYS", default=["90", "30"])}, reverse=True)
)
if TANDEM_TRANSITION_HORIZON_DAYS < 1 or not all(
    1 <= d <= TANDEM_TRANSITION_HORIZON_DAYS for d in TANDEM_TRANSITION_REMINDER_DAYS
):
    raise ImproperlyConfigured(
        "TANDEM_TRANSITION_HORIZON_DAYS must be at least 1 and every TANDEM_TRANSITION_REMINDER_DAYS "
        "between 1 and the horizon."
    )

# Retention (ADR 0046, 0047): closed and declined referrals lose their personal data this many
# months after closing or declining (the row stays for the figures); drafts untouched this
# long are deleted. Both at least one month.
TANDEM_RETENTION_CLOSED_MONTHS = env.int("TANDEM_RETENTION_CLOSED_MONTHS", default=24)
TANDEM_RETENTION_DRAFT_MONTHS = env.int("TANDEM_RETENTION_DRAFT_MONTHS", default=3)
for _name, _months in (
    ("TANDEM_RETENTION_CLOSED_MONTHS", TANDEM_RETENTION_CLOSED_MONTHS),
    ("TANDEM_RETENTION_DRAFT_MONTHS", TANDEM_RETENTION_DRAFT_MONTHS),
):
    if _months < 1:
        raise ImproperlyConfigured(f"{_name} must be a whole number of months, at least 1.")

# A user's memberships (with their organisations) are kept in the cache for this many seconds;
# any change to a membership, organisation or region starts a new generation at once, so this
# bounds only how long an unused entry stays (contacts/permissions.py, ADR 0169). 0: off.
TANDEM_MEMBERSHIPS_CACHE_SECONDS = env.int("TANDEM_MEMBERSHIPS_CACHE_SECONDS", default=600)

# The device that verified a session (two-step verification) is read from the cache for this
# many seconds instead of the database on every request; a change of the device removes it at
# once (security/devices.py, ADR 0176). 0: off.
TANDEM_OTP_DEVICE_CACHE_SECONDS = env.int("TANDEM_OTP_DEVICE_CACHE_SECONDS", default=300)

# Dashboard figures from the cache (reporting/summaries.py, ADR 0081): seconds a running
# half-year's figures stay cached (0: off), a closed half-year's, and how often the beat task
# recomputes the figures people looked at (minutes, 0: never).
TANDEM_FIGURES_CACHE_SECONDS = env.int("TANDEM_FIGURES_CACHE_SECONDS", default=600)
TANDEM_FIGURES_CACHE_CLOSED_SECONDS = env.int("TANDEM_FIGURES_CACHE_CLOSED_SECONDS", default=24 * 3600)
TANDEM_FIGURES_REFRESH_MINUTES = env.int("TANDEM_FIGURES_REFRESH_MINUTES", default=5)

# Two-step verification (ADR 0040, 0136): required for every account with a role, and for
# admin-site users: every role reaches personal data (names and e-mail addresses of the
# network at least), and a first password is set through an e-mailed link. The test settings
# switch the requirement off so tests can use force_login; tests/security switch it on. The
# number of recovery codes is fixed, not read from the environment.
TANDEM_REQUIRE_2FA = env.bool("TANDEM_REQUIRE_2FA", default=True)
TANDEM_RECOVERY_CODES = 10

# Invitations (ADR 0135): the registry administrator's invitation link is valid this many
# days (whole days, at least 1); a resend starts the period again.
TANDEM_INVITATION_DAYS = env.int("TANDEM_INVITATION_DAYS", default=7)
if TANDEM_INVITATION_DAYS < 1:
    raise ImproperlyConfigured("TANDEM_INVITATION_DAYS must be a whole number of days, at least 1.")

# Sessions (ADR 0042): after TANDEM_SESSION_ABSOLUTE_HOURS the user logs in again however
# active; the warning shows this many seconds before the idle timeout.
TANDEM_SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("TANDEM_SESSION_ABSOLUTE_HOURS", default=10))
TANDEM_SESSION_WARNING_SECONDS = env.int("TANDEM_SESSION_WARNING_SECONDS", default=120)

# Login records (django-axes AccessLog: who logged in when, from which address) are kept for
# security review for TANDEM_LOGIN_LOG_RETENTION_DAYS, then deleted nightly
# (security.prune_login_records).
TANDEM_LOGIN_LOG_RETENTION = timedelta(days=env.int("TANDEM_LOGIN_LOG_RETENTION_DAYS", default=180))

# Public pages: who answers questions about privacy and about accessibility.
TANDEM_PRIVACY_CONTACT_EMAIL = env.str("TANDEM_PRIVACY_CONTACT_EMAIL", default="privacy@tandem.invalid")
TANDEM_ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "TANDEM_ACCESSIBILITY_CONTACT_EMAIL", default=TANDEM_PRIVACY_CONTACT_EMAIL
)

# Notification e-mails (ADR 0152): the hour of the day (0-23, Amsterdam time) at which beat sends
# the daily digest to those who chose it in their notification settings.
TANDEM_DIGEST_HOUR = env.int("TANDEM_DIGEST_HOUR", default=7)
if not 0 <= TANDEM_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("TANDEM_DIGEST_HOUR must be an hour of the day, 0 to 23.")

# How often beat queues the heartbeat task, in seconds; 0 (the default): every 5 minutes on
# the clock. The key `heartbeat:beat` expires after 10 minutes, so keep this below 600.
TANDEM_HEARTBEAT_SECONDS = env.int("TANDEM_HEARTBEAT_SECONDS", default=0)

# Metrics (portal/metrics.py, ADR 0102): /metrics answers requests from these addresses or
# networks (comma-separated, CIDR allowed), or with "Authorization: Bearer TANDEM_METRICS_TOKEN"
# (at least 32 characters; unset: no token accepted).
TANDEM_METRICS_ALLOWED_IPS = env.list("TANDEM_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
try:
    TANDEM_METRICS_ALLOWED_NETWORKS = tuple(
        _ipaddress.ip_network(item.strip(), strict=False)
        for item in TANDEM_METRICS_ALLOWED_IPS
        if item.strip()
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"TANDEM_METRICS_ALLOWED_IPS: {exc}") from exc
TANDEM_METRICS_TOKEN = env.str("TANDEM_METRICS_TOKEN", default="")
if TANDEM_METRICS_TOKEN and len(TANDEM_METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("TANDEM_METRICS_TOKEN must be at least 32 characters (or unset).")

# Backups (portal/backup.py, ADR 0032, 0104): archives are encrypted with gpg to these
# recipients (comma-separated key ids, fingerprints or e-mail addresses of public keys in the
# keyring TANDEM_BACKUP_GNUPGHOME, default gpg's own); unset: not encrypted. Restore decrypts
# with the private key there (its passphrase, if any, in TANDEM_BACKUP_GPG_PASSPHRASE_FILE).
# After a backup, archives older than TANDEM_BACKUP_KEEP_DAYS are deleted (0: keep all).
TANDEM_BACKUP_GPG_RECIPIENTS = env.list("TANDEM_BACKUP_GPG_RECIPIENTS", default=[])
TANDEM_BACKUP_GNUPGHOME = env.str("TANDEM_BACKUP_GNUPGHOME", default="")
TANDEM_BACKUP_GPG_PASSPHRASE_FILE = env.str("TANDEM_BACKUP_GPG_PASSPHRASE_FILE", default="")
TANDEM_BACKUP_KEEP_DAYS = env.int("TANDEM_BACKUP_KEEP_DAYS", default=0)

# --- 12. Celery and the beat schedule ----------------------------------------------------------
# Tasks take ids, never personal data; JSON only; late acknowledgement (portal/celery.py).
# Each app's tasks live in its tasks.py, where autodiscovery finds them.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # no broker configured: run tasks inline
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
# A worker that dies whole (SIGKILL, a lost machine) cannot hand its message back: Redis gives it
# to another worker after TANDEM_TASK_VISIBILITY_SECONDS, longer than the time limit so that a
# task still running is not handed out twice (a killed pool child is requeued at once:
# REJECT_ON_WORKER_LOST). Every worker looks for such messages every few seconds (ADR 0132).
TANDEM_TASK_VISIBILITY_SECONDS = env.int(
    "TANDEM_TASK_VISIBILITY_SECONDS", default=CELERY_TASK_TIME_LIMIT + 5 * 60
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TANDEM_TASK_VISIBILITY_SECONDS,
    "unacked_restore_interval": max(1, min(10, TANDEM_TASK_VISIBILITY_SECONDS // 4)),
    "unacked_restore_throttle": 1,
}
# Publishing fails fast when Redis is down (one quick retry, not kombu's ~6 s): the outbox row
# stays pending and beat's dispatcher sends it later (ADR 0130); a request does not hang.
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery logs through LOGGING above (same format, same filters) instead of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The whole beat schedule, in code (entry name -> task and schedule); times are Amsterdam time.
CELERY_BEAT_SCHEDULE = {
    # Lets operators see that beat and a worker are alive (key "heartbeat:beat" in the cache).
    "portal-heartbeat": {
        "task": "portal.heartbeat",
        "schedule": (
            timedelta(seconds=TANDEM_HEARTBEAT_SECONDS)
            if TANDEM_HEARTBEAT_SECONDS > 0
            else crontab(minute="*/5")
        ),
        "args": ["beat"],
    },
    # The transactional outbox (ADR 0130): hand what is still pending to the broker.
    "portal-dispatch-outbox": {
        "task": "portal.dispatch_outbox",
        "schedule": timedelta(minutes=1),
    },
    # The daily digest of notifications for those who chose it (ADR 0152).
    "portal-send-digests": {
        "task": "portal.send_digests",
        "schedule": crontab(minute=0, hour=TANDEM_DIGEST_HOUR),
    },
    # Progress reports: the previous half-year for the region and each subregion (ADR 0072).
    "reporting-half-yearly-progress-reports": {
        "task": "reporting.schedule_progress_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=10, month_of_year="1,7"),
    },
    # Recompute the dashboard figures people looked at, unless the cache or the refresh is off.
    **(
        {
            "reporting-refresh-dashboard-figures": {
                "task": "reporting.refresh_dashboard_figures",
                "schedule": timedelta(minutes=TANDEM_FIGURES_REFRESH_MINUTES),
            }
        }
        if TANDEM_FIGURES_REFRESH_MINUTES > 0 and TANDEM_FIGURES_CACHE_SECONDS > 0
        else {}
    ),
    # Keep the public-holiday table the SQL working-day count reads filled for the coming years.
    "portal-sync-calendar": {
        "task": "portal.sync_calendar",
        "schedule": crontab(hour=2, minute=40),
    },
    # Delete login records older than TANDEM_LOGIN_LOG_RETENTION.
    "security-prune-login-records": {
        "task": "security.prune_login_records",
        "schedule": crontab(hour=3, minute=17),
    },
    # Remind the privacy officer of data-subject requests near their deadline (ADR 0106).
    "security-data-subject-request-reminders": {
        "task": "security.data_subject_request_reminders",
        "schedule": crontab(hour=6, minute=40),
    },
    # Escalate referrals past the decision norm plus the margin; remind of overdue decisions.
    "referrals-auto-escalate": {
        "task": "referrals.auto_escalate",
        "schedule": crontab(hour=6, minute=10),
    },
    "referrals-decision-reminders": {
        "task": "referrals.decision_reminders",
        "schedule": crontab(hour=6, minute=20),
    },
    # Remind of referrals near or over a waiting-time norm (once per referral and norm).
    "referrals-waiting-time-reminders": {
        "task": "referrals.tasks.send_waiting_time_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    # Remind the district team and the school of 18th birthdays near (ADR 0153), once per day
    # count; a run missed is made up the next day.
    "referrals-transition-reminders": {
        "task": "referrals.tasks.send_transition_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    # Remind the school of referrals about to lapse, and lapse those past the term (ADR 0096),
    # on working days before the waiting-time reminders.
    "referrals-lapse-stale-referrals": {
        "task": "referrals.lapse_stale_referrals",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon-fri"),
    },
    # The retention run (ADR 0046) at 03:30: after midnight, outside office hours, and outside
    # 02:00-03:00, the hour that does not exist (March) or happens twice (October).
    "referrals-apply-retention": {
        "task": "referrals.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}

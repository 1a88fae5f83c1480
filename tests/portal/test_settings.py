"""Production settings: refuse a weak secret, and `check --deploy` gives zero warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_a_real_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false", DJANGO_SETTINGS_MODULE="portal.settings")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    weak = run_manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="django-insecure-short",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    assert weak.returncode != 0


def test_check_deploy_has_zero_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-real-looking-secret-" + "q8Zr2xP0vLm4Tn6" * 4,
        DJANGO_ALLOWED_HOSTS="tandem.example.nl",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_use_host_prefix():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-real-looking-secret-" + "q8Zr2xP0vLm4Tn6" * 4,
        DJANGO_ALLOWED_HOSTS="tandem.example.nl",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "31536000"], out.stderr


# --- Settings read top to bottom -------------------------------------------------------------
# The effective order of the middleware: request ids first, CSP after WhiteNoise, OTP right
# after authentication, Tandem's session, 2FA and no-store middleware after messages,
# django-axes last (ADR 0031, 0040-0043). Changing it changes behaviour; change it here too.
MIDDLEWARE_ORDER = [
    "portal.request_id.RequestIdMiddleware",
    "portal.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.SessionMiddleware",  # Django's, leaving a passive poll's session alone (ADR 0042)
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.devices.OTPMiddleware",  # django-otp's, the verifying device from the cache (ADR 0176)
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionLifetimeMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "security.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]


def test_the_middleware_order_is_pinned():
    from django.conf import settings

    from portal import settings as production

    assert production.MIDDLEWARE == MIDDLEWARE_ORDER
    assert settings.MIDDLEWARE == MIDDLEWARE_ORDER


def test_production_installs_every_app_but_the_bench():
    from django.conf import settings

    from portal import settings as production

    ours = ["portal", "contacts", "referrals", "agenda", "reporting", "security"]
    assert [app for app in production.INSTALLED_APPS if app in ours] == ours
    assert "bench" not in production.INSTALLED_APPS
    assert settings.INSTALLED_APPS == [*production.INSTALLED_APPS, "bench"]


def test_each_setting_is_written_once_without_later_code_changing_it():
    source = (ROOT / "portal" / "settings.py").read_text()
    for construct in (
        "globals().get",
        "MIDDLEWARE.insert",
        "MIDDLEWARE.append",
        "MIDDLEWARE[",
        "INSTALLED_APPS +=",
        "CELERY_BEAT_SCHEDULE[",
        "CELERY_IMPORTS",
        '["context_processors"].append',
    ):
        assert construct not in source, construct
    from portal import settings as production

    assert not hasattr(production, "CELERY_IMPORTS")
    processors = production.TEMPLATES[0]["OPTIONS"]["context_processors"]
    assert processors[-4:] == [
        "portal.context_processors.navigation",
        "portal.context_processors.theme",  # the region's house style (ADR 0164)
        "security.context_processors.session",
        "security.context_processors.sso_providers",  # the login page's SSO buttons (ADR 0138)
    ]

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

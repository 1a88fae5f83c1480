"""Settings for the test suite: the real settings with test defaults for what CI does not set.

`make test` points DATABASE_URL at PostgreSQL and REDIS_URL at Redis. Each override below
replaces a value of portal/settings.py; none changes that module's own values.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-" + "k3y-" * 15)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem")

from .settings import *  # noqa: E402,F403
from .settings import BASE_DIR, CACHES, INSTALLED_APPS, STORAGES  # noqa: E402

# `make test` runs the suite in parallel (pytest-xdist); each worker ("gw0", "gw1", ...) has its
# own test database (pytest-django adds the suffix), its own private-media folder and its own
# cache keys. Processes a test starts inherit the variable and so land in the same places.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

# The development-only load generator and benchmark (bench/, ADR 0080) are tested too.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A real worker started by a test writes its e-mails as files there, for the test to count.
if os.environ.get("TANDEM_TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["TANDEM_TEST_EMAIL_DIR"]
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / f"test-private{'-' + XDIST_WORKER if XDIST_WORKER else ''}"
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": XDIST_WORKER}}
STORAGES = {
    **STORAGES,
    "default": {
        **STORAGES["default"],
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = BASE_DIR / "var" / "test-static"
os.makedirs(STATIC_ROOT, exist_ok=True)
# Tests decide per test whether Celery runs inline; by default it does. A real worker started
# by an integration test (CELERY_WORKER_TEST) consumes from Redis and must not run the tasks
# it sends (retries) inline.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_WORKER_TEST")
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "memory://"
# Tests log in with force_login / the password form; tests/security switch 2FA on (ADR 0040).
TANDEM_REQUIRE_2FA = False
# Tests see live figures; tests/reporting/test_summaries.py switches the figures cache on.
TANDEM_FIGURES_CACHE_SECONDS = 0
# Tests count the memberships query of each request (pinned query counts);
# tests/contacts/test_memberships_cache.py switches the memberships cache on.
TANDEM_MEMBERSHIPS_CACHE_SECONDS = 0
TANDEM_OTP_DEVICE_CACHE_SECONDS = 0  # on in the tests of security/devices.py
# Sessions in the database alone, so that pinned query counts and the session tests that age a
# session row count as before; tests/contacts/test_accounts.py ends sessions under cached_db.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

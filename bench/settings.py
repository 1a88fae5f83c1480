"""Settings for the development-only load data and benchmark (ADR 0080): the production
settings plus the bench app, whose commands (seed_load, bench_report) exist only here and
in the test settings.

    DJANGO_SETTINGS_MODULE=bench.settings python manage.py seed_load --referrals 20000
"""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

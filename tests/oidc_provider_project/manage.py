"""A throwaway OpenID Connect provider (django-oidc-provider) for Tandem's SSO tests (ADR 0138).

Its own Django project with its own SQLite database; tests/security/test_sso_browser.py starts
it with runserver on a free port. Nothing of Tandem is imported here."""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ["DJANGO_SETTINGS_MODULE"] = "testprovider.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

"""System checks of the registries apps fill in their AppConfig.ready(): every navigation
entry and home-page entry point names a URL that exists. Registered by PortalConfig.ready();
run by `manage.py check` and by tests/portal/test_navigation.py."""

from django.core import checks
from django.urls import NoReverseMatch, reverse

from portal import home, navigation


def check_registered_url_names(app_configs=None, **kwargs):
    errors = []
    for item in navigation.registered():
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"Navigation entry {item.order} names the URL {item.url_name!r}, which does not exist.",
                    hint="Fix the url name in the register() call of the app's AppConfig.ready().",
                    id="portal.E001",
                )
            )
    for role, url_name, _label, _description in home.registered():
        try:
            reverse(url_name)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"Home-page entry point of role {role!r} names the URL {url_name!r}, "
                    "which does not exist.",
                    hint="Fix the url name in the register() call of the app's AppConfig.ready().",
                    id="portal.E002",
                )
            )
    return errors

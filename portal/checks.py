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


def check_default_theme(app_configs=None, **kwargs):
    """The installation's theme colours (TANDEM_THEME_*) are "#rrggbb" and meet WCAG AA (ADR 0164)."""
    # Settings are read when the check runs, not at import.
    from django.conf import settings

    from portal import theme

    colours = {
        "TANDEM_THEME_PRIMARY_COLOR": settings.TANDEM_THEME_PRIMARY_COLOR,
        "TANDEM_THEME_PRIMARY_TEXT_COLOR": settings.TANDEM_THEME_PRIMARY_TEXT_COLOR,
        "TANDEM_THEME_LINK_COLOR": settings.TANDEM_THEME_LINK_COLOR,
    }
    bad = [name for name, value in colours.items() if value and not theme.HEX_COLOUR.match(value)]
    if bad or not colours["TANDEM_THEME_PRIMARY_COLOR"] or not colours["TANDEM_THEME_PRIMARY_TEXT_COLOR"]:
        return [
            checks.Error(
                f"{', '.join(bad) or 'TANDEM_THEME_PRIMARY_COLOR/TEXT_COLOR'}: not a colour like #0b4f6c.",
                id="portal.E003",
            )
        ]
    problems = theme.contrast_problems(
        settings.TANDEM_THEME_PRIMARY_COLOR,
        settings.TANDEM_THEME_PRIMARY_TEXT_COLOR,
        settings.TANDEM_THEME_LINK_COLOR,
    )
    return [
        checks.Error(
            f"The default theme's {field} has a contrast of {theme.floor_ratio(ratio):.2f}:1 "
            f"on {background}; WCAG AA needs 4.5:1.",
            id="portal.E004",
        )
        for field, (ratio, background) in problems.items()
    ]

"""The main navigation: one entry per place, shown to the users who may use it.

Each app registers its entries in its AppConfig.ready() with `register(...)`; portal imports
no app. The entries are shown in the order of their `order` number, whatever the order in
which the apps register them. Today's order (keep gaps for new entries):

    100 home                      portal     700 notifications:list         portal
    200 contacts:directory        contacts   800 reporting:dashboard        reporting
    300 contacts:coverage         contacts   900 reporting:report_list      reporting
    400 agenda:index              agenda     950 reporting:published_list   reporting
                                             960 reporting:startfoto        reporting
    500 referrals:list            referrals 1000 escalations:inbox          escalations
                                            1050 escalations:my_mediations escalations
    600 referrals:inbox           referrals 1100 escalations:precedents     escalations
                                            1200 security:access_log        security
                                            1300 security:subject_access    security
                                            1400 security:register          security
                                            1500 security:request_list      security
                                            1600 security:breach_list       security

A url name that does not resolve is an error, not a hidden entry: the system check in
portal/checks.py reverses every registered name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

from portal import memberships


@dataclass(frozen=True)
class NavItem:
    order: int
    url_name: str
    label: str
    roles: frozenset = frozenset()  # role strings; empty: every user with a membership
    visible: Callable | None = None  # visible(user) -> bool, instead of or on top of roles

    def shown_to(self, user, user_roles):
        if self.roles and not (self.roles & user_roles):
            return False
        return self.visible is None or self.visible(user)


_ITEMS = []


def register(order, url_name, label, roles=(), visible=None):
    """Add an entry. roles: the roles (strings or role enum members) that see it; none: every
    user with a membership. visible: a callable(user) -> bool for a rule roles cannot say."""
    if any(item.order == order for item in _ITEMS):
        raise ValueError(f"Navigation order {order} is taken; pick a free number for {url_name}.")
    _ITEMS.append(NavItem(order, url_name, label, frozenset(str(r) for r in roles), visible))
    _ITEMS.sort(key=lambda item: item.order)


def registered():
    return list(_ITEMS)


# Each entry's path, per URLconf and script prefix (the same in every request of a process):
# reversing a dozen names on every page cost more than the rest of the navigation
# (bench/FINDINGS.md). Emptied when a test changes ROOT_URLCONF.
_PATHS = {}


@receiver(setting_changed)
def _forget_paths(setting, **_kwargs):
    if setting == "ROOT_URLCONF":
        _PATHS.clear()


def _path(url_name):
    key = (url_name, get_urlconf(), get_script_prefix())
    path = _PATHS.get(key)
    if path is None:
        path = _PATHS[key] = reverse(url_name)
    return path


def items_for(user, current=""):
    """The entries for `user` (none without a membership), with `current` (a view name) marked."""
    user_roles = memberships.roles(user)
    if not user_roles:
        return []
    return [
        {
            "url": _path(item.url_name),
            "label": item.label,
            "url_name": item.url_name,
            "current": item.url_name == current,
        }
        for item in _ITEMS
        if item.shown_to(user, user_roles)
    ]

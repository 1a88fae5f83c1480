"""What each role sees on the home page: the entry points for that membership.

Each app registers its entry points in its AppConfig.ready() with
`register(role, url_name, label, description)`; portal imports no app. A role's entry points
are shown in the order they were registered, so in the order of INSTALLED_APPS. A url name
that does not resolve is an error (the system check in portal/checks.py reverses them all).
"""

from collections import defaultdict

from django.urls import reverse

from portal import memberships

_ENTRY_POINTS = defaultdict(list)


def register(role, url_name, label, description=""):
    """`description` is a text, or a function of the membership that returns one (for a
    figure such as the number of open requests of the membership's organisation)."""
    _ENTRY_POINTS[str(role)].append((url_name, label, description))


def registered():
    """(role, url_name, label, description) for every registered entry point."""
    return [(role, *entry) for role, entries in _ENTRY_POINTS.items() for entry in entries]


def entry_points_for(membership):
    return [
        {
            "url": reverse(url_name),
            "label": label,
            "description": description(membership) if callable(description) else description,
        }
        for url_name, label, description in _ENTRY_POINTS[str(membership.role)]
    ]


def blocks_for(user):
    """One block per membership of the user: the membership and its entry points."""
    return [{"membership": m, "entry_points": entry_points_for(m)} for m in memberships.memberships(user)]

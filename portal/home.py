"""What each role sees on the home page: the entry points for that membership.

Each app registers its entry points in its AppConfig.ready() with
`register(role, url_name, label, description)`, and what waits for a role now (its worklist,
ADR 0140) with `register_worklist(role, func)`; portal imports no app. A role's entry points
are shown in the order they were registered, so in the order of INSTALLED_APPS. A url name
that does not resolve is an error (the system check in portal/checks.py reverses them all).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from portal import memberships

_ENTRY_POINTS = defaultdict(list)
_WORKLISTS = defaultdict(list)


@dataclass(frozen=True)
class WorkItem:
    """One line of a role's worklist (ADR 0140): what waits, how many, and the list that shows
    exactly those; `note` adds a date or a deadline ("oldest since 3 December")."""

    label: str
    count: int
    url: str
    note: str = ""


def register_worklist(role, func):
    """`func(membership)` returns the WorkItems that wait for the membership now. Each app
    registers its own in AppConfig.ready() and counts in its own selectors; portal imports no
    app. The items are shown in the order of registration."""
    _WORKLISTS[str(role)].append(func)


def worklist_for(membership):
    return [item for func in _WORKLISTS[str(membership.role)] for item in func(membership)]


def register(role, url_name, label, description=""):
    """`description` is a text, or a function of the membership that returns one (for a
    figure such as the number of open requests of the membership's organisation)."""
    _ENTRY_POINTS[str(role)].append((url_name, label, description))


def registered():
    """(role, url_name, label, description) for every registered entry point (a personal one
    under the role "")."""
    return [(role, *entry) for role, entries in _ENTRY_POINTS.items() for entry in entries] + [
        ("", url_name, label, description) for _heading, url_name, label, description, _visible in _PERSONAL
    ]


def entry_points_for(membership):
    return [
        {
            "url": reverse(url_name),
            "label": label,
            "description": description(membership) if callable(description) else description,
        }
        for url_name, label, description in _ENTRY_POINTS[str(membership.role)]
    ]


_PERSONAL = []


def register_personal(heading, url_name, label, description, visible):
    """An entry point that belongs to the person, not to one of their memberships (a mediator,
    ADR 0162): shown once, in a block of its own headed `heading`, when `visible(user)`.
    `description` is a text or a function of the user."""
    _PERSONAL.append((heading, url_name, label, description, visible))


def personal_for(user):
    """The person's own blocks: {"heading", "entry_points"} for each visible registration."""
    return [
        {
            "heading": heading,
            "entry_points": [
                {
                    "url": reverse(url_name),
                    "label": label,
                    "description": description(user) if callable(description) else description,
                }
            ],
        }
        for heading, url_name, label, description, visible in _PERSONAL
        if visible(user)
    ]


def blocks_for(user):
    """One block per membership of the user: the membership, what waits for it now (its
    worklist) and its entry points."""
    return [
        {"membership": m, "worklist": worklist_for(m), "entry_points": entry_points_for(m)}
        for m in memberships.memberships(user)
    ]

"""The permission matrix: every URL of the project × every actor → expected status.

Each app keeps its rows in `tests/<app>/matrix.py` as `CASES = [Case(...), ...]`;
tests/portal/test_permission_matrix.py walks them all and fails when a URL pattern of the
project has no row. Unlisted actors get `default` (authenticated) or 302 (anonymous, to the
login page). A foreign object must answer 404, a forbidden action 403 (docs/architecture.md, "Who sees what").
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

MATRIX_MODULES = [
    "tests.portal.matrix",
    "tests.contacts.matrix",
    "tests.referrals.matrix",
    "tests.agenda.matrix",
    "tests.reporting.matrix",
    "tests.security.matrix",
    "tests.escalations.matrix",
]

# URL names that are not ours to test (Django's admin has its own staff-only rules).
EXEMPT_NAMESPACES = {"admin"}


@dataclass
class Case:
    name: str  # the URL name, "namespace:name"
    url: Callable[[Any], str]  # world -> path (may create objects in the world first)
    expect: dict = field(default_factory=dict)  # actor -> status
    default: int = 403
    anonymous: int = 302
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    label: str = ""

    @property
    def id(self):
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"

    def expected(self, actor):
        if actor in self.expect:
            return self.expect[actor]
        return self.anonymous if actor == "anonymous" else self.default


def all_cases():
    return [case for module_name in MATRIX_MODULES for case in import_module(module_name).CASES]


def project_url_names():
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in EXEMPT_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return names

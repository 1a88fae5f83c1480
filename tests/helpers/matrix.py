"""The permission matrix: every URL of the project × every actor → expected status.

Each app keeps its rows in `tests/<app>/matrix.py` as `CASES = [Case(...), ...]`;
tests/portal/test_permission_matrix.py walks them all and fails when a URL pattern of the
project has no row. Unlisted actors get `default` (authenticated) or 302 (anonymous, to the
login page). A foreign object must answer 404, a forbidden action 403 (docs/architecture.md, "Who sees what").

The region axis (ADR 0123, ADR 0147; tests/portal/test_permission_matrix.py,
`test_region_axis`): every case is run a second time by the same roles of another region —
the actors of `world.abroad`, a complete second world ("Regio Elders") — against the first
world's URL. What they must get depends on the case's `region`:

- `OBJECT` (the default when the URL carries an argument, e.g. a pk, uuid or slug): the object
  belongs to the first region, so every actor of the other region gets 404 (a foreign object
  does not exist). Except: an actor the case refuses by role (not named in `expect` while
  `default` is 403) may get 403 or 404, and a refused method keeps 405 — neither depends on
  the object, so neither reveals it. `abroad={actor: status}` overrides for a single actor.
- `LIST`: a page without an object that lists a region's things. `seed(world)` creates the
  first region's objects and returns the strings by which they would show on the page (a
  reference, a name); each actor of the other region gets the same status as the first
  region's actor of that role (`abroad` overrides) and, when it is 200, none of the strings
  (in HTML, CSV or JSON alike).
- `NATIONAL`: deliberately national (ADR 0147): the other region's actors get what the first
  region's do, and a 200 HTML page shows the object's region (the first world's region name);
  a list page names the objects to show in `seed`.
- `NONE`: the page holds nothing of a region (log-in, a form, the privacy statement); the
  other region's actors get what the first region's do (`abroad` overrides).

A URL without an argument has no default: its case must say `region=LIST` with a `seed`, or
`region=NONE` / `NATIONAL`. `test_every_url_has_a_region_case` fails for a URL name none of
whose cases decides the region axis. Adding a page therefore means: write its rows as before;
for a list page add `region=LIST, seed=lambda w: [make_something(w).reference]`.
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


# The region axis: what the same role of another region gets (see the module docstring).
OBJECT = "object"
LIST = "list"
NATIONAL = "national"
NONE = "none"
REGION_KINDS = (OBJECT, LIST, NATIONAL, NONE)


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
    region: str = ""  # OBJECT, LIST, NATIONAL or NONE; "" infers OBJECT for a URL with arguments
    seed: Callable[[Any], list] | None = None  # LIST: make the region's objects, return their strings
    abroad: dict = field(default_factory=dict)  # other-region actor -> status, overriding the rule

    def __post_init__(self):
        assert self.region in ("", *REGION_KINDS), f"{self.id}: unknown region kind {self.region!r}"
        assert self.region != LIST or self.seed is not None, f"{self.id}: a LIST case needs a seed"
        assert self.seed is None or self.region in (LIST, NATIONAL), f"{self.id}: a seed is for LIST/NATIONAL"

    def region_kind(self):
        """The region axis for this case; "" = undecided (a URL without arguments must say)."""
        if self.region:
            return self.region
        return OBJECT if self.name in url_names_with_arguments() else ""

    def expected_abroad(self, actor, kind):
        """The statuses the other region's actor of the same role may get (None: not asked)."""
        if actor in ("anonymous", "no_membership"):
            return None  # no region: the first axis covers them
        if actor in self.abroad:
            return frozenset({self.abroad[actor]})
        if kind != OBJECT:
            return frozenset({self.expected(actor)})
        if self.expected(actor) == 405:
            return frozenset({405})  # the method is refused before anything is looked up
        if self.default == 403 and actor not in self.expect:
            # The role is refused whatever the object: 403 before the lookup or 404 after it
            # both reveal nothing.
            return frozenset({403, 404})
        return frozenset({404})

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
    return set(_project_urls())


def url_names_with_arguments():
    """The URL names whose route takes an argument (a pk, uuid, slug, kind...)."""
    return {name for name, takes in _project_urls().items() if takes}


def _project_urls():
    """URL name -> whether its route (or an including one) takes an argument."""
    names = {}

    def takes_argument(p):
        return bool(getattr(p.pattern, "converters", None) or p.pattern.regex.groups)

    def walk(patterns, namespace, outer):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in EXEMPT_NAMESPACES:
                    continue
                walk(
                    p.url_patterns,
                    f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace,
                    outer or takes_argument(p),
                )
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                names[name] = names.get(name, False) or outer or takes_argument(p)

    walk(get_resolver().url_patterns, "", False)
    return names

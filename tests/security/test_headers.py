"""Security headers on every URL of the project for every actor, and templates that need no
'unsafe-inline' (ADR 0043). New apps are covered through their tests/<app>/matrix.py rows."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from portal.views import IMAGE_CSP
from security.decorators import ShowsChildDataMixin, shows_child_data, view_shows_child_data
from security.middleware import NoStoreMiddleware
from tests.helpers.matrix import all_cases
from tests.helpers.world import ACTORS

CASES = all_cases()
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = tokens[1:]
    return directives


def header_problems(response, authenticated):
    problems = []
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        return ["no Content-Security-Policy"]
    if "unsafe" in csp:
        problems.append(f"CSP allows unsafe sources: {csp}")
    image = response.headers.get("Content-Type", "").startswith("image/")
    directives = parse_csp(csp)
    script_src = directives.pop("script-src", [])
    # A theme's logo or favicon has a stricter policy than the site's: nothing may load or run in it.
    if not (image and csp == IMAGE_CSP):
        if script_src[:1] != ["'self'"] or any(not s.startswith("'nonce-") for s in script_src[1:]):
            problems.append(f"script-src is {script_src}")
        if directives != EXPECTED_CSP:
            problems.append(f"CSP directives are {directives}")
    content_type = response.headers.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/html"):
        nonces = [s[len("'nonce-") : -1] for s in script_src[1:]]
        body = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", body):
            if not nonces or f'nonce="{nonces[0]}"' not in tag:
                problems.append(f"script without the response's nonce: {tag}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    }
    for name, value in expected.items():
        if response.headers.get(name) != value:
            problems.append(f"{name} is {response.headers.get(name)!r}, expected {value!r}")
    cache = response.headers.get("Cache-Control", "")
    if authenticated and "no-store" not in cache:
        problems.append(f"Cache-Control is {cache!r} for a logged-in user")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.django_db
def test_every_url_sends_the_security_headers_to_every_actor(case, world, client):
    url = case.url(world)
    problems = []
    for actor in ACTORS:
        client.logout()
        user = world.user(actor)
        if user is not None:
            client.force_login(user)
        data = case.data(world) if case.data else None
        method = getattr(client, case.method)
        response = method(url, data, secure=True) if data is not None else method(url, secure=True)
        problems += [f"{actor}: {p}" for p in header_problems(response, user is not None)]
    assert not problems, f"{case.id} {url}\n" + "\n".join(problems)


def test_hsts_is_a_year_with_subdomains(settings):
    assert settings.SECURE_HSTS_SECONDS == 31536000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS


def test_views_marked_as_showing_child_data_are_never_stored():
    @shows_child_data
    def view(request):
        return HttpResponse("child")

    class View(ShowsChildDataMixin):
        pass

    def as_view(request):
        return HttpResponse()

    as_view.view_class = View
    assert view_shows_child_data(view) and view_shows_child_data(as_view)
    assert not view_shows_child_data(lambda request: None)

    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    middleware = NoStoreMiddleware(view)
    middleware.process_view(request, view, (), {})
    response = middleware(request)
    assert "no-store" in response["Cache-Control"]

    plain = RequestFactory().get("/")
    plain.user = AnonymousUser()
    assert "Cache-Control" not in NoStoreMiddleware(lambda r: HttpResponse())(plain)


# --- Templates that a strict CSP allows --------------------------------------------------------


def project_templates():
    root = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and ".venv" not in path.parts:
            dirs.append(path / "templates")
    # E-mail templates are read by mail clients, never served under the portal's CSP; mail
    # clients need inline styles (ADR 0152).
    emails = Path(settings.BASE_DIR).resolve() / "templates" / "emails"
    return sorted(
        {f for d in dirs if d.is_dir() for f in d.rglob("*.html") if not f.resolve().is_relative_to(emails)}
    )


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
# htmx's hx-on evaluates code, which the CSP (no 'unsafe-eval') and htmx-config forbid.
HTMX_ON = re.compile(r"\shx-on[:-]", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_templates_are_found():
    names = {p.name for p in project_templates()}
    assert {"base.html", "login.html", "two_factor_setup.html"} <= names


@pytest.mark.parametrize("path", project_templates(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_needs_unsafe_inline(path):
    text = path.read_text(encoding="utf-8")
    problems = []
    for name, pattern in [
        ("inline <script> without src", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("on* event-handler attribute", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
        ("hx-on attribute", HTMX_ON),
    ]:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {name}: {match.group(0)[:80]!r}")
    assert not problems, "\n".join(problems)


def test_the_scanner_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert STYLE_ATTRIBUTE.search('<div class="a" style="color:red">')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert not EVENT_HANDLER.search('<a class="utrecht-link" href="/on=1">')
    assert HTMX_ON.search('<button hx-on:click="x()">')

"""Middleware: absolute session timeout, two-factor enforcement, no-store for logged-in pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from security import services
from security.decorators import view_shows_child_data
from security.session_keys import LOGIN_AT_SESSION_KEY, SAVED_AT_SESSION_KEY

# Pages a logged-in user may reach before finishing two-factor authentication.
TWO_FACTOR_EXEMPT = {
    "security:two_factor_verify",
    "security:two_factor_setup",
    "security:session_keepalive",
    "security:privacy_statement",
    "security:accessibility_statement",
    "logout",
    "set_language",
    "healthz",
    "favicon",
}


def _redirect(request, url):
    """A full-page redirect, also when the request came from htmx (which would otherwise swap
    the login or 2FA page into a fragment of the current page)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class SessionLifetimeMiddleware:
    """Log out a session older than TANDEM_SESSION_ABSOLUTE_TIMEOUT, however active (ADR 0042).

    The idle timeout is SessionMiddleware's, below (ADR 0172)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(LOGIN_AT_SESSION_KEY)
            if started is None:
                request.session[LOGIN_AT_SESSION_KEY] = now
            elif now - started > settings.TANDEM_SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(
                    request, _("Your session has ended because you were logged in too long. Log in again.")
                )
                return _redirect(request, redirect_to_login(request.get_full_path())["Location"])
        return self.get_response(request)


class TwoFactorMiddleware:
    """Before any other page: verification for users with 2FA, enrolment for users who must
    have it and do not yet (ADR 0040).

    Also gives every request `request.two_factor_pending()`: True while the user still has to
    verify or enrol, so templates of apps below this one can leave out what would lead into
    this flow (portal's unread-notification badge) without importing this app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_pending = lambda: self._target(request) is not None
        return self.get_response(request)

    @staticmethod
    def _target(request):
        """The page the user must pass first (verification or enrolment), or None."""
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if services.is_enrolled(request):
            return "security:two_factor_verify"
        if services.requires_two_factor(user):
            return "security:two_factor_setup"
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT:
            return None
        target = self._target(request)
        if target is None:
            return None
        return _redirect(request, f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user and on every view
    marked with `security.decorators.shows_child_data`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(request, "_tandem_child_data", False) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)  # includes no-store and private
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_shows_child_data(view_func):
            request._tandem_child_data = True
        return None


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, saving a session only when it changed or when its last save
    is TANDEM_SESSION_TOUCH_SECONDS old (ADR 0172): the idle timeout restarts at most that much
    late, and most requests write nothing. SESSION_COOKIE_AGE is the idle timeout plus that
    margin, so a session always lives at least the idle timeout after the user's last request.

    A request its view marks passive (`request.session_passive = True`: the unread badge's poll,
    portal.views.unread_badge) does not save the session and so does not restart the idle
    timeout: a page left open polls, but nobody is there (ADR 0042). A passive request that
    changed the session still saves it."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return super().process_response(request, response)
        if getattr(request, "session_passive", False) and not session.modified:
            return response
        if not session.is_empty():
            now = timezone.now().timestamp()
            saved_at = session.get(SAVED_AT_SESSION_KEY)
            if (
                session.modified
                or saved_at is None
                or now - saved_at >= settings.TANDEM_SESSION_TOUCH_SECONDS
            ):
                session[SAVED_AT_SESSION_KEY] = now  # marks it modified: Django saves it
        return super().process_response(request, response)

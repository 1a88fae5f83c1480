"""Base views: home page per membership, health check, the 500 page, the user's notifications."""

import logging
import sys

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from portal import error_reporting, services, theme
from portal import home as home_page
from portal.forms import NotificationPreferenceForm
from portal.logging import request_id_var
from portal.models import Notification, NotificationPreference, RegionTheme
from portal.paging import page_of
from portal.templatetags.notification_tags import BADGE_POLL

logger = logging.getLogger(__name__)


# While the database cannot be reached a request fails with one of these; the user gets the 503
# page and is asked to retry after this many seconds (ADR 0132).
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The 500 page (handler500): says what happened and which id to quote, and that the
    administrators were informed only when an error report really went out (ADR 0101).
    Rendered without context processors or the base template: nothing that can fail again.

    When the error is the database being unreachable (raised in a view or in a middleware that
    loads the session or the user), the answer is the 503 page with Retry-After instead: the
    request did nothing, and the site recovers by itself once the database is back (ADR 0132)."""
    request_id = getattr(request, "request_id", None) or request_id_var.get()
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = HttpResponse(
            loader.get_template("503.html").render({"request_id": request_id}),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    event_id = error_reporting.last_event_id()
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"request_id": request_id, "event_id": event_id, "reported": bool(event_id)})
    )


@login_required
def home(request):
    return render(
        request,
        "portal/home.html",
        {"blocks": home_page.blocks_for(request.user), "personal": home_page.personal_for(request.user)},
    )


def _broker_state():
    if not settings.REDIS_URL:
        return "inline"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means the broker is unavailable
        logger.warning("healthz: broker unreachable")
        return "unavailable"


@require_GET
def favicon(request):
    """Browsers ask /favicon.ico whatever the page links; send them to the SVG icon the static
    pipeline serves (ADR 0120). A temporary redirect: the file's hashed name changes per release."""
    return HttpResponseRedirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """200 with the state of the database and the broker; 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is unavailable
        logger.error("healthz: database unreachable")
        database = "unavailable"
    broker = _broker_state()
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "broker": broker},
        status=status,
    )


# --- Notifications (portal/notifications.py creates them) ----------------------------------


@login_required
def notifications(request):
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = page_of(qs, request, param="page", count=True)
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, user=request.user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if (
        request.POST.get("open")
        and notification.url.startswith("/")
        and not notification.url.startswith("//")
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    """The person's own notification settings: e-mail language, at once or a daily digest."""
    preference = NotificationPreference.of(request.user)
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            services.save_notification_preferences(request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    else:
        form = NotificationPreferenceForm(
            initial={"language": preference.language, "delivery": preference.delivery}
        )
    return render(request, "portal/notification_settings.html", {"form": form})


@never_cache
@require_GET
def unread_badge(request):
    """The navigation's unread-notification badge as an HTML fragment, which htmx swaps in on
    page load and every minute (templates/portal/_unread_badge.html). A poll is not the user's
    activity: it leaves the session's idle timeout alone (`session_passive`, ADR 0042). Logged
    out meanwhile, htmx loads the login page as a whole page, not into the badge."""
    request.session_passive = True
    if not request.user.is_authenticated:
        if request.htmx:
            back = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(redirect_to_login(back)["Location"])
        return redirect_to_login(request.get_full_path())
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "portal/_unread_badge.html", {"count": count, "trigger": BADGE_POLL})


# --- The theme (ADR 0164) ----------------------------------------------------------------------
# Public: a region's colours, name and logo are no secret, and the login page shows none of them.
# The version is in the URL (?v=...): a matching one is cached for a year, any other revalidates.

YEAR_SECONDS = 365 * 24 * 60 * 60


def _cached(request, response, version):
    response["ETag"] = f'"{version}"'
    if request.GET.get("v") == version:
        response["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    else:
        response["Cache-Control"] = "public, no-cache"
    return response


def _not_modified(request, version):
    return request.headers.get("If-None-Match", "") in (f'"{version}"', f'W/"{version}"')


def _theme_css_response(request, current):
    if _not_modified(request, current.version):
        return _cached(request, HttpResponse(status=304), current.version)
    response = HttpResponse(theme.css(current), content_type="text/css; charset=utf-8")
    return _cached(request, response, current.version)


@require_GET
def theme_default_css(request):
    """The installation's brand tokens (TANDEM_THEME_*), for pages of no region."""
    return _theme_css_response(request, theme.default_theme())


@require_GET
def theme_css(request, region_id):
    """A region's brand tokens: custom properties only, loaded after tandem.css (the CSP allows
    no inline style, so they come as a stylesheet of their own)."""
    return _theme_css_response(request, theme.theme_for_region(region_id))


# Stricter than the site's policy (ADR 0043): the SVG check admits no style or script at all.
IMAGE_CSP = "default-src 'none'; sandbox"


def _theme_image(request, region_id, field):
    row = get_object_or_404(RegionTheme.objects.exclude(**{f"{field}_type": ""}), region_id=region_id)
    if _not_modified(request, row.version):
        return _cached(request, HttpResponse(status=304), row.version)
    response = HttpResponse(bytes(getattr(row, field)), content_type=getattr(row, f"{field}_type"))
    # An SVG opened on its own is a document: nothing in it may run or load anything.
    response["Content-Security-Policy"] = IMAGE_CSP
    response["Content-Disposition"] = "inline"
    return _cached(request, response, row.version)


@require_GET
def theme_logo(request, region_id):
    return _theme_image(request, region_id, "logo")


@require_GET
def theme_favicon(request, region_id):
    return _theme_image(request, region_id, "favicon")

"""`{% load notification_tags %}{% unread_badge %}`: the unread-notification count in the
navigation. The page itself runs no query for it: the tag renders an empty badge that htmx
fills from its own URL (notifications:unread_badge) on load and then every minute, swapping
the whole badge (templates/portal/_unread_badge.html). Its requests carry `data-htmx-quiet`,
so static/js/busy.js shows no busy state (and sends none while the tab is hidden) and
static/js/session-timeout.js does not count them as activity, just as the server does not
(ADR 0042).

Left out while the user still has to pass two-step verification, so the request is never
redirected into that flow: the middleware that enforces it (security.middleware, ADR 0040)
gives the request a `two_factor_pending()` callable, which this tag calls without importing
that app (a request that did not pass that middleware shows the badge)."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

register = template.Library()

# How often an open page asks again; the first request comes on load, from the tag's badge.
BADGE_POLL = "every 60s"


@register.simple_tag(takes_context=True)
def unread_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    pending = getattr(request, "two_factor_pending", None)
    if pending is not None and pending():
        return ""
    # Without the request: the fragment needs no context processor, and with it every one of
    # them (navigation, theme, session) would run a second time for the page.
    badge = render_to_string("portal/_unread_badge.html", {"count": 0, "trigger": f"load, {BADGE_POLL}"})
    return format_html(" {}", badge)

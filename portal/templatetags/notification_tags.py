"""`{% load notification_tags %}{% unread_badge %}`: the unread-notification count in the
navigation, fetched by static/js/unread-badge.js from its own URL as JSON (no query on the page
itself, and no htmx request that other pages' htmx listeners would see).

Left out while the user still has to pass two-step verification, so the request is never
redirected into that flow: the middleware that enforces it (security.middleware, ADR 0040)
gives the request a `two_factor_pending()` callable, which this tag calls without importing
that app (a request that did not pass that middleware shows the badge)."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    pending = getattr(request, "two_factor_pending", None)
    if pending is not None and pending():
        return ""
    return format_html(
        ' <span data-unread-url="{}"></span><script src="{}" defer nonce="{}"></script>',
        reverse("notifications:unread_count"),
        static("js/unread-badge.js"),
        getattr(request, "csp_nonce", ""),
    )

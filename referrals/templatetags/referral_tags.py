"""`{% load referral_tags %}{% unread_badge %}`: the unread-notification count in the
navigation, fetched by static/js/unread-badge.js from its own URL as JSON (no query on the page
itself, and no htmx request that other pages' htmx listeners would see). Left out while the
user still has to pass two-factor authentication, so the request is never redirected into the
2FA flow."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def _may_pass(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is None or verified():
        return True
    try:
        from security import services
    except ImportError:  # the security app is not installed
        return True
    return not services.is_enrolled(request) and not services.requires_two_factor(user)


@register.simple_tag(takes_context=True)
def unread_badge(context):
    request = context.get("request")
    if request is None or not _may_pass(request):
        return ""
    return format_html(
        ' <span class="tandem-unread" data-unread-url="{}"></span>'
        '<script src="{}" defer nonce="{}"></script>',
        reverse("referrals:unread_count"),
        static("js/unread-badge.js"),
        getattr(request, "csp_nonce", ""),
    )

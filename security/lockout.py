"""django-axes hooks: how an attempt is keyed, and what a locked-out user sees (ADR 0041)."""

import math

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render

from portal.forms import LoginForm


def username(request, credentials):
    """The e-mail address in lower case, so changing its case does not escape the lockout."""
    value = (credentials or {}).get("username")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()[:254]


def lockout_response(request, original_response=None, credentials=None):
    """The login page with a clear message; a half-logged-in user (2FA step) is logged out."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/login.html",
        {"form": LoginForm(request), "locked_out": True, "lockout_minutes": minutes, "next": ""},
        status=429,
    )

from django.conf import settings

from security import sso


def session(request):
    """What static/js/session-timeout.js needs to warn before the idle timeout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "session_warning_seconds": settings.TANDEM_SESSION_WARNING_SECONDS,
        "session_warning_minutes": max(1, round(settings.TANDEM_SESSION_WARNING_SECONDS / 60)),
    }


def sso_providers(request):
    """The identity providers for the login page's "Inloggen met ..." buttons (ADR 0138)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {}
    return {"sso_providers": sso.providers()}

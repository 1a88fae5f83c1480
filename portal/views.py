"""Base views: home page per membership, health check."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from contacts.permissions import memberships
from portal.home import entry_points_for

logger = logging.getLogger(__name__)


@login_required
def home(request):
    blocks = [{"membership": m, "entry_points": entry_points_for(m)} for m in memberships(request.user)]
    return render(request, "portal/home.html", {"blocks": blocks})


def _broker_state():
    from django.conf import settings

    if not settings.REDIS_URL:
        return "inline"
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means the broker is unavailable
        logger.warning("healthz: broker unreachable")
        return "unavailable"


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

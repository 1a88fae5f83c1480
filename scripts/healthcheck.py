#!/usr/bin/env python3
"""Container health checks (docker-compose.yml, Dockerfile). Exit 0 when healthy.

healthcheck.py web     GET /healthz on this container's gunicorn: 200 with database ok.
                       Sends the first DJANGO_ALLOWED_HOSTS entry as Host header, so the
                       check passes ALLOWED_HOSTS without adding 127.0.0.1 to it.
healthcheck.py worker  this container's Celery worker answers a ping.
healthcheck.py beat    the cache holds `heartbeat:beat`: beat queued the heartbeat task in
                       the last 10 minutes and a worker ran it.
"""

import json
import os
import socket
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check_web() -> bool:
    port = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")[0].rsplit(":", 1)[1]
    hosts = [h.strip().lstrip(".") for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and "*" not in h), "localhost")
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL on loopback
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        body = json.loads(response.read())
    return response.status == 200 and body.get("database") == "ok"


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def check_worker() -> bool:
    _django()
    from portal.celery import app

    replies = app.control.ping(destination=[f"celery@{socket.gethostname()}"], timeout=5)
    return bool(replies)


def check_beat() -> bool:
    _django()
    from django.core.cache import cache

    return cache.get("heartbeat:beat") is not None


def main(argv) -> int:
    checks = {"web": check_web, "worker": check_worker, "beat": check_beat}
    mode = argv[1] if len(argv) > 1 else "web"
    if mode not in checks:
        print(f"usage: healthcheck.py {'|'.join(checks)}", file=sys.stderr)
        return 2
    try:
        healthy = checks[mode]()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy"
        print(f"{mode}: unhealthy: {type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"{mode}: {'healthy' if healthy else 'unhealthy'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

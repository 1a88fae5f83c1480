"""Gunicorn settings for Tandem: `gunicorn -c python:portal.gunicorn_conf portal.wsgi:application`.

Environment:
- `GUNICORN_BIND` (default 127.0.0.1:8000; the Docker image sets 0.0.0.0:8000),
- `WEB_CONCURRENCY` worker processes (default CPU count + 1: the pages are CPU-bound, and more
  workers than cores only make each request dearer; ADR 0171),
- `GUNICORN_TIMEOUT` seconds per request (default 60),
- `GUNICORN_FORWARDED_ALLOW_IPS` proxies whose X-Forwarded-* headers are trusted (default
  127.0.0.1),
- `PROMETHEUS_MULTIPROC_DIR` an empty directory shared by the workers, so /metrics counts
  all of them (`make serve` sets var/prometheus; README "Operators"),
- `DJANGO_LOG_FORMAT` / `DJANGO_LOG_LEVEL` as for Django (gunicorn's own lines use the same
  format). There is no access log: Django logs one line per request with its request id.
"""

import multiprocessing
import os

from portal.logging import gunicorn_logconfig


def _debug() -> bool:
    return os.environ.get("DJANGO_DEBUG", "false").strip().lower() in ("1", "true", "yes", "on")


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # Django logs each request with its request id (and no client address)
errorlog = "-"
# No control socket: it defaults to one path per user, which two instances would share.
control_socket_disable = True
logconfig_dict = gunicorn_logconfig(
    os.environ.get("DJANGO_LOG_FORMAT") or ("plain" if _debug() else "json"),
    os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
)
# Workers keep their heartbeat file in memory where available (containers: no disk stalls).
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's documented choice for containers
    worker_tmp_dir = "/dev/shm"  # noqa: S108


def child_exit(server, worker):
    """prometheus-client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, ADR 0102): forget the
    gauges of a worker that exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

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
- `GUNICORN_GC_FREEZE` (default true) and `GUNICORN_GC_THRESHOLD` (default 10000): once a
  worker has loaded Django, the objects loaded so far are frozen out of Python's garbage
  collector, and a collection of the youngest generation runs every that many allocations
  instead of 700 (ADR 0173),
- `DJANGO_LOG_FORMAT` / `DJANGO_LOG_LEVEL` as for Django (gunicorn's own lines use the same
  format). There is no access log: Django logs one line per request with its request id.
"""

import gc
import multiprocessing
import os

from portal.logging import gunicorn_logconfig


def _flag(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _debug() -> bool:
    return _flag("DJANGO_DEBUG", "false")


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


gc_freeze = _flag("GUNICORN_GC_FREEZE", "true")
gc_threshold = int(os.environ.get("GUNICORN_GC_THRESHOLD") or 10_000)


def post_worker_init(worker):
    """The garbage collector (ADR 0173): Django's modules, models and settings live as long as
    the worker, so they are frozen out of the collections (`gc.freeze`), and the youngest
    generation is collected every `gc_threshold` allocations. Without this a page spent up to
    9 ms per request walking the whole heap in full collections (bench/FINDINGS.md)."""
    if gc_freeze:
        gc.collect()
        gc.freeze()
    _gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(gc_threshold, gen1, gen2)


def child_exit(server, worker):
    """prometheus-client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, ADR 0102): forget the
    gauges of a worker that exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

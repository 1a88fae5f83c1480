"""Prometheus metrics without personal data (ADR 0102), served at `/metrics`.

Two kinds, because web and worker are separate processes (and machines):

- **Per process** (prometheus-client, in the registry `LOCAL`): request latency per view
  (`tandem_http_request_duration_seconds{view,method,status}`; the view's URL name, never the
  path, which holds ids), database query time (`tandem_db_query_duration_seconds{alias,
  operation}`; the SQL verb, never the statement) and cache operation time
  (`tandem_cache_operation_duration_seconds{operation}`). Under gunicorn with several workers,
  set `PROMETHEUS_MULTIPROC_DIR` (an empty directory) so every scrape sees all workers
  (prometheus-client's multiprocess mode; `portal/gunicorn_conf.py` cleans up after a worker).
- **Shared** (counted in Redis by whichever process saw it, read at scrape time by
  `SharedCollector`): Celery task outcomes (`tandem_celery_tasks_total{task,outcome}`),
  report generation durations (`tandem_report_generation_seconds{outcome}`), the length of
  the Celery queue (`tandem_celery_queue_length{queue}`) and the age of beat's heartbeat
  (`tandem_heartbeat_age_seconds`; +Inf when there is none).
- **From the database** at scrape time (`OutboxCollector`): the outbox's pending and failed rows
  (`tandem_outbox_messages{state}`) and the oldest pending row's age
  (`tandem_outbox_oldest_pending_seconds`; ADR 0130).

Every label value comes from a fixed set (view names, task names, SQL verbs, outcomes). No
metric may ever carry a path, an id, a name or an address. Metrics never break a request or
a task: a failure to record is swallowed.
"""

import hmac
import ipaddress
import math
import os
import re
import time
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.utils import floatToGoString

LOCAL = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "tandem_http_request_duration_seconds",
    "Time to answer a request, per view (URL name), method and status class.",
    ["view", "method", "status"],
    registry=LOCAL,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DB_SECONDS = Histogram(
    "tandem_db_query_duration_seconds",
    "Time of one database query, per connection alias and SQL verb.",
    ["alias", "operation"],
    registry=LOCAL,
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)
CACHE_SECONDS = Histogram(
    "tandem_cache_operation_duration_seconds",
    "Time of one cache operation, per operation.",
    ["operation"],
    registry=LOCAL,
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
SQL_VERBS = {"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
TASK_OUTCOMES = ("success", "failure", "retry")
REPORT_OUTCOMES = ("done", "failed", "retrying")
REPORT_BUCKETS = (1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900)
TASKS_KEY = "tandem:metrics:tasks"
REPORTS_KEY = "tandem:metrics:reports"
_NAME = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")


# --- Requests ---------------------------------------------------------------------------------
def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "view_name", None)
    return name if name and _NAME.fullmatch(name) else "<unresolved>"


class MetricsMiddleware:
    """Observes every request's duration under its view's URL name (right after the request id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            method = request.method if request.method in METHODS else "other"
            REQUEST_SECONDS.labels(view_label(request), method, f"{response.status_code // 100}xx").observe(
                time.perf_counter() - started
            )
        except Exception:  # noqa: BLE001, S110 - metrics never break a request
            pass
        return response


# --- Database ---------------------------------------------------------------------------------
def sql_verb(sql) -> str:
    word = str(sql).lstrip(" (\n\t").split(None, 1)[:1]
    verb = word[0].upper() if word else ""
    return verb if verb in SQL_VERBS else "OTHER"


def timed_execute(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        try:
            elapsed = time.perf_counter() - started
            DB_SECONDS.labels(context["connection"].alias, sql_verb(sql)).observe(elapsed)
        except Exception:  # noqa: BLE001, S110 - metrics never break a query
            pass


def instrument_connection(sender=None, connection=None, **kwargs):
    """`connection_created`: time every query of the connection (once per connection object)."""
    if connection is not None and timed_execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(timed_execute)


# --- Cache ------------------------------------------------------------------------------------
class TimedCacheMixin:
    """Times the cache operations of the backend it is mixed into (portal/cache_backends.py)."""

    def _timed(self, operation, method, *args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            try:
                CACHE_SECONDS.labels(operation).observe(time.perf_counter() - started)
            except Exception:  # noqa: BLE001, S110 - metrics never break a cache call
                pass

    def get(self, *args, **kwargs):
        return self._timed("get", super().get, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._timed("set", super().set, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._timed("add", super().add, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._timed("delete", super().delete, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._timed("get_many", super().get_many, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._timed("set_many", super().set_many, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._timed("delete_many", super().delete_many, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._timed("incr", super().incr, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._timed("touch", super().touch, *args, **kwargs)


# --- Shared counters (Redis; in-process without Redis, the demo) ------------------------------
_memory: dict[str, dict[str, float]] = {}


def _redis():
    if not settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)


def _increment(key, amounts: dict[str, float]) -> None:
    try:
        client = _redis()
        if client is None:
            bucket = _memory.setdefault(key, {})
            for field, amount in amounts.items():
                bucket[field] = bucket.get(field, 0) + amount
            return
        with client.pipeline(transaction=False) as pipe:
            for field, amount in amounts.items():
                pipe.hincrbyfloat(key, field, amount)
            pipe.execute()
    except Exception:  # noqa: BLE001, S110 - metrics never break a task
        pass


def _read(client, key) -> dict[str, float]:
    if client is None:
        return dict(_memory.get(key, {}))
    return {field.decode(): float(value) for field, value in client.hgetall(key).items()}


def count_task(task_name, outcome) -> None:
    if outcome in TASK_OUTCOMES and task_name and _NAME.fullmatch(task_name):
        _increment(TASKS_KEY, {f"{task_name}|{outcome}": 1})


def observe_report_generation(seconds: float, outcome: str) -> None:
    """One progress report generation took `seconds` and ended in `outcome` (REPORT_OUTCOMES)."""
    if outcome not in REPORT_OUTCOMES:
        return
    amounts = {f"{outcome}|count": 1, f"{outcome}|sum": seconds}
    for bound in REPORT_BUCKETS:
        if seconds <= bound:
            amounts[f"{outcome}|le={bound}"] = 1
    _increment(REPORTS_KEY, amounts)


def _task_success(sender=None, **kwargs):
    count_task(getattr(sender, "name", None), "success")


def _task_failure(sender=None, **kwargs):
    count_task(getattr(sender, "name", None), "failure")


def _task_retry(sender=None, **kwargs):
    count_task(getattr(sender, "name", None), "retry")


def connect_task_signals():
    from celery import signals

    signals.task_success.connect(_task_success, weak=False, dispatch_uid="tandem-metrics-success")
    signals.task_failure.connect(_task_failure, weak=False, dispatch_uid="tandem-metrics-failure")
    signals.task_retry.connect(_task_retry, weak=False, dispatch_uid="tandem-metrics-retry")


class SharedCollector:
    """Read at scrape time: task outcomes, report durations, queue length, heartbeat age."""

    def collect(self):
        up = GaugeMetricFamily("tandem_metrics_store_up", "1 when the shared metrics (Redis) could be read.")
        try:
            client = _redis()
            tasks, reports = _read(client, TASKS_KEY), _read(client, REPORTS_KEY)
            queues = self._queues(client)
        except Exception:  # noqa: BLE001 - Redis down: say so, and serve the rest
            up.add_metric([], 0)
            yield up
            yield self._heartbeat()
            return
        up.add_metric([], 1)
        yield up
        counter = CounterMetricFamily(
            "tandem_celery_tasks",
            "Celery tasks that ended, per task and outcome.",
            labels=["task", "outcome"],
        )
        for field, value in sorted(tasks.items()):
            name, _, outcome = field.rpartition("|")
            counter.add_metric([name, outcome], value)
        yield counter
        histogram = HistogramMetricFamily(
            "tandem_report_generation_seconds",
            "Time to generate one progress report (PDF), per outcome.",
            labels=["outcome"],
        )
        for outcome in REPORT_OUTCOMES:
            count = reports.get(f"{outcome}|count", 0)
            if not count:
                continue
            buckets = [
                (floatToGoString(bound), reports.get(f"{outcome}|le={bound}", 0)) for bound in REPORT_BUCKETS
            ]
            buckets.append(("+Inf", count))
            histogram.add_metric([outcome], buckets, reports.get(f"{outcome}|sum", 0))
        yield histogram
        length = GaugeMetricFamily(
            "tandem_celery_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        for queue, value in queues.items():
            length.add_metric([queue], value)
        yield length
        yield self._heartbeat()

    def _queues(self, client):
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery"
        if client is None:
            return {queue: 0}  # no broker: tasks run inline, nothing waits
        return {queue: client.llen(queue)}

    def _heartbeat(self):
        from django.core.cache import cache

        gauge = GaugeMetricFamily(
            "tandem_heartbeat_age_seconds",
            "Seconds since a worker ran the heartbeat task beat queues (+Inf: none in the last 10 minutes).",
        )
        age = math.inf
        try:
            value = cache.get("heartbeat:beat")
            if value:
                age = max(0.0, (timezone.now() - datetime.fromisoformat(value)).total_seconds())
        except Exception:  # noqa: BLE001, S110 - an unreadable heartbeat is no heartbeat
            pass
        gauge.add_metric([], age)
        return gauge


class OutboxCollector:
    """Read at scrape time from the database: the outbox's pending and failed rows and the age of
    the oldest pending one (ADR 0130). One query; a database that cannot answer yields nothing."""

    def collect(self):
        from portal import outbox  # lazy: the outbox's model needs Django's app registry ready

        try:
            figures = outbox.summary()
        except Exception:  # noqa: BLE001 - the database is down: /healthz says so, serve the rest
            return
        messages = GaugeMetricFamily(
            "tandem_outbox_messages",
            "Outbox rows waiting to be handed to Celery, per state.",
            labels=["state"],
        )
        messages.add_metric(["pending"], figures["pending"])
        messages.add_metric(["failed"], figures["failed"])
        yield messages
        oldest = GaugeMetricFamily(
            "tandem_outbox_oldest_pending_seconds", "Age of the oldest pending outbox row (0: none)."
        )
        oldest.add_metric([], figures["oldest_pending_seconds"])
        yield oldest


class _Exposition:
    """The collectors of one scrape: this process (or all gunicorn workers) and the shared ones."""

    def __init__(self):
        multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if multiprocess_dir:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=multiprocess_dir)
            self.local = registry
        else:
            self.local = LOCAL

    def collect(self):
        yield from self.local.collect()
        yield from SharedCollector().collect()
        yield from OutboxCollector().collect()


# --- Access and the view ----------------------------------------------------------------------
def allowed(request) -> bool:
    """From an address in TANDEM_METRICS_ALLOWED_IPS, or with `Authorization: Bearer <token>`."""
    token = settings.TANDEM_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode())
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.TANDEM_METRICS_ALLOWED_NETWORKS)


@never_cache
@require_GET
def view(request):
    if not allowed(request):
        return HttpResponseForbidden(b"address not allowed and no valid token\n", content_type="text/plain")
    return HttpResponse(generate_latest(_Exposition()), content_type=CONTENT_TYPE_LATEST)

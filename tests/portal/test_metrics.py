"""/metrics (portal/metrics.py, ADR 0102): only from allowed addresses or with the token;
request latency per view name, database and cache timings, Celery task outcomes, queue length,
report durations and the heartbeat's age; no label that carries personal data."""

import math
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from portal import metrics
from portal.celery import app
from portal.tasks import heartbeat
from tests.referrals.factories import complete_referral

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-" + "x" * 30
_UUID_OR_NUMBER = r"[0-9a-f]{8}-[0-9a-f]{4}|\d{4,}"


@pytest.fixture(autouse=True)
def clean_shared_metrics():
    client = redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None
    if client:
        client.delete(metrics.TASKS_KEY, metrics.REPORTS_KEY)
    metrics._memory.clear()
    yield client
    if client:
        client.delete(metrics.TASKS_KEY, metrics.REPORTS_KEY)


def scrape(client, **extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def samples(text, name):
    """{frozenset(labels): value} of the samples named `name`."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[frozenset(sample.labels.items())] = sample.value
    return found


def value(text, name, **labels):
    for key, sample_value in samples(text, name).items():
        if set(labels.items()) <= key:
            return sample_value
    return None


def test_metrics_url_is_metrics():
    assert reverse("metrics") == "/metrics"


@pytest.mark.django_db
def test_only_allowed_addresses_or_the_token(client, settings):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1, allowed by default
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.TANDEM_METRICS_ALLOWED_NETWORKS = (__import__("ipaddress").ip_network("10.0.0.0/8"),)
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1").status_code == 403
    # With a token: from anywhere, but only the right one (also from an allowed address).
    assert (
        client.get("/metrics", REMOTE_ADDR="192.168.1.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code
        == 403
    )
    settings.TANDEM_METRICS_TOKEN = TOKEN
    assert (
        client.get("/metrics", REMOTE_ADDR="192.168.1.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code
        == 200
    )
    assert (
        client.get("/metrics", REMOTE_ADDR="192.168.1.1", HTTP_AUTHORIZATION="Bearer wrong").status_code
        == 403
    )
    assert (
        client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    )
    assert client.post("/metrics").status_code == 405


@pytest.mark.django_db
def test_request_latency_per_view_name_with_no_ids_or_names_in_labels(client, world):
    coordinator = world.user("school_coordinator")
    referral = complete_referral(world.school, coordinator, child_first_name="Zyxwaldine")
    client.force_login(coordinator)
    assert client.get(reverse("referrals:detail", args=[referral.uuid])).status_code == 200
    assert client.get(f"/aanmeldingen/{referral.uuid}/bestaat-niet/").status_code == 404
    client.logout()
    text = scrape(client)
    name = "tandem_http_request_duration_seconds_count"
    assert value(text, name, view="referrals:detail", method="GET", status="2xx") >= 1
    assert value(text, name, view="<unresolved>", status="4xx") >= 1
    assert str(referral.uuid) not in text and "Zyxwaldine" not in text and coordinator.email not in text
    import re

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for label, label_value in sample.labels.items():
                if label == "le":
                    continue
                assert "@" not in label_value and "/" not in label_value, (sample.name, label, label_value)
                assert not re.search(_UUID_OR_NUMBER, label_value), (sample.name, label, label_value)


@pytest.mark.django_db
def test_database_and_cache_timings(client, world):
    cache.set("metrics-test", "1", 10)
    cache.get("metrics-test")
    text = scrape(client)
    assert value(text, "tandem_db_query_duration_seconds_count", alias="default", operation="SELECT") >= 1
    assert value(text, "tandem_cache_operation_duration_seconds_count", operation="get") >= 1
    assert value(text, "tandem_cache_operation_duration_seconds_count", operation="set") >= 1
    assert metrics.sql_verb("  select 1") == "SELECT" and metrics.sql_verb("VACUUM x") == "OTHER"


@pytest.mark.django_db
def test_celery_task_outcomes_are_counted(client, monkeypatch):
    heartbeat.delay("metrics-test")
    heartbeat.delay("metrics-test")

    class BrokenCache:
        def set(self, *args, **kwargs):
            raise RuntimeError("cache down")

    monkeypatch.setattr("portal.tasks.cache", BrokenCache())
    # Eager tasks that propagate their exception send no task_failure; a worker does, as here.
    assert heartbeat.apply(args=["metrics-test"], throw=False).failed()
    text = scrape(client)
    name = "tandem_celery_tasks_total"
    assert value(text, name, task="portal.heartbeat", outcome="success") == 2
    assert value(text, name, task="portal.heartbeat", outcome="failure") == 1


@pytest.mark.django_db
def test_queue_length_and_heartbeat_age(client, clean_shared_metrics):
    queue = app.conf.task_default_queue
    assert queue == "celery"
    text = scrape(client)
    assert value(text, "tandem_metrics_store_up") == 1
    assert math.isinf(value(text, "tandem_heartbeat_age_seconds"))  # no heartbeat yet
    if clean_shared_metrics is not None:
        clean_shared_metrics.delete(queue)
        clean_shared_metrics.rpush(queue, b"{}", b"{}", b"{}")
    cache.set("heartbeat:beat", (timezone.now() - timedelta(seconds=120)).isoformat(), 600)
    try:
        text = scrape(client)
    finally:
        cache.delete("heartbeat:beat")
        if clean_shared_metrics is not None:
            clean_shared_metrics.delete(queue)
    assert value(text, "tandem_celery_queue_length", queue=queue) == (3 if clean_shared_metrics else 0)
    assert 119 <= value(text, "tandem_heartbeat_age_seconds") < 180


@pytest.mark.django_db
def test_report_generation_durations_per_outcome(client, monkeypatch):
    from reporting import tasks

    monkeypatch.setattr(tasks.generation, "generate", lambda report_id: None)
    tasks.generate_progress_report.delay(1)

    def broken(report_id):
        raise ValueError("broken")

    monkeypatch.setattr(tasks.generation, "generate", broken)
    monkeypatch.setattr(tasks.generation, "mark_failed", lambda report_id, exc: None)
    tasks.generate_progress_report.delay(2)
    metrics.observe_report_generation(42.0, "done")
    text = scrape(client)
    name = "tandem_report_generation_seconds"
    assert value(text, f"{name}_count", outcome="done") == 2
    assert value(text, f"{name}_count", outcome="failed") == 1
    assert value(text, f"{name}_bucket", outcome="done", le="30.0") == 1
    assert value(text, f"{name}_bucket", outcome="done", le="60.0") == 2
    assert 42 <= value(text, f"{name}_sum", outcome="done") < 50


@pytest.mark.django_db
def test_without_redis_the_shared_metrics_say_so_and_the_rest_is_served(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    text = scrape(client)
    assert value(text, "tandem_metrics_store_up") == 0
    assert value(text, "tandem_http_request_duration_seconds_count") is not None


def test_bad_allowed_ips_or_a_short_token_refuse_to_start():
    for env in (
        {"TANDEM_METRICS_ALLOWED_IPS": "10.0.0.0/8,not-an-address"},
        {"TANDEM_METRICS_TOKEN": "short"},
    ):
        result = subprocess.run(
            [sys.executable, "-c", "import portal.settings_test"],
            cwd=ROOT,
            env={**__import__("os").environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0 and "TANDEM_METRICS_" in result.stderr, result.stderr[-500:]


def test_alert_rules_name_metrics_that_exist():
    import re

    import yaml

    rules = yaml.safe_load((ROOT / "docs" / "operations" / "alerts.yml").read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert {"TandemWorkerDown", "TandemBeatSilent", "TandemReportFailed", "TandemQueueGrowing"} <= set(alerts)
    known = {
        "tandem_http_request_duration_seconds",
        "tandem_db_query_duration_seconds",
        "tandem_cache_operation_duration_seconds",
        "tandem_celery_tasks_total",
        "tandem_report_generation_seconds",
        "tandem_celery_queue_length",
        "tandem_heartbeat_age_seconds",
        "tandem_metrics_store_up",
    }
    for alert, expr in alerts.items():
        for name in re.findall(r"\btandem_[a-z_]+", expr):
            base = re.sub(r"_(bucket|count|sum)$", "", name)
            assert name in known or base in known, (alert, name)


def test_multiprocess_mode_adds_up_the_processes(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR (several gunicorn workers), a scrape reads every process's
    values from the directory, including those of a process that has ended."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "assert c.get('/healthz').status_code in (200, 503)\n"
    )
    env = {
        **__import__("os").environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
    }
    for _ in range(2):  # two processes, one request each
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
        )
    assert list(tmp_path.glob("histogram_*.db"))
    scrape_code = code + "r = c.get('/metrics'); assert r.status_code == 200; print(r.content.decode())\n"
    result = subprocess.run(
        [sys.executable, "-c", scrape_code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Three processes each answered /healthz once; the scraping one counts itself too.
    assert value(result.stdout, "tandem_http_request_duration_seconds_count", view="healthz") == 3

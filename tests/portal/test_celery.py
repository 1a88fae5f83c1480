"""Celery configuration, and a real worker consuming from Redis."""

import os
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app
from tests.helpers.celery_worker import real_worker

ROOT = Path(__file__).resolve().parents[2]


def test_celery_is_json_only_with_late_ack():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names unknown task {entry['task']}"


@pytest.mark.celery_worker
def test_a_real_worker_consumes_a_task_from_redis():
    import redis

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with real_worker(REDIS_URL=redis_url, CELERY_WORKER_TEST="1") as (_worker, queue):
        token = uuid.uuid4().hex
        producer = app.connection_for_write(redis_url)
        app.send_task("portal.heartbeat", args=[token], queue=queue, connection=producer)
        client = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 60
        found = False
        while time.monotonic() < deadline and not found:
            found = any(client.scan_iter(match=f"*heartbeat:{token}"))
            time.sleep(0.2)
        assert found, "the worker did not run the task within 60 s"


def test_autodiscovery_finds_every_task_of_the_beat_schedule():
    """No CELERY_IMPORTS: each app's tasks.py is found by autodiscovery, as in a worker started
    with the production settings."""
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "from portal.celery import app;"
        "app.loader.import_default_modules();"
        "print(hasattr(settings, 'CELERY_IMPORTS'));"
        "tasks = [e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values()];"
        "print(sorted(t for t in tasks if t not in app.tasks))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-real-looking-secret-" + "q8Zr2xP0vLm4Tn6" * 4,
        TANDEM_FIGURES_REFRESH_MINUTES="5",
        TANDEM_FIGURES_CACHE_SECONDS="600",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["False", "[]"], result.stdout

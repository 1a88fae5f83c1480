"""A real Celery worker on Redis renders a progress report into the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portal.celery import app
from reporting.models import ProgressReport
from tests.helpers.celery_worker import real_worker
from tests.helpers.world import build_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_the_report_once(tmp_path):
    world = build_world()
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    if settings_dict.get("PASSWORD"):
        database_url = database_url.replace("@", f":{settings_dict['PASSWORD']}@", 1)
    from django.conf import settings

    env_overrides = dict(
        REDIS_URL=redis_url,
        DATABASE_URL=database_url,
        TANDEM_PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
        CELERY_WORKER_TEST="1",  # portal/settings_test.py: not eager inside the worker
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings_test", **env_overrides)
    with real_worker(**env_overrides) as (_worker, queue):
        # The worker really is not eager (its retries go through Redis too).
        check = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.CELERY_TASK_ALWAYS_EAGER)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert check.stdout.strip() == "False"
        producer = app.connection_for_write(redis_url)
        for _i in range(2):  # the same request twice: one report, one file
            app.send_task(
                "reporting.generate_progress_report", args=[report.pk], queue=queue, connection=producer
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if (
                report.status in (ProgressReport.Status.DONE, ProgressReport.Status.FAILED)
                and report.attempts
            ):
                break
            time.sleep(0.3)
        time.sleep(3)  # let the second message be consumed as well
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.DONE, report.error
        assert report.attempts == 1
        assert ProgressReport.objects.count() == 1
        with report.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    if report.file:
        report.file.delete(save=False)

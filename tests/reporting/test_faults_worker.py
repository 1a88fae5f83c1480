"""Fault injection: the Celery worker is killed (SIGKILL) while it makes a progress report.

A real worker on Redis takes the task the steering-group member's request queued and starts the
PDF (made slow by the test-only hook tests/helpers/slow_pdf.py); the test kills the whole worker
process, starts a new one, and the report ends with exactly one row and one PDF, the requester
having seen "wordt gemaakt" and then "gereed" on the report page (ADR 0132).
"""

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.celery import app
from reporting.models import ProgressReport
from tests.helpers.celery_worker import real_worker
from tests.helpers.world import build_world

pytestmark = [pytest.mark.celery_worker, pytest.mark.faults]

# The worker's broker hands back the message of a dead worker after this many seconds (the
# production default is 20 minutes, above the task time limit).
VISIBILITY_SECONDS = 4


def _database_url():
    sd = connection.settings_dict
    password = f":{sd['PASSWORD']}" if sd.get("PASSWORD") else ""
    return f"postgres://{sd['USER']}{password}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{sd['NAME']}"


@contextlib.contextmanager
def tasks_to_queue(queue):
    """Send (not run inline) the report task from this test process to `queue` on Redis."""
    conf = app.conf
    saved = conf.task_always_eager, conf.task_routes

    def reset_router():
        app.amqp.__dict__.pop("router", None)
        app.amqp.flush_routes()

    conf.task_always_eager = False
    conf.task_routes = {"reporting.generate_progress_report": {"queue": queue}}
    reset_router()
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_routes = saved
        reset_router()


def _wait(predicate, seconds, what, worker=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker is not None and worker.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def _status_text(client, report):
    html = client.get(reverse("reporting:report_detail", args=[report.uuid])).content.decode()
    start = html.index('id="report-status"')
    return html[start : start + 600]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_pdf_ends_in_exactly_one_pdf(client, tmp_path):
    world = build_world()
    steering = world.users["steering_member"]
    client.force_login(steering)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    marker = tmp_path / "rendering"
    env = dict(
        REDIS_URL=redis_url,
        DATABASE_URL=_database_url(),
        CELERY_WORKER_TEST="1",  # portal/settings_test.py: not eager inside the worker
        TANDEM_TASK_VISIBILITY_SECONDS=str(VISIBILITY_SECONDS),
    )
    reports_dir = Path(settings.PRIVATE_MEDIA_ROOT) / "reports"
    report = None
    try:
        with real_worker(include=["tests.helpers.slow_pdf"], FAULTS_SLOW_PDF_MARKER=str(marker), **env) as (
            first,
            queue,
        ):
            with tasks_to_queue(queue):
                response = client.post(
                    reverse("reporting:report_request"),
                    {"period": "2026-H1", "scope": f"r-{world.subregion.pk}"},
                )
            assert response.status_code == 302
            report = ProgressReport.objects.get()
            _wait(marker.exists, 60, "the first worker starting the PDF", worker=first)
            report.refresh_from_db()
            assert (report.status, report.attempts) == (ProgressReport.Status.RUNNING, 1)
            assert "wordt gemaakt" in _status_text(client, report)

            os.kill(first.pid, signal.SIGKILL)  # the whole worker, in the middle of the PDF
            first.wait(timeout=30)
            assert first.returncode == -signal.SIGKILL
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.RUNNING  # nobody finished it
        assert "wordt gemaakt" in _status_text(client, report)
        assert not report.file

        with real_worker(queue=queue, **env) as (second, _queue):
            _wait(
                lambda: ProgressReport.objects.filter(pk=report.pk, status="done").exists(),
                90,
                "the new worker finishing the report",
                worker=second,
            )
            # The same message once more (a duplicate delivery): a finished report is left alone.
            token = uuid.uuid4().hex
            producer = app.connection_for_write(redis_url)
            with tasks_to_queue(queue):
                for name, args in (
                    ("reporting.generate_progress_report", [report.pk]),
                    ("portal.heartbeat", [token]),
                ):
                    app.send_task(name, args=args, queue=queue, connection=producer)
            import redis

            client_redis = redis.Redis.from_url(redis_url)
            _wait(
                lambda: any(client_redis.scan_iter(match=f"*heartbeat:{token}")),
                60,
                "the new worker consuming the duplicate",
                worker=second,
            )

        report.refresh_from_db()
        assert ProgressReport.objects.count() == 1
        assert report.status == ProgressReport.Status.DONE
        assert report.attempts == 2  # the killed run and the one after it; the duplicate did nothing
        files = sorted(p.name for p in reports_dir.iterdir() if report.uuid.hex in p.name)
        assert files == [f"{report.uuid.hex}.pdf"]  # one PDF, no half-written leftover
        with report.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-") and len(content) == report.size
        status = _status_text(client, report)
        assert "gereed" in status and "wordt gemaakt" not in status
        download = client.get(reverse("reporting:report_download", args=[report.uuid]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content
    finally:
        if report is not None:
            for leftover in reports_dir.glob(f"*{report.uuid.hex}*"):
                leftover.unlink()

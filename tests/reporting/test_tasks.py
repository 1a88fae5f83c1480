"""The report task: idempotent, retries transient failures, records errors; the schedule and
the management command."""

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from portal import outbox
from portal.models import OutboxMessage
from portal.tasks import send_notification_email
from reporting import generation, services, tasks
from reporting.models import ProgressReport
from reporting.tasks import generate_progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }
    return tmp_path


def _files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def test_running_the_task_twice_gives_one_report_and_one_file(world, private_storage):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    generate_progress_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DONE
    first_sha, first_name = report.sha256, report.file.name
    generate_progress_report.delay(report.pk)
    report.refresh_from_db()
    assert ProgressReport.objects.count() == 1
    assert report.attempts == 1
    assert (report.sha256, report.file.name) == (first_sha, first_name)
    assert len(_files(private_storage)) == 1
    content = report.file.open("rb").read()
    assert content.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert report.size == len(content)


def test_a_rerun_after_a_crash_replaces_the_file_instead_of_adding_one(world, private_storage):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    generation.generate(report.pk)
    # A worker died after writing the file but before marking the report done.
    ProgressReport.objects.filter(pk=report.pk).update(status=ProgressReport.Status.RUNNING)
    generation.generate(report.pk)
    assert len(_files(private_storage)) == 1
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DONE


def test_a_failure_is_recorded_and_can_be_retried(world, monkeypatch, django_capture_on_commit_callbacks):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)

    def broken(*args, **kwargs):
        raise ValueError("template exploded")

    monkeypatch.setattr(generation, "render_report", broken)
    generate_progress_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED
    assert report.error == "ValueError: template exploded"
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_report(report) is True
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DONE  # eager in tests: ran at once
    assert report.error == ""
    assert services.retry_report(report) is False


def test_transient_failures_are_retried(world, monkeypatch):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    real = generation.render_report
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(generation, "render_report", flaky)
    generate_progress_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert len(calls) == 2
    assert report.status == ProgressReport.Status.DONE
    assert report.attempts == 2


def test_transient_failures_end_as_failed_after_the_last_retry(world, monkeypatch):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)

    def down(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(generation, "render_report", down)
    monkeypatch.setattr(generate_progress_report, "max_retries", 1)
    # Eagerly, Celery re-raises after the last retry; a worker would log it.
    with pytest.raises(OperationalError):
        generate_progress_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED
    assert "database is down" in report.error


def test_the_schedule_makes_one_report_per_region_and_subregion_per_half_year(
    world, django_capture_on_commit_callbacks
):
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        created = tasks.schedule_reports(today=datetime.date(2027, 1, 10))
    assert {r.region for r in created} == {world.region, world.subregion, world.other_subregion}
    assert {r.period for r in created} == {"2026-H2"}
    assert tasks.schedule_reports(today=datetime.date(2027, 1, 10)) == []
    assert ProgressReport.objects.filter(scheduled=True).count() == 3
    assert all(r.status == ProgressReport.Status.DONE for r in ProgressReport.objects.all())
    july = tasks.schedule_reports(today=datetime.date(2027, 7, 10))
    assert {r.period for r in july} == {"2027-H1"}


def test_the_beat_entry_runs_on_10_january_and_10_july():
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-half-yearly-progress-reports"]
    assert entry["task"] == "reporting.schedule_progress_reports"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {10}
    assert schedule.month_of_year == {1, 7}


def test_the_command_writes_the_pdf(world, tmp_path):
    output = tmp_path / "out.pdf"
    stdout = io.StringIO()
    call_command(
        "generate_progress_report",
        period="2026-H1",
        region="TST-A",
        output=str(output),
        stdout=stdout,
    )
    reader = PdfReader(str(output))
    assert "Subregio A" in reader.pages[0].extract_text()
    assert f"{output}: " in stdout.getvalue() and "sha256" in stdout.getvalue()
    report = ProgressReport.objects.get()
    assert report.status == ProgressReport.Status.DONE and report.region == world.subregion


def test_the_command_refuses_bad_input(world, tmp_path):
    with pytest.raises(CommandError):
        call_command("generate_progress_report", period="2026-H3", output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command(
            "generate_progress_report", period="2026-H1", region="NOPE", output=str(tmp_path / "x.pdf")
        )


def test_a_failure_logs_its_detail(world, monkeypatch, caplog):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)

    def broken(*args, **kwargs):
        raise ValueError("template exploded")

    monkeypatch.setattr(generation, "render_report", broken)
    with caplog.at_level(logging.ERROR, logger="reporting.generation"):
        generate_progress_report.delay(report.pk)
    records = [r for r in caplog.records if r.name == "reporting.generation"]
    assert records and "ValueError: template exploded" in records[-1].getMessage()
    assert records[-1].exc_info is not None


def test_a_report_whose_task_never_reaches_a_worker_is_failed_on_its_page(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The outbox gives up after MAX_ATTEMPTS (ADR 0130): the report says "failed" (and can be
    retried from its page) instead of "queued" for ever; a failed notice leaves reports alone."""

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(generate_progress_report, "apply_async", refuse)
    monkeypatch.setattr(send_notification_email, "apply_async", refuse)
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    other = ProgressReport.objects.create(period="2025-H2", region=world.region)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(report.pk)
        outbox.enqueue("portal.send_notification_email", f"other:{other.pk}", notification_id=0)
    now = timezone.now()
    # The first attempt was the delivery on commit; the last one makes the row failed.
    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.QUEUED, attempt
        now += timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            outbox.dispatch_pending(now=now)
    assert OutboxMessage.objects.filter(state="failed").count() == 2
    report.refresh_from_db()
    other.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED
    assert report.error.startswith("UndeliveredTask: ConnectionRefusedError")
    assert other.status == ProgressReport.Status.QUEUED

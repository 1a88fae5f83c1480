"""Timing the half-year report (bench/report.py and `manage.py bench_report`, ADR 0080)."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from bench.report import bench_report
from reporting.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }
    return tmp_path


def test_bench_reports_time_and_memory(world):
    result = bench_report("2026-H1", "TST")
    assert result["bytes"] > 1000
    assert result["seconds"] > 0 and result["peak_rss_mb"] > 0


def test_the_command_times_generate_progress_report(world, tmp_path):
    output = tmp_path / "out.pdf"
    stdout = io.StringIO()
    call_command("bench_report", period="2026-H1", region="TST-A", output=str(output), stdout=stdout)
    reader = PdfReader(str(output))
    assert "Subregio A" in reader.pages[0].extract_text()
    assert "bench:" in stdout.getvalue() and "peak RSS" in stdout.getvalue()
    report = ProgressReport.objects.get()
    assert report.status == ProgressReport.Status.DONE and report.region == world.subregion

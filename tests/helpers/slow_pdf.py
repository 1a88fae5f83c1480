"""Loaded into a test's Celery worker with `--include tests.helpers.slow_pdf` (never in
production): rendering a progress report first touches the file named by FAULTS_SLOW_PDF_MARKER
and then takes FAULTS_SLOW_PDF_SECONDS longer, so a test can kill the worker while the report is
really being made (tests/reporting/test_faults_worker.py)."""

import os
import time
from pathlib import Path

from reporting import generation

_render_report = generation.render_report


def _slow_render_report(period, scope):
    Path(os.environ["FAULTS_SLOW_PDF_MARKER"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("FAULTS_SLOW_PDF_SECONDS", "120")))
    return _render_report(period, scope)


generation.render_report = _slow_render_report

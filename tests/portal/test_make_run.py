"""`make run PORT=...` serves on that port and its e-mail links point there too, unless
TANDEM_SITE_URL is set."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _runserver_line(env_extra, *args):
    env = {k: v for k, v in os.environ.items() if k != "TANDEM_SITE_URL"} | env_extra
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [line for line in out.splitlines() if "runserver" in line]
    return line


def test_site_url_follows_host_and_port():
    line = _runserver_line({}, "PORT=8100")
    assert "TANDEM_SITE_URL=http://127.0.0.1:8100 " in line and line.endswith("runserver 127.0.0.1:8100")


def test_a_site_url_that_is_set_wins():
    line = _runserver_line({"TANDEM_SITE_URL": "https://tandem.example"}, "PORT=8100")
    assert "TANDEM_SITE_URL=https://tandem.example " in line

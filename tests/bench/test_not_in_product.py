"""The load generator and the benchmark are development tools (ADR 0080): the production
settings do not install the bench app, so its commands do not exist there, and the Docker
image leaves bench/ out."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, settings_module):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-real-looking-secret-" + "q8Zr2xP0vLm4Tn6" * 4,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_seed_load_does_not_exist_under_the_production_settings():
    production = _manage("help", "seed_load", settings_module="portal.settings")
    assert production.returncode != 0
    assert "Unknown command: 'seed_load'" in production.stderr
    commands = _manage("help", "--commands", settings_module="portal.settings").stdout.split()
    assert "seed_load" not in commands and "bench_report" not in commands
    assert "generate_progress_report" in commands and "seed_demo" in commands


def test_the_bench_settings_and_the_test_settings_install_the_bench_app():
    bench = _manage("help", "--commands", settings_module="bench.settings")
    assert bench.returncode == 0, bench.stderr
    assert {"seed_load", "bench_report"} <= set(bench.stdout.split())
    assert "bench" in settings.INSTALLED_APPS


def test_the_docker_image_leaves_bench_out():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    assert "bench" in [line.strip() for line in lines if not line.startswith("#")]

"""scripts/serve.py's supervisor and environment, with stand-in processes (fast)."""

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def serve():
    spec = importlib.util.spec_from_file_location("tandem_serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SLEEPER = [sys.executable, "-c", "import time\nwhile True: time.sleep(0.1)"]
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True: time.sleep(0.1)",
]


def gone(pid):
    try:
        os.killpg(pid, 0)
        return False
    except ProcessLookupError:
        return True


def test_when_one_process_dies_the_others_are_stopped_and_serve_fails(serve):
    supervisor = serve.Supervisor(dict(os.environ))
    supervisor.start("web", SLEEPER)
    supervisor.start("worker", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor.start("beat", SLEEPER)
    assert supervisor.run() == 1
    assert all(gone(proc.pid) for proc in supervisor.children.values())


def test_a_stop_request_stops_everything_and_serve_succeeds(serve):
    supervisor = serve.Supervisor(dict(os.environ))
    supervisor.start("web", SLEEPER)
    supervisor.start("beat", SLEEPER)
    supervisor.request_stop(signal.SIGINT, None)
    assert supervisor.run() == 0
    assert all(proc.returncode is not None for proc in supervisor.children.values())


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period(serve, monkeypatch):
    monkeypatch.setattr(serve, "STOP_GRACE_SECONDS", 1)
    supervisor = serve.Supervisor(dict(os.environ))
    supervisor.start("worker", STUBBORN)
    time.sleep(0.5)  # let it install its handler
    started = time.monotonic()
    supervisor.stop()
    assert time.monotonic() - started < 10
    assert supervisor.children["worker"].returncode == -signal.SIGKILL
    supervisor.stop()  # idempotent


def test_print_env_gives_production_settings_and_keeps_the_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TANDEM_"))}
    env.update(DATABASE_URL="postgres://postgres@127.0.0.1:5432/tandem_x", REDIS_URL="redis://127.0.0.1:1/0")
    command = [sys.executable, "scripts/serve.py", "--print-env", "--state-dir", str(tmp_path)]

    def exports():
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
        )
        return dict(line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines())

    first, second = exports(), exports()
    assert first["DJANGO_DEBUG"] == "false"
    assert first["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/tandem_x"
    assert first["DJANGO_SECRET_KEY"] == second["DJANGO_SECRET_KEY"]
    assert first["DJANGO_SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    env["DJANGO_SECRET_KEY"] = "from-the-environment-" + "k" * 40
    assert exports()["DJANGO_SECRET_KEY"] == env["DJANGO_SECRET_KEY"]
    # Without DATABASE_URL: the default server, never a throwaway instance.
    del env["DATABASE_URL"], env["REDIS_URL"]
    assert exports()["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/tandem"


def test_services_and_serve_agree_on_the_default_servers(serve):
    source = (ROOT / "scripts" / "services.py").read_text()
    assert f'DEFAULT_DB = "{serve.DEFAULT_DB}"' in source
    assert f'DEFAULT_REDIS = "{serve.DEFAULT_REDIS}"' in source

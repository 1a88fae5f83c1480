"""Start a real Celery worker (a separate process) on its own Redis queue, for integration tests."""

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def real_worker(queue=None, include=(), **env_overrides):
    """Yield (process, queue name); the worker consumes only that queue (a fresh one unless
    given) and is stopped after. `include`: extra modules the worker imports (test hooks).
    Afterwards `process.output` holds what the worker wrote (stdout and stderr)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings_test", **env_overrides)
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    extra = [f"--include={','.join(include)}"] if include else []
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    failed = True
    try:
        yield worker, queue
        failed = False
    finally:
        worker.terminate()
        try:
            output, _err = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output = b""
        worker.output = output.decode(errors="replace")  # for tests that read the worker's log
        if failed:  # show what the worker said next to the failing assertion
            print(output.decode(errors="replace")[-3000:])


def shared_database_url():
    """The URL of the test database this process uses, for a worker process to use the same."""
    from django.db import connection

    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    if settings_dict.get("PASSWORD"):
        url = url.replace("@", f":{settings_dict['PASSWORD']}@", 1)
    return url

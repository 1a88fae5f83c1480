"""portal/gunicorn_conf.py's worker hook for the garbage collector (ADR 0173), run in a
process of its own: freezing would otherwise change the test process."""

import json
import subprocess
import sys

from django.conf import settings

HOOK = """
import gc, json
from portal import gunicorn_conf
gunicorn_conf.post_worker_init(None)
print(json.dumps({"frozen": gc.get_freeze_count(), "threshold": gc.get_threshold()}))
"""


def _run_hook(**env):
    result = subprocess.run(
        [sys.executable, "-c", HOOK],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR), **env},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_freezes_what_it_has_loaded_and_collects_young_objects_less_often():
    gc_state = _run_hook()
    assert gc_state["frozen"] > 1000  # the modules imported so far
    assert gc_state["threshold"][0] == 10_000


def test_the_garbage_collector_settings_come_from_the_environment():
    gc_state = _run_hook(GUNICORN_GC_FREEZE="false", GUNICORN_GC_THRESHOLD="700")
    assert gc_state == {"frozen": 0, "threshold": [700, 10, 10]}

"""The benchmark's own machinery (ADR 0080): the concurrent-submission probe against a seeded
database, and the parsing of wrk's output."""

import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from bench import probes, run
from portal.models import Notification, OutboxMessage
from referrals.models import Referral


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_load", referrals=50, stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_all_saved_with_unique_references(seeded, capsys):
    before = Referral.objects.count()
    notifications, outbox = Notification.objects.count(), OutboxMessage.objects.count()
    probes.submissions(n=12, pool=3)
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("PROBE_JSON "))
    result = json.loads(line.removeprefix("PROBE_JSON "))
    assert result["ok"], (result["errors"], result)
    assert result["saved"] == result["unique_references"] == result["events"] == 12
    assert result["pool_processes"] == 3
    assert 0 < result["p50_submit_ms"] <= result["p95_submit_ms"] <= result["max_submit_ms"]
    assert result["p95_own_ms"] <= result["max_submit_ms"]
    assert 0 <= result["p95_lock_wait_ms"] and 0 < result["mean_lock_held_ms"] <= result["max_submit_ms"]
    # The probe's drafts, and the team's notifications and outbox rows, are removed again.
    assert Referral.objects.count() == before
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == (notifications, outbox)


@pytest.mark.django_db
def test_the_figures_probe_reports_the_p95_of_its_cache_misses(capsys):
    # Its own small data set, rolled back afterwards (the module's is flushed by the
    # transactional test above).
    call_command("seed_load", referrals=20, stdout=StringIO())
    probes.figures(samples=4)
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("PROBE_JSON "))
    result = json.loads(line.removeprefix("PROBE_JSON "))
    assert result["live_samples"] == 4
    assert 0 < result["live_p50_ms"] <= result["live_ms"] <= result["live_max_ms"]
    assert result["cached_ms"] >= 0


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 201))
    assert probes._percentile(values, 95) == 190 and probes._percentile(values, 50) == 100
    assert probes._percentile([7], 95) == 7 and probes._percentile([], 95) is None


def test_wrk_output_is_parsed(monkeypatch):
    out = (
        "Running 10s test @ http://127.0.0.1:8765/healthz\n"
        'BENCH_JSON {"p50_us": 2500, "p95_us": 9100, "p99_us": 15000, "max_us": 20000, '
        '"requests": 4000, "duration_us": 10000000, "errors": 0, "status_errors": 0}\n'
    )
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, stdout=out, stderr="")

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    cfg = {"threads": 2, "connections": 8, "duration": 10}
    result = run.wrk(cfg, "http://127.0.0.1:8765/healthz", ["sessionid=a", "sessionid=b"])
    assert result["p50_ms"] == 2.5 and result["p95_ms"] == 9.1
    assert result["rps"] == 400.0 and result["errors"] == 0
    assert calls[0][-3:] == ["--", "sessionid=a", "sessionid=b"]
    assert "-c8" in calls[0]


def test_connection_counts_are_a_comma_list(monkeypatch):
    monkeypatch.delenv("BENCH_CONNECTIONS", raising=False)
    assert run.config()["connections_list"] == [8, 2]
    monkeypatch.setenv("BENCH_CONNECTIONS", "4, 8,4")
    assert run.config()["connections_list"] == [4, 8]
    monkeypatch.setenv("BENCH_CONNECTIONS", "0")
    with pytest.raises(SystemExit):
        run.config()


def test_server_cpu_is_read_from_proc_for_the_masters_children():
    """A busy child of this process counts as a gunicorn worker; its CPU shows in /proc."""
    import os
    import sys

    burn = (
        "import time\n"
        "input()\n"
        "t = time.process_time()\n"
        "while time.process_time() - t < 0.3:\n"
        "    pass\n"
        "print('done', flush=True)\n"
        "input()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", burn], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        before = run.server_cpu_ticks(os.getpid(), "tandem_bench")
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline() == "done\n"  # it has used 0.3 s of CPU by now
        after = run.server_cpu_ticks(os.getpid(), "tandem_bench")
    finally:
        child.communicate("\n")
    assert after[str(child.pid)][0] == "app"
    assert after[str(child.pid)][1] - before[str(child.pid)][1] >= 0.2 * run.CLOCK_TICKS
    cpu = run.cpu_per_request(before, after, 10)
    assert cpu["app_cpu_ms"] >= 20 and cpu["cpu_ms"] == round(cpu["app_cpu_ms"] + cpu["db_cpu_ms"], 2)
    assert run.cpu_per_request(before, after, 0)["cpu_ms"] is None


def test_cpu_per_request_splits_app_and_database_process_by_process():
    ticks = run.CLOCK_TICKS
    before = {
        "1": ("app", 5 * ticks),
        "2": ("postgres", ticks),
        "3": ("postgres", 9 * ticks),
        "4": ("redis", 0),
    }
    after = {
        "1": ("app", 7 * ticks),  # +2 s
        "2": ("postgres", 2 * ticks),  # +1 s; "3" ended meanwhile: not a negative delta
        "4": ("redis", ticks // 2),  # +0.5 s
        "5": ("postgres_other_databases", 5 * ticks),  # another database's backend
        "6": ("postgres", ticks // 2),  # started meanwhile: counts whole
    }
    cpu = run.cpu_per_request(before, after, 100)
    assert cpu["app_cpu_ms"] == 20.0 and cpu["db_cpu_ms"] == 20.0 and cpu["cpu_ms"] == 40.0
    assert cpu["other_databases_cpu_ms"] == 50.0  # reported apart, not in db_cpu_ms
    assert cpu["ended_processes"] == 1


def test_latest_json_keeps_pages_at_8_and_adds_pages_2():
    row = {
        "path": "/",
        "p50_ms": 1.0,
        "p95_ms": 2.0,
        "p99_ms": 3.0,
        "rps": 10.0,
        "requests": 100,
        "errors": 0,
        "rps_vs_floor": 1.0,
        "app_cpu_ms": 1.5,
        "db_cpu_ms": 0.5,
        "cpu_ms": 2.0,
    }
    cfg = {"workers": 3, "worker_class": "sync", "worker_threads": 1, "threads": 2, "duration": 10}
    out = run.results_document(
        cfg, 1000, {8: {"home": row}, 2: {"home": row}}, {}, {}, {}, {"before": [], "after": []}
    )
    assert set(out["pages"]["home"]) == set(run.SUMMARY_FIELDS)
    assert out["pages_2"]["home"]["cpu_ms"] == 2.0
    assert out["targets"]["p95_ms"] == {"8": 100, "2": 40}
    assert out["details"]["pages"]["home"]["requests"] == 100 and "pages_2" in out["details"]
    assert run.page_verdict(row, 40) == "ok" and run.page_verdict({**row, "p95_ms": 41}, 40) == "MISSED"

"""The benchmark's own machinery (ADR 0080): the concurrent-submission probe against a seeded
database, and the parsing of wrk's output."""

import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from bench import probes, run
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
    probes.submissions(n=12)
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("PROBE_JSON "))
    result = json.loads(line.removeprefix("PROBE_JSON "))
    assert result["ok"], result
    assert result["saved"] == result["unique_references"] == result["events"] == 12
    assert Referral.objects.count() == before  # the probe's drafts are removed again


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

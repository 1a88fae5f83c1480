"""Measurements `make bench` runs in their own process against the bench database.

    python -m bench.probes explain        EXPLAIN ANALYZE of bench/queries.py, seq scans flagged
    python -m bench.probes submissions    50 concurrent submissions through workflow.transition
    python -m bench.probes report         one half-year report: seconds and peak RSS

Each prints one line `PROBE_JSON {...}` that bench/run.py parses. The probes import models
and Django inside their functions on purpose: run as a script, this module sets Django up
(_setup) before any of them can be imported.
"""

import json
import os
import resource
import sys
import tempfile
import threading
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def _emit(data):
    print("PROBE_JSON " + json.dumps(data, default=str), flush=True)


def explain():
    from bench.queries import check_all

    _emit(check_all(analyze=True))


def submissions(n=50):
    """n drafts submitted at the same moment from n threads (each its own connection): all
    must be saved with unique reference numbers and one event each. The drafts are removed
    afterwards so the data set keeps its size."""
    from django.db import connection

    from bench.loadgen import BENCH_ACCOUNTS
    from contacts.models import Membership
    from referrals import workflow
    from referrals.models import Referral, ReferralEvent

    membership = Membership.objects.select_related("user").get(
        user__email=BENCH_ACCOUNTS["school_coordinator"], role="school_coordinator"
    )
    user, school = membership.user, membership.school
    drafts = Referral.objects.bulk_create(
        [
            Referral(
                school=school,
                home_municipality_id=school.municipality_id,
                created_by=user,
                child_first_name="Bench",
                child_last_name=f"Probe {i}",
                question="bench probe",
            )
            for i in range(n)
        ]
    )
    ids = [d.pk for d in drafts]
    connection.close()
    barrier = threading.Barrier(n)
    errors, durations = [], []
    lock = threading.Lock()

    def submit(pk):
        try:
            referral = Referral.objects.get(pk=pk)
            barrier.wait(timeout=60)
            t0 = time.monotonic()
            workflow.transition(referral, "submit", user)
            with lock:
                durations.append(time.monotonic() - t0)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(pk,)) for pk in ids]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    rows = list(Referral.objects.filter(pk__in=ids).values_list("status", "reference"))
    references = [ref for _status, ref in rows if ref]
    events = ReferralEvent.objects.filter(referral_id__in=ids, action="submit").count()
    result = {
        "attempted": n,
        "saved": sum(1 for status, _ref in rows if status == "submitted"),
        "unique_references": len(set(references)),
        "events": events,
        "errors": errors[:5],
        "error_count": len(errors),
        "wall_seconds": round(wall, 3),
        "max_submit_ms": round(max(durations) * 1000, 1) if durations else None,
    }
    result["ok"] = result["saved"] == n and result["unique_references"] == n and events == n and not errors
    Referral.objects.filter(pk__in=ids).delete()
    _emit(result)


def report():
    """Times `generate_progress_report` (ADR 0072) for the last complete half-year of the
    bench region."""
    from django.core.management import call_command

    from bench.loadgen import BENCH_ACCOUNTS
    from bench.queries import half_year
    from contacts.models import Membership

    start, _end = half_year()
    period = f"{start.year}-H{1 if start.month == 1 else 2}"
    region = Membership.objects.get(
        user__email=BENCH_ACCOUNTS["steering_member"], role="steering_member"
    ).region
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        output = os.path.join(tmp, "report.pdf")
        t0 = time.monotonic()
        call_command("generate_progress_report", period=period, region=region.code, output=output)
        seconds = time.monotonic() - t0
        size = os.path.getsize(output) if os.path.exists(output) else None
    _emit(
        {
            "available": True,
            "period": period,
            "region": region.code,
            "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_before_mb": round(rss_before, 1),
            "pdf_bytes": size,
        }
    )


def figures():
    """The dashboard's figures for the bench region's running half-year computed live (what a
    cache miss costs, ADR 0081), and read from the cache afterwards."""
    from bench.loadgen import BENCH_ACCOUNTS
    from contacts.models import Membership
    from reporting import summaries
    from reporting.figures import compute_figures
    from reporting.periods import Period
    from reporting.scopes import Scope

    region = Membership.objects.get(
        user__email=BENCH_ACCOUNTS["steering_member"], role="steering_member"
    ).region
    period, scope = Period.current(), Scope.for_region(region)
    t0 = time.monotonic()
    compute_figures(period, scope)
    cold = time.monotonic() - t0
    summaries.figures_for(period, scope)  # stores it (or finds it stored by the page run)
    t0 = time.monotonic()
    summaries.figures_for(period, scope)
    warm = time.monotonic() - t0
    _emit(
        {
            "period": period.label,
            "region": region.code,
            "live_ms": round(cold * 1000, 1),
            "cached_ms": round(warm * 1000, 2),
        }
    )


if __name__ == "__main__":
    _setup()
    probes = {"explain": explain, "submissions": submissions, "report": report, "figures": figures}
    probes[sys.argv[1]]()

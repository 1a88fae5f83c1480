"""Measurements `make bench` runs in their own process against the bench database.

    python -m bench.probes explain        EXPLAIN ANALYZE of bench/queries.py, seq scans flagged
    python -m bench.probes submissions    200 submissions at once through referrals.services.submit,
                                          p95 from the start to each commit (BENCH_SUBMIT_POOL)
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


SUBMISSIONS = 200


def _percentile(values, q):
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * q // 100) - 1))] if ordered else None


def _probe_drafts(n, user, school):
    """n complete drafts of the bench school (pupil, question, a domain, a parent with custody
    and the parent's consent): what the IB-er has filled in when pressing submit."""
    import datetime

    from django.utils import timezone

    from referrals.models import Consent, Guardian, Referral, ReferralDomain

    born = timezone.localdate() - datetime.timedelta(days=int(10.5 * 365))  # parents consent alone
    drafts = Referral.objects.bulk_create(
        [
            Referral(
                school=school,
                home_municipality_id=school.municipality_id,
                created_by=user,
                child_first_name="Bench",
                child_last_name=f"Probe {i}",
                child_date_of_birth=born,
                child_group="groep 6",
                question="bench probe: leerling is onrustig in de klas.",
                already_done="Gesprekken met ouders.",
                goals="Rust in de klas.",
                desired_form="individual",
            )
            for i in range(n)
        ]
    )
    ReferralDomain.objects.bulk_create([ReferralDomain(referral=d, domain="behaviour") for d in drafts])
    guardians = Guardian.objects.bulk_create(
        [Guardian(referral=d, name="Ouder Probe", relation="ouder", has_custody=True) for d in drafts]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                referral=d,
                giver="parent",
                guardian=g,
                given_on=timezone.localdate(),
                form="written",
                recipients="wijkteam",
                recorded_by=user,
            )
            for d, g in zip(drafts, guardians, strict=True)
        ]
    )
    return drafts


# The database wrappers a pool process inherited: referenced to the end, so no finaliser closes
# the parent's session from the child (see _serve_submissions).
_INHERITED = []


def _serve_submissions(user, drafts, next_index, barrier, results):
    """One pool process: its own database connection, opened before the start; takes the next
    draft until none are left and submits it. Reports per submission (monotonic seconds, one
    clock for all processes): taken, the year's counter row asked for and locked, commit, done
    (after the on-commit work), or the error."""
    from django.db import connections, transaction

    from referrals import services, workflow

    # A database connection of this process's own, whatever the parent left open: a forked
    # process that used the inherited wrapper would share the parent's server session (its
    # socket) with its siblings. The inherited wrapper stays referenced and is never closed
    # here (closing it would end the parent's session); multiprocessing ends the process with
    # os._exit, so no finaliser runs.
    _INHERITED.append(connections["default"])
    connections["default"] = connections.create_connection("default")
    connection = connections["default"]
    allocate = workflow.next_reference
    marks = {}

    def timed_reference(year):
        marks["lock_asked"] = time.monotonic()
        reference = allocate(year)  # SELECT ... FOR UPDATE on the year's ReferenceCounter row
        marks["lock_held"] = time.monotonic()
        # The first on-commit callback of the submission: runs right after its COMMIT.
        transaction.on_commit(lambda: marks.__setitem__("commit", time.monotonic()))
        return reference

    workflow.next_reference = timed_reference
    rows = []
    try:
        connection.ensure_connection()
        barrier.wait(timeout=120)
        while True:
            with next_index.get_lock():
                i = next_index.value
                next_index.value += 1
            if i >= len(drafts):
                break
            marks.clear()
            marks["taken"] = time.monotonic()
            try:
                services.submit(user, drafts[i])
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
                rows.append({"error": f"{type(exc).__name__}: {exc}"})
                continue
            rows.append({**marks, "done": time.monotonic()})
    except Exception as exc:  # noqa: BLE001 - a pool process that fails says so
        rows.append({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        workflow.next_reference = allocate
        connection.close()
        results.put(rows)


def submissions(n=SUBMISSIONS, pool=None):
    """n complete drafts submitted at the same moment through the IB-er's own action
    (referrals.services.submit: routing, status, reference number, event, the team's
    notifications and their outbox rows, one transaction).

    The submissions are served by `pool` processes (default BENCH_SUBMIT_POOL, else as many as
    make bench's gunicorn workers, BENCH_WORKERS: the production stack runs at most that many
    requests at once, each in a process of its own; PostgreSQL allows 100 connections, so 200
    connections of their own would not be the real stack either). Each process holds one
    database connection, opened before the start. All n submissions arrive at the start (a
    barrier releases the processes together); a submission's duration runs from that start to
    its COMMIT, so waiting for a free process and for the year's ReferenceCounter row (locked
    from the number's allocation to the commit) counts.

    Reported: all saved, unique references, one submit event each; the p50/p95/max of that
    duration (the target is the p95); and, to tell why, per submission the time of its own
    (taken up to commit), the wait for the counter row and how long the row stays locked. The
    drafts, their notifications and outbox rows are removed afterwards so the data set keeps
    its size."""
    import multiprocessing

    from django.conf import settings
    from django.db import connection

    from bench.loadgen import BENCH_ACCOUNTS
    from contacts.models import Membership
    from portal.models import Notification, OutboxMessage
    from referrals import services
    from referrals.models import Referral, ReferralEvent

    pool = pool or int(
        os.environ.get("BENCH_SUBMIT_POOL") or os.environ.get("BENCH_WORKERS") or (os.cpu_count() or 1) + 1
    )
    membership = Membership.objects.select_related("user", "school").get(
        user__email=BENCH_ACCOUNTS["school_coordinator"], role="school_coordinator"
    )
    user, school = membership.user, membership.school
    drafts = _probe_drafts(n, user, school)
    ids = [d.pk for d in drafts]
    problems = services.submit_problems(drafts[0])
    if problems:
        raise RuntimeError(f"the probe's drafts cannot be submitted: {[p.message for p in problems]}")
    connection.close()  # never share a connection with the forked processes
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(pool + 1)
    next_index = context.Value("i", 0)
    results = context.Queue()
    processes = [
        context.Process(target=_serve_submissions, args=(user, drafts, next_index, barrier, results))
        for _i in range(pool)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    t0 = time.monotonic()
    rows = [row for _p in processes for row in results.get(timeout=600)]
    for process in processes:
        process.join()
    wall = time.monotonic() - t0
    errors = [r["error"] for r in rows if "error" in r]
    done = [r for r in rows if "error" not in r]
    saved_rows = list(Referral.objects.filter(pk__in=ids).values_list("status", "reference"))
    references = [ref for _status, ref in saved_rows if ref]
    events = ReferralEvent.objects.filter(referral_id__in=ids, action="submit").count()

    def ms(seconds):
        return round(seconds * 1000, 1) if seconds is not None else None

    to_commit = [r["commit"] - t0 for r in done]
    result = {
        "attempted": n,
        "pool_processes": pool,
        "saved": sum(1 for status, _ref in saved_rows if status == "submitted"),
        "unique_references": len(set(references)),
        "events": events,
        "errors": errors[:5],
        "error_count": len(errors),
        "wall_seconds": round(wall, 3),
        "p50_submit_ms": ms(_percentile(to_commit, 50)),
        "p95_submit_ms": ms(_percentile(to_commit, 95)),
        "max_submit_ms": ms(max(to_commit) if to_commit else None),
        "p95_own_ms": ms(_percentile([r["commit"] - r["taken"] for r in done], 95)),
        "mean_own_ms": ms(sum(r["commit"] - r["taken"] for r in done) / len(done) if done else None),
        "p95_lock_wait_ms": ms(_percentile([r["lock_held"] - r["lock_asked"] for r in done], 95)),
        "mean_lock_held_ms": ms(
            sum(r["commit"] - r["lock_held"] for r in done) / len(done) if done else None
        ),
        "throughput_per_s": round(len(done) / wall, 1) if wall else None,
    }
    result["ok"] = result["saved"] == n and result["unique_references"] == n and events == n and not errors
    notifications = Notification.objects.filter(reference__in=references)
    OutboxMessage.objects.filter(
        dedup_key__in=[f"notification-email:{pk}" for pk in notifications.values_list("pk", flat=True)]
    ).delete()
    notifications.delete()
    Referral.objects.filter(pk__in=ids).delete()
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # The e-mail tasks handed to the bench's own Redis database after each commit: nobody
        # runs them (no Celery worker in make bench); drop them with their notifications.
        from portal.celery import app

        app.control.purge()
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


FIGURES_SAMPLES = 20


def figures(samples=FIGURES_SAMPLES):
    """The dashboard's figures for the bench region's running half-year computed live (what a
    cache miss costs in a running web worker, ADR 0081) `samples` times, and read from the
    cache afterwards. The target is a p95: `live_ms` is the p95 of the samples (with their p50
    and maximum); one computation alone moved 185–317 ms between runs on the same code. The
    process first computes the previous half-year once, as a worker has served pages before its
    first miss: otherwise the measurement also counts the process's first Redis connection and
    its first query plans (about 300 ms, bench/FINDINGS.md)."""
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
    compute_figures(period.previous(), scope)  # warm the process, not the figures
    cold = []
    for _i in range(samples):
        t0 = time.monotonic()
        compute_figures(period, scope)
        cold.append(time.monotonic() - t0)
    summaries.figures_for(period, scope)  # stores it (or finds it stored by the page run)
    t0 = time.monotonic()
    summaries.figures_for(period, scope)
    warm = time.monotonic() - t0
    _emit(
        {
            "period": period.label,
            "region": region.code,
            "live_ms": round(_percentile(cold, 95) * 1000, 1),
            "live_p50_ms": round(_percentile(cold, 50) * 1000, 1),
            "live_max_ms": round(max(cold) * 1000, 1),
            "live_samples": samples,
            "cached_ms": round(warm * 1000, 2),
        }
    )


if __name__ == "__main__":
    _setup()
    probes = {"explain": explain, "submissions": submissions, "report": report, "figures": figures}
    probes[sys.argv[1]]()

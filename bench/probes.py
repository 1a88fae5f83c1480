"""Measurements `make bench` runs in their own process against the bench database.

    python -m bench.probes explain        EXPLAIN ANALYZE of bench/queries.py, seq scans flagged
    python -m bench.probes submissions    200 submissions at once through referrals.services.submit
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


def submissions(n=SUBMISSIONS, pool=None):
    """n complete drafts submitted at the same moment through the IB-er's own action
    (referrals.services.submit: routing, status, reference number, event, the team's
    notifications and their outbox rows, one transaction), served by `pool` threads that each
    hold one database connection, opened before the start (default BENCH_SUBMIT_POOL, else as
    many as make bench's gunicorn workers: the production stack runs at most that many requests
    at once; PostgreSQL allows 100 connections, so 200 connections of their own would not be the
    real stack either).

    All n submissions arrive at the start (a barrier releases the pool threads together); each
    one's duration runs from that start to its commit, so the time spent waiting for a free
    connection and for the year's ReferenceCounter row (locked from the number's allocation to
    the commit) counts. Reported: all saved, unique references, one submit event each, and the
    p50/p95/max of that duration (the target is the p95), beside the p95 of the submit alone
    (from taking the submission up to its commit) to tell queueing from work. The drafts, their
    notifications and outbox rows are removed afterwards so the data set keeps its size."""
    import queue

    from django.conf import settings
    from django.db import connection

    from bench.loadgen import BENCH_ACCOUNTS
    from contacts.models import Membership
    from portal.models import Notification, OutboxMessage
    from referrals import services
    from referrals.models import Referral, ReferralEvent

    pool = pool or int(os.environ.get("BENCH_SUBMIT_POOL") or 2 * (os.cpu_count() or 1) + 1)
    membership = Membership.objects.select_related("user", "school").get(
        user__email=BENCH_ACCOUNTS["school_coordinator"], role="school_coordinator"
    )
    user, school = membership.user, membership.school
    drafts = _probe_drafts(n, user, school)
    ids = [d.pk for d in drafts]
    problems = services.submit_problems(drafts[0])
    if problems:
        raise RuntimeError(f"the probe's drafts cannot be submitted: {[p.message for p in problems]}")
    work = queue.Queue()
    for draft in drafts:
        work.put(draft)
    connection.close()
    barrier = threading.Barrier(pool + 1)
    errors, totals, own = [], [], []
    lock = threading.Lock()
    start = {}

    def serve():
        try:
            connection.ensure_connection()  # the pool's connection, open before the start
            barrier.wait(timeout=120)
            while True:
                try:
                    draft = work.get_nowait()
                except queue.Empty:
                    return
                taken = time.monotonic()
                try:
                    services.submit(user, draft)
                except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                done = time.monotonic()
                with lock:
                    totals.append(done - start["t0"])
                    own.append(done - taken)
        finally:
            connection.close()

    threads = [threading.Thread(target=serve) for _i in range(pool)]
    for t in threads:
        t.start()
    barrier.wait(timeout=120)
    start["t0"] = time.monotonic()
    for t in threads:
        t.join()
    wall = time.monotonic() - start["t0"]
    rows = list(Referral.objects.filter(pk__in=ids).values_list("status", "reference"))
    references = [ref for _status, ref in rows if ref]
    events = ReferralEvent.objects.filter(referral_id__in=ids, action="submit").count()

    def ms(seconds):
        return round(seconds * 1000, 1) if seconds is not None else None

    result = {
        "attempted": n,
        "pool_connections": pool,
        "saved": sum(1 for status, _ref in rows if status == "submitted"),
        "unique_references": len(set(references)),
        "events": events,
        "errors": errors[:5],
        "error_count": len(errors),
        "wall_seconds": round(wall, 3),
        "p50_submit_ms": ms(_percentile(totals, 50)),
        "p95_submit_ms": ms(_percentile(totals, 95)),
        "max_submit_ms": ms(max(totals) if totals else None),
        "p95_own_ms": ms(_percentile(own, 95)),
        "mean_own_ms": ms(sum(own) / len(own) if own else None),
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

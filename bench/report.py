"""Time one half-year progress report and report peak memory (for `make bench`).

    from bench.report import bench_report
    result = bench_report("2026-H1", "UTR")  # {"seconds": ..., "peak_rss_mb": ..., "bytes": ...}

or, through the same code as the Celery task, `DJANGO_SETTINGS_MODULE=bench.settings python
manage.py bench_report --period 2026-H1 --region UTR --output x.pdf`. The budget (ADR 0072,
ADR 0080): at most 10 s and under 400 MB for 100,000 referrals.
"""

import resource
import time

from contacts.models import Region
from reporting import generation
from reporting.scopes import Scope

BUDGET_SECONDS = 10
BUDGET_MB = 400


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_report(period, region_code):
    region = Region.objects.get(code=region_code)
    started = time.perf_counter()
    pdf = generation.render_report(period, Scope.for_region(region))
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak),
        "bytes": len(pdf),
        "within_budget": seconds <= BUDGET_SECONDS and peak < BUDGET_MB,
    }

"""Profile one page of bench/pages.py with cProfile, in-process, on the bench database.

    .venv/bin/python bench/profile_page.py referral_detail [--requests 20] [--sort cumulative]

Same settings as `make bench` (bench/run.py stack_env: DJANGO_DEBUG=false, BENCH_DATABASE_URL,
BENCH_REDIS_URL), the page's bench account logged in through the password and two-step forms
(a fresh recovery code, as make bench does), one request to warm up, the garbage collector set
as in a gunicorn worker, then --requests requests under cProfile through Django's test client
(no gunicorn, no network): prints the SQL count of one request and the top of the profile, and
writes the whole profile to var/bench/profile-<page>.prof (`python -m pstats` or snakeviz read
it). Like make bench, each request writes what a real page view writes (the session, an
access-log row).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402 - the path above first


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("page", help="a page name of bench/pages.py, e.g. referral_detail")
    parser.add_argument("--requests", type=int, default=20, help="requests to profile (default 20)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (default cumulative)")
    parser.add_argument("--top", type=int, default=40, help="lines of the profile to print (default 40)")
    parser.add_argument(
        "--time",
        action="store_true",
        help="no profile: the process CPU ms per request (median of 5 rounds of --requests)",
    )
    parser.add_argument(
        "--queries", action="store_true", help="also print each query of one request with its time"
    )
    args = parser.parse_args()

    cfg = run.config()
    env = run.stack_env(cfg)
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    )
    import django

    django.setup()
    # Imported only now: models and URL names need django.setup() above.
    from django.db import connection
    from django.test import Client

    from bench.loadgen import BENCH_ACCOUNTS, BENCH_PASSWORD
    from bench.pages import PAGES

    page = next((p for p in PAGES if p.name == args.page), None)
    if page is None:
        raise SystemExit(f"no page {args.page!r}; one of: {', '.join(p.name for p in PAGES)}")
    path = page.resolve()
    client = Client()
    if page.account:
        email = BENCH_ACCOUNTS[page.account]
        codes, verify_path = run.prepare_two_factor([email], 1)
        client.post("/account/inloggen/", {"username": email, "password": BENCH_PASSWORD})
        client.post(verify_path, {"otp_token": codes[email][0]})
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} for {page.account or 'anonymous'}")
    # The garbage collector as in a gunicorn worker of make bench (ADR 0173): what is loaded now
    # frozen, the youngest generation collected every GUNICORN_GC_THRESHOLD allocations.
    from portal import gunicorn_conf

    gunicorn_conf.post_worker_init(None)
    queries = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(count):
        client.get(path)
    if args.queries:
        for sql, ms in queries:
            print(f"{ms:7.2f} ms  {sql[:300]}")
        print(f"{sum(ms for _sql, ms in queries):7.2f} ms in {len(queries)} queries (one request)\n")
    if args.time:
        rounds = []
        for _round in range(5):
            started = time.process_time()
            for _i in range(args.requests):
                client.get(path)
            rounds.append((time.process_time() - started) * 1000 / args.requests)
        rounds.sort()
        print(
            f"{page.name}: {rounds[2]:.2f} ms process CPU per request (median of 5 rounds of "
            f"{args.requests}; min {rounds[0]:.2f}, max {rounds[-1]:.2f}), {len(queries)} queries"
        )
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _i in range(args.requests):
        client.get(path)
    profiler.disable()
    per_request = (time.perf_counter() - started) * 1000 / args.requests
    out = ROOT / "var" / "bench" / f"profile-{page.name}.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats(args.sort).print_stats(args.top)
    print(text.getvalue())
    print(
        f"{page.name} {path} as {page.account or 'anonymous'}: {len(queries)} queries, "
        f"{per_request:.1f} ms per request under cProfile ({args.requests} requests); profile: {out}"
    )


if __name__ == "__main__":
    main()

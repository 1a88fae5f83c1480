"""`make bench`: the production stack on a load data set, measured from a separate process.

Steps: make sure wrk is there; make sure the bench database exists with BENCH_REFERRALS
referrals (seeded with `seed_load` only when missing or of another size, so a second run is
quick; a reused database is topped up with `seed_load --top-up`, which loads what an older data
set lacks: privacy officers, a million access-log rows, notifications, progress reports);
collectstatic; start gunicorn (DJANGO_DEBUG=false, PostgreSQL, Redis); log in through the real
login form; per page of bench/pages.py warm up, then run wrk for BENCH_DURATION seconds at each
connection count of BENCH_CONNECTIONS, reading the server's CPU time from /proc around each run
(gunicorn workers, PostgreSQL, Redis: CPU ms per request, server_cpu_ticks); then the probes
(EXPLAIN, 200 submissions at once, half-year report, dashboard figures). Prints a table per
connection count with each page's verdict (p95 <= 100 ms at 8 connections, <= 40 ms at 2;
TARGETS_MS) and the submissions' (p95 <= 500 ms) and writes bench/results/latest.json: `pages`
(8 connections), `pages_2` (and pages_N for any other count), `targets`, the probes, and the raw
figures under `details`.

Environment: BENCH_REFERRALS (1000000), BENCH_DURATION (10), BENCH_CONNECTIONS (comma list,
"8,2"), BENCH_THREADS (2), BENCH_WARMUP (2 s per page), BENCH_PORT (8765), BENCH_WORKERS
(CPUs + 1, as production), BENCH_WORKER_CLASS (gunicorn's, sync), BENCH_WORKER_THREADS (1; for gthread),
BENCH_SUBMIT_POOL (processes of the submissions probe; BENCH_WORKERS's default),
BENCH_DATABASE_URL (database tandem_bench on the DATABASE_URL server, else 127.0.0.1:5432),
BENCH_REDIS_URL (db 9 on the REDIS_URL server, else 127.0.0.1:6379),
BENCH_PAGES (comma-separated names; default all), BENCH_SKIP (comma-separated steps to skip:
explain,submissions,report,figures). Profiling one page: bench/README.md.
"""

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS = ROOT / "bench" / "results"


def say(msg):
    print(f"bench: {msg}", flush=True)


def _on_same_server(url, path, default):
    """The bench database (or Redis db) on the server of `url` (e.g. the DATABASE_URL that
    scripts/services.py exports), never the database itself."""
    if not url or not url.startswith(("postgres", "redis")):
        return default
    return urllib.parse.urlparse(url)._replace(path=path).geturl()


# The p95 each connection count must meet (ms); other counts are measured without a verdict.
TARGETS_MS = {8: 100, 2: 40}


def _connections(value):
    """BENCH_CONNECTIONS: a comma list of wrk connection counts, each page measured at each."""
    counts = [int(c) for c in value.split(",") if c.strip()]
    if not counts or min(counts) < 1:
        raise SystemExit(f"BENCH_CONNECTIONS={value!r}: give positive numbers, e.g. 8,2")
    return list(dict.fromkeys(counts))


def config():
    cpus = os.cpu_count() or 1
    return {
        "referrals": int(os.environ.get("BENCH_REFERRALS", "1000000")),
        "duration": int(os.environ.get("BENCH_DURATION", "10")),
        "warmup": int(os.environ.get("BENCH_WARMUP", "2")),
        "connections_list": _connections(os.environ.get("BENCH_CONNECTIONS", "8,2")),
        "threads": int(os.environ.get("BENCH_THREADS", "2")),
        "port": int(os.environ.get("BENCH_PORT", "8765")),
        # The default of portal/gunicorn_conf.py (ADR 0171).
        "workers": int(os.environ.get("BENCH_WORKERS", str(cpus + 1))),
        "worker_class": os.environ.get("BENCH_WORKER_CLASS", "sync"),
        "worker_threads": int(os.environ.get("BENCH_WORKER_THREADS", "1")),
        "database_url": os.environ.get("BENCH_DATABASE_URL")
        or _on_same_server(
            os.environ.get("DATABASE_URL"), "/tandem_bench", "postgres://postgres@127.0.0.1:5432/tandem_bench"
        ),
        "redis_url": os.environ.get("BENCH_REDIS_URL")
        or _on_same_server(os.environ.get("REDIS_URL"), "/9", "redis://127.0.0.1:6379/9"),
        "pages": [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p],
        "skip": [p for p in os.environ.get("BENCH_SKIP", "").split(",") if p],
    }


def stack_env(cfg):
    """The production settings, pointed at the bench database."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": cfg["database_url"],
            "REDIS_URL": cfg["redis_url"],
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x7Qm2pLr9vTz4Kw8" * 3,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
            "TANDEM_SITE_URL": f"http://127.0.0.1:{cfg['port']}",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


# --- Data set ------------------------------------------------------------------------------------


def ensure_dataset(cfg, env):
    url = urllib.parse.urlparse(cfg["database_url"])
    dbname = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
    current = None
    if exists:
        with psycopg.connect(cfg["database_url"]) as conn:
            table = conn.execute("SELECT to_regclass('referrals_referral')").fetchone()[0]
            if table:
                current = conn.execute("SELECT count(*) FROM referrals_referral").fetchone()[0]
    if current == cfg["referrals"]:
        say(f"database {dbname} already holds {current:,} referrals: reusing it")
        manage(env, "migrate", "--no-input", "-v", "0")
        # A data set seeded before the access log, notifications, reports and privacy officers
        # were part of the load: add them (each only when its table is empty; quick otherwise).
        t0 = time.monotonic()
        manage({**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}, "seed_load", "--top-up")
        info = {"reused": True, "top_up_seconds": round(time.monotonic() - t0, 1)}
        try:  # keep the seed figures of the run that created this database
            previous = json.loads((RESULTS / "latest.json").read_text())
            if previous["dataset"]["referrals"] == current:
                old = previous["details"]["dataset"]
                info["seed_seconds"] = old.get("seed_seconds")
                info["seeded_by_earlier_run"] = True
        except (OSError, KeyError, ValueError):
            pass
        with psycopg.connect(cfg["database_url"]) as conn:
            info["database_mb"] = round(
                conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
            )
        return info
    say(
        f"database {dbname}: {'missing' if not exists else f'{current} referrals'}; "
        f"(re)creating with {cfg['referrals']:,} referrals"
    )
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    manage(env, "migrate", "--no-input", "-v", "0")
    t0 = time.monotonic()
    # seed_load is a command of the development-only bench app, which only bench/settings.py
    # installs; the stack itself runs with the production settings.
    manage(
        {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}, "seed_load", "--referrals", str(cfg["referrals"])
    )
    seconds = time.monotonic() - t0
    with psycopg.connect(cfg["database_url"]) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"reused": False, "seed_seconds": round(seconds, 1), "database_mb": round(size / 2**20)}


def settle_dataset(cfg):
    """VACUUM (ANALYZE) of the whole bench database before anything is measured: the state a
    running server's autovacuum keeps it in (statistics, the visibility map that index-only
    scans need, no dead rows). Without it a page is measured against what this machine
    happens to have done: its PostgreSQL may run with autovacuum off, and an earlier run's
    probes leave the rows they removed behind (bench/FINDINGS.md, 2026-12-07). Quick on a
    database that is settled already."""
    t0 = time.monotonic()
    with psycopg.connect(cfg["database_url"], autocommit=True) as conn:
        autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        conn.execute("VACUUM (ANALYZE)")
    seconds = round(time.monotonic() - t0, 1)
    say(f"database vacuumed and analysed in {seconds} s (the server's autovacuum: {autovacuum})")
    return {"vacuum_seconds": seconds, "server_autovacuum": autovacuum}


# --- Server and HTTP -----------------------------------------------------------------------------


def start_server(cfg, env):
    with socket.socket() as probe_socket:
        if probe_socket.connect_ex(("127.0.0.1", cfg["port"])) == 0:
            raise SystemExit(f"port {cfg['port']} is already in use: set BENCH_PORT to a free port")
    log = open(ROOT / "var" / "bench" / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    gunicorn = str(Path(PY).parent / "gunicorn")
    # The production configuration (portal/gunicorn_conf.py: timeouts, logging), with the
    # bench's port, worker count and worker class, and without max_requests: at the bench's
    # hundreds of requests a second each worker would restart every few seconds (a second's
    # boot each, while its connections wait), which production at its rate does a few times a day.
    proc = subprocess.Popen(
        [
            gunicorn,
            "-c",
            "python:portal.gunicorn_conf",
            "portal.wsgi:application",
            "--max-requests",
            "0",
            "--worker-class",
            cfg["worker_class"],
            "--threads",
            str(cfg["worker_threads"]),
        ],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{cfg['port']}", "WEB_CONCURRENCY": str(cfg["workers"])},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{cfg['port']}"
    for _i in range(120):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log.name}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return proc, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def prepare_two_factor(emails, codes_per_account):
    """Production requires 2FA for every role (docs/adr/0040, 0136): give each bench account a
    confirmed authenticator device and fresh single-use recovery codes, so the benchmark logs
    in through the password form and the verify form like a real user. Returns
    ({email: [codes]}, verify path)."""
    # Imported here: this script sets Django up (main) before models can be imported.
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from contacts.models import User

    verify_path = reverse("security:two_factor_verify")
    codes = {}
    for email in emails:
        user = User.objects.get(email=email)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=True)
        StaticDevice.objects.filter(user=user, name="bench-recovery-codes").delete()
        device = StaticDevice.objects.create(user=user, name="bench-recovery-codes", confirmed=True)
        codes[email] = [f"{secrets.randbelow(10**10):010d}" for _i in range(codes_per_account)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes[email]])
    return codes, verify_path


def _post_form(opener, url, fields, base):
    """GET a form page, POST it with its CSRF token; returns the redirect Location."""
    with opener.open(url, timeout=60) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": base + "/"})
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read().decode(errors="replace")
        errors = re.findall(r"(?s)<li>(.*?)</li>|error-message[^>]*><p>(.*?)</p>", body)
        raise SystemExit(f"{url} answered {response.status} without a redirect: {errors[:3] or body[:300]}")
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise SystemExit(f"{url} answered {exc.code}") from exc
        return exc.headers.get("Location", "")


def login(base, email, password, code=None, verify_path=None):
    """Log in through the real forms (password, then the 2FA code when given); returns the
    Cookie header value of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    _post_form(opener, base + "/account/inloggen/", {"username": email, "password": password}, base)
    if code and verify_path:
        _post_form(opener, base + verify_path, {"otp_token": code}, base)
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {email} set no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def wrk(cfg, url, cookies):
    cmd = [
        "wrk",
        f"-t{cfg['threads']}",
        f"-c{cfg['connections']}",
        f"-d{cfg['duration']}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "latency.lua"),
        url,
        "--",
        *cookies,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    rps = raw["requests"] / (raw["duration_us"] / 1e6)
    return {
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "rps": round(rps, 1),
        "requests": raw["requests"],
        "errors": raw["errors"],
    }


def probe(env, name):
    result = subprocess.run(
        [PY, "-m", "bench.probes", name], cwd=ROOT, env=env, capture_output=True, text=True
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("PROBE_JSON ")), None)
    if result.returncode != 0 or line is None:
        say(f"probe {name} failed:\n{result.stderr[-3000:]}")
        return {"error": (result.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(line.removeprefix("PROBE_JSON "))


# --- Server CPU per request ---------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(comm, ppid, utime + stime in clock ticks) of a process from /proc/<pid>/stat, or None
    when it is gone. comm may hold spaces and parentheses: the fields follow the last ')'."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is the state (field 3 of proc(5)): ppid is field 4, utime 14, stime 15.
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])


def _backend_database(pid):
    """The database of a PostgreSQL client backend ("postgres: [cluster: ]user db host(port)
    state"), or None for the server's own processes (postmaster, checkpointer, walwriter...)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    match = re.match(r"postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])", args)
    return match.group(1) if match else None


def server_cpu_ticks(master_pid, bench_db):
    """{pid: (part, CPU ticks used so far)} of the gunicorn workers (part "app": the master's
    children, listed afresh on every call), of PostgreSQL ("postgres": every process named
    `postgres` except client backends of another database, which are "postgres_other_databases":
    other databases on the shared server are not the bench's load) and of Redis ("redis": the
    whole `redis-server`, which has no process per database)."""
    ticks = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _stat(entry.name)
        if stat is None:
            continue
        comm, ppid, used = stat
        if ppid == master_pid:
            ticks[entry.name] = ("app", used)
        elif comm == "postgres":
            database = _backend_database(entry.name)
            part = "postgres" if database in (None, bench_db) else "postgres_other_databases"
            ticks[entry.name] = (part, used)
        elif comm == "redis-server":
            ticks[entry.name] = ("redis", used)
    return ticks


CPU_PARTS = ("app", "postgres", "postgres_other_databases", "redis")


def cpu_per_request(before, after, requests):
    """Server CPU ms per request between two server_cpu_ticks readings, process by process: one
    that started in between counts whole, one that ended in between (a backend closing its
    connection after CONN_MAX_AGE, an autovacuum worker) is lost with what it used since the
    first reading, so the figures are a slight underestimate then (`ended_processes` says how
    many)."""
    used = dict.fromkeys(CPU_PARTS, 0)
    for pid, (part, ticks) in after.items():
        used[part] += ticks - before.get(pid, (part, 0))[1]
    ended = sum(1 for pid in before if pid not in after)
    if not requests:
        return {"app_cpu_ms": None, "db_cpu_ms": None, "cpu_ms": None, "ended_processes": ended}

    def ms(*parts):
        return sum(used[p] for p in parts) * 1000 / CLOCK_TICKS / requests

    app, db = ms("app"), ms("postgres", "redis")
    return {
        "app_cpu_ms": round(app, 2),
        "db_cpu_ms": round(db, 2),
        "cpu_ms": round(app + db, 2),
        "postgres_cpu_ms": round(ms("postgres"), 2),
        "redis_cpu_ms": round(ms("redis"), 2),
        "other_databases_cpu_ms": round(ms("postgres_other_databases"), 2),
        "ended_processes": ended,
    }


# --- Main ----------------------------------------------------------------------------------------


def main():
    cfg = config()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        say("installing wrk (Debian package)")
        subprocess.run([str(ROOT / "scripts" / "apt_install.sh"), "wrk"], check=True)
    env = stack_env(cfg)
    dataset = ensure_dataset(cfg, env)
    dataset.update(settle_dataset(cfg))
    manage(env, "collectstatic", "--no-input", "-v", "0")

    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "DATABASE_URL",
                "REDIS_URL",
                "DJANGO_DEBUG",
                "DJANGO_SECRET_KEY",
                "DJANGO_SECURE_SSL_REDIRECT",
                "DJANGO_SECURE_COOKIES",
                "DJANGO_ALLOWED_HOSTS",
            )
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Imported only now: models and URL names need the settings and django.setup() above.
    from django.db import connection

    from bench.loadgen import BENCH_ACCOUNTS, BENCH_PASSWORD
    from bench.pages import PAGES

    referrals = connection.cursor().execute("SELECT count(*) FROM referrals_referral").fetchone()[0]
    pages = [p for p in PAGES if not cfg["pages"] or p.name in cfg["pages"] or p.name == "healthz"]
    resolved = {page.name: page.resolve() for page in pages}
    accounts = sorted({BENCH_ACCOUNTS[p.account] for p in pages if p.account})
    connections = cfg["connections_list"]
    codes, verify_path = prepare_two_factor(accounts, max(connections))
    if codes:
        say(f"two-factor: recovery codes ready for {len(codes)} bench accounts")
    connection.close()
    bench_db = urllib.parse.urlparse(cfg["database_url"]).path.lstrip("/")

    load_before = [round(x, 2) for x in os.getloadavg()]
    say(f"starting gunicorn with {cfg['workers']} workers on 127.0.0.1:{cfg['port']} (DEBUG false)")
    server, base = start_server(cfg, env)
    results = {c: {} for c in connections}
    notes = {}
    try:
        sessions = {}
        for page in pages:
            path = resolved[page.name]
            cookies = []
            if page.account:
                if page.account not in sessions:
                    email = BENCH_ACCOUNTS[page.account]
                    sessions[page.account] = [
                        login(base, email, BENCH_PASSWORD, code, verify_path)
                        for code in (codes.get(email) or [None] * max(connections))
                    ]
                cookies = sessions[page.account]
            status, size = fetch(base + path, cookies[0] if cookies else "")
            if status != 200:
                say(f"{page.name}: {path} answered HTTP {status}; not measured")
                notes[page.name] = f"HTTP {status} for {path}"
                continue
            # Warm every worker (imports, URL resolver, translations, connections) first.
            wrk({**cfg, "connections": max(connections), "duration": cfg["warmup"]}, base + path, cookies)
            for count in connections:
                say(f"{page.name}: wrk {cfg['duration']}s x {count} connections on {path} ({size} bytes)")
                before = server_cpu_ticks(server.pid, bench_db)
                measured = wrk({**cfg, "connections": count}, base + path, cookies[:count])
                after = server_cpu_ticks(server.pid, bench_db)
                results[count][page.name] = {
                    "path": path,
                    **measured,
                    **cpu_per_request(before, after, measured["requests"]),
                }
    finally:
        server.terminate()
        server.wait(timeout=30)

    for by_page in results.values():
        floor = by_page.get("healthz", {}).get("rps")
        for r in by_page.values():
            r["rps_vs_floor"] = round(r["rps"] / floor, 3) if floor else None

    extra = {}
    for name in ("explain", "submissions", "report", "figures"):
        if name in cfg["skip"]:
            continue
        say(f"probe: {name}")
        extra[name] = probe(env, name)

    out = results_document(
        cfg,
        referrals,
        results,
        notes,
        extra,
        dataset,
        {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]},
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(out, indent=2, sort_keys=False) + "\n")
    print_table(out, results, notes, extra)
    return 0


SUMMARY_FIELDS = ("p50_ms", "p95_ms", "rps", "rps_vs_floor", "app_cpu_ms", "db_cpu_ms", "cpu_ms")


def pages_key(count):
    """latest.json's key of the pages at `count` connections: "pages" for 8 (the figures the
    project has always compared), "pages_2" and so on for the others."""
    return "pages" if count == 8 else f"pages_{count}"


def results_document(cfg, referrals, results, notes, extra, dataset, load):
    """latest.json: per connection count the pages' summary (pages_key), the targets, the probes
    and the raw figures under details."""
    report = extra.get("report", {})
    out = {"dataset": {"referrals": referrals}}
    for count, by_page in results.items():
        out[pages_key(count)] = {name: {k: r.get(k) for k in SUMMARY_FIELDS} for name, r in by_page.items()}
    out["targets"] = {
        "p95_ms": {str(c): TARGETS_MS.get(c) for c in results},
        "submissions_p95_ms": SUBMISSIONS_TARGET_MS,
        "report": REPORT_TARGET,
        "dashboard_figures_live_ms": FIGURES_TARGET_MS,
    }
    out.update(
        {
            "report": (
                {"seconds": report["seconds"], "peak_rss_mb": report["peak_rss_mb"]}
                if report.get("available")
                else {"seconds": None, "peak_rss_mb": None}
            ),
            "concurrent_submissions": extra.get("submissions"),
            "dashboard_figures": extra.get("figures"),
            "not_measured": notes,
            "explain": extra.get("explain"),
        }
    )
    details = {pages_key(count): by_page for count, by_page in results.items()}
    details.update(
        {
            "report": report,
            "dataset": dataset,
            "stack": {
                "workers": cfg["workers"],
                "worker_class": cfg["worker_class"],
                "worker_threads": cfg["worker_threads"],
                "connections": list(results),
                "threads": cfg["threads"],
                "duration_s": cfg["duration"],
                "load_average_before": load["before"],
                "load_average_after": load["after"],
                "cpus": os.cpu_count(),
                "clock_ticks_per_s": CLOCK_TICKS,
            },
        }
    )
    out["details"] = details
    return out


SUBMISSIONS_TARGET_MS = 500
# The half-year report (seconds, peak RSS MB) and the dashboard's live figures (ms).
REPORT_TARGET = {"seconds": 2, "peak_rss_mb": 150}
FIGURES_TARGET_MS = 300


def page_verdict(r, target):
    if not r["requests"]:
        return "MISSED (no response within wrk's timeout)"
    verdict = "-" if target is None else ("ok" if r["p95_ms"] <= target else "MISSED")
    if r["errors"]:
        verdict += f" ({r['errors']} errors)"
    return verdict


def _cell(value, fmt):
    return format(value, fmt) if value is not None else "-".rjust(int(fmt.lstrip(">").split(".")[0]))


def print_table(out, results, notes, extra):
    print()
    print(f"Tandem bench — {out['dataset']['referrals']:,} referrals")
    for count, by_page in results.items():
        target = TARGETS_MS.get(count)
        print()
        print(f"{count} connections — " + (f"target p95 <= {target} ms" if target else "no target"))
        print(
            f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'rps':>8} {'vs floor':>9}"
            f" {'app cpu':>8} {'db cpu':>7} {'cpu ms':>7}  verdict"
        )
        for name, r in by_page.items():
            print(
                f"{name:<20} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['rps']:>8.1f}"
                f" {_cell(r['rps_vs_floor'], '>9.3f')} {_cell(r['app_cpu_ms'], '>8.1f')}"
                f" {_cell(r['db_cpu_ms'], '>7.1f')} {_cell(r['cpu_ms'], '>7.1f')}  {page_verdict(r, target)}"
            )
    print("(cpu: server CPU ms per request; app = gunicorn workers, db = PostgreSQL + Redis)")
    for name, note in notes.items():
        print(f"{name:<20} {note}")
    report = extra.get("report")
    if report is not None:
        if report.get("available"):
            ok = (
                report["seconds"] <= REPORT_TARGET["seconds"]
                and report["peak_rss_mb"] <= REPORT_TARGET["peak_rss_mb"]
            )
            print(
                f"half-year report     {report['seconds']} s, peak RSS {report['peak_rss_mb']} MB "
                f"(target <={REPORT_TARGET['seconds']} s, <={REPORT_TARGET['peak_rss_mb']} MB): "
                f"{'ok' if ok else 'MISSED'}"
            )
        else:
            print(f"half-year report     {report.get('note') or report.get('error')}")
    fig = extra.get("figures")
    if fig is not None and "live_ms" in fig:
        print(
            f"dashboard figures    {fig['period']} {fig['region']}: live p95 {fig['live_ms']} ms"
            f" of {fig.get('live_samples', 1)} cache misses (p50 {fig.get('live_p50_ms', fig['live_ms'])},"
            f" max {fig.get('live_max_ms', fig['live_ms'])}; target p95 <={FIGURES_TARGET_MS} ms:"
            f" {'ok' if fig['live_ms'] <= FIGURES_TARGET_MS else 'MISSED'}), cached {fig['cached_ms']} ms"
        )
    sub = extra.get("submissions")
    if sub is not None:
        print(submissions_line(sub))
    explain = extra.get("explain")
    if explain and "error" not in explain:
        print("EXPLAIN ANALYZE (sequential scans on referral tables flagged):")
        for name, e in explain.items():
            flag = f"SEQ SCAN {','.join(e['seq_scans'])}" if e["seq_scans"] else "index"
            print(f"  {name:<26} {e['page']:<18} {e['ms'] if e['ms'] is not None else '-':>9} ms  {flag}")
    print(f"written: {RESULTS / 'latest.json'}")


def submissions_line(sub):
    if "error" in sub:
        return f"submissions          probe failed: {sub['error']}"
    p95 = sub.get("p95_submit_ms")
    timing_ok = p95 is not None and p95 <= SUBMISSIONS_TARGET_MS
    verdict = "ok" if sub["ok"] and timing_ok else "MISSED" if sub["ok"] else "FAILED"
    return (
        f"{sub['attempted']} submissions      saved {sub['saved']}, unique references "
        f"{sub['unique_references']}, events {sub['events']}, errors {sub['error_count']}; "
        f"start to commit p95 {p95} ms, max {sub.get('max_submit_ms')} ms"
        f" (target p95 <= {SUBMISSIONS_TARGET_MS} ms): {verdict}\n"
        f"                     {sub.get('pool_processes')} processes, {sub.get('throughput_per_s')}/s;"
        f" each: own p95 {sub.get('p95_own_ms')} ms (mean {sub.get('mean_own_ms')}),"
        f" counter row lock wait p95 {sub.get('p95_lock_wait_ms')} ms,"
        f" held mean {sub.get('mean_lock_held_ms')} ms"
    )


if __name__ == "__main__":
    sys.exit(main())

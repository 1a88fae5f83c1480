"""`make scan`: a security scan of the production-like stack that anyone can rerun (ADR 0160).

1. A fresh database `tandem_scan` (on the DATABASE_URL server, else 127.0.0.1:5432) and Redis
   db 11 (on the REDIS_URL server): migrate, seed_demo with a random password, and for every
   role that needs two-step verification a confirmed authenticator device and recovery codes.
2. `scripts/serve.py` (gunicorn + Celery worker + beat, DJANGO_DEBUG=false) on a free port of
   127.0.0.1; its JSON log is kept in build/scan/server.log (every request with its status).
3. Per role (one demo account each, plus anonymous): log in through the real login form and
   the verify form (the code computed from the device key, or a recovery code), one session
   per tool; then
   - scripts/scan/hostile.py: crawl, every form with hostile input, a CSRF-less POST;
   - wapiti (modules for web applications, scope the site, logout and 2FA switch-off excluded);
   - sqlmap on the GET parameters and forms the crawl found (level 1, batch, PostgreSQL).
   Every tool has a time bound (SCAN_WAPITI_SECONDS, SCAN_SQLMAP_SECONDS, SCAN_HOSTILE_SECONDS
   per role), so the whole run stays under about 20 minutes.
4. scripts/scan/gate.py writes build/scan/report.md and report.json and decides: exit 1 on any
   unaccepted finding of medium or higher severity or any 5xx.

The scanners come from their own virtualenv .venv-scan (requirements/scan.txt, the Makefile
creates it). Environment: SCAN_ROLES (comma-separated role names, default all),
SCAN_PARALLEL (tool runs at the same time, default 2), SCAN_OUTPUT (build/scan).
"""

import concurrent.futures
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = sys.executable
SCAN_VENV = ROOT / ".venv-scan" / "bin"
OUT = Path(os.environ.get("SCAN_OUTPUT", ROOT / "build" / "scan"))
STATE = ROOT / "var" / "scan"

# One demo account per role (README "Demo accounts"); "anonymous" scans without a session.
ROLES = {
    "anonymous": None,
    "school_coordinator": "ib@demo.tandem.test",
    "district_worker": "wijkteam@demo.tandem.test",
    "partnership_director": "directeur@demo.tandem.test",
    "municipal_officer": "beleid@demo.tandem.test",
    "steering_group": "begeleidingsgroep@demo.tandem.test",
    "registry_admin": "beheer@demo.tandem.test",
    "privacy_officer": "privacy@demo.tandem.test",
}
# Never crawled nor attacked: they end the scanner's own session or its two-step verification
# (that they work is the suite's job, tests/security), static files, and Django's admin site.
EXCLUDED = [
    "/account/uitloggen/",
    "/account/tweestapsverificatie/uitschakelen/",
    "/static/",
    "/beheer/",
]
WAPITI_MODULES = (
    "xss,permanentxss,sql,exec,file,redirect,crlf,csrf,http_headers,cookieflags,csp,upload,methods,xxe"
)
SESSIONS_PER_ROLE = 3  # hostile, wapiti, sqlmap


def say(msg):
    print(f"scan: {msg}", flush=True)


def seconds(name, default):
    return float(os.environ.get(name, default))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_server(url, path, default):
    if not url or not url.startswith(("postgres", "redis")):
        return default
    return urllib.parse.urlparse(url)._replace(path=path).geturl()


def stack_env(port):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": on_server(
                os.environ.get("DATABASE_URL"),
                "/tandem_scan",
                "postgres://postgres@127.0.0.1:5432/tandem_scan",
            ),
            "REDIS_URL": on_server(os.environ.get("REDIS_URL"), "/11", "redis://127.0.0.1:6379/11"),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": str(STATE / "static"),
            "TANDEM_PRIVATE_MEDIA_ROOT": str(STATE / "private"),
            "TANDEM_SITE_URL": f"http://127.0.0.1:{port}",
            "DJANGO_LOG_FORMAT": "json",
            "EMAIL_URL": "dummymail://",
            # The scanners submit wrong passwords and codes by the hundred on purpose; the
            # lockout (ADR 0041, tested in tests/security) would otherwise lock the very
            # accounts being scanned.
            "TANDEM_LOCKOUT_FAILURES": "100000",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def fresh_database(url):
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    server = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_accounts(env):
    """Authenticator devices and recovery codes for the scanned accounts (the state a user is in
    after enrolling, ADR 0040). Returns {email: (totp key bytes, [recovery codes])}."""
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "DATABASE_URL",
                "REDIS_URL",
                "DJANGO_DEBUG",
                "DJANGO_SECRET_KEY",
                "DJANGO_ALLOWED_HOSTS",
                "DJANGO_SECURE_COOKIES",
                "DJANGO_SECURE_SSL_REDIRECT",
                "DJANGO_STATIC_ROOT",
                "TANDEM_PRIVATE_MEDIA_ROOT",
            )
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from contacts.models import User
    from security.services import RECOVERY_DEVICE_NAME, TOTP_DEVICE_NAME

    accounts = {}
    for email in filter(None, ROLES.values()):
        user = User.objects.get(email=email)
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [f"{secrets.randbelow(10**10):010d}" for _i in range(SESSIONS_PER_ROLE)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        accounts[email] = (device.bin_key, codes)
    connection.close()
    return accounts


def totp(key):
    from django_otp.oath import TOTP

    generator = TOTP(key, step=30, t0=0, digits=6)
    return f"{generator.token():06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(opener, base, path, fields):
    with opener.open(base + path, timeout=60) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Referer": base + "/"})  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            raise SystemExit(f"scan: {path} answered {response.status} without a redirect")
    except urllib.error.HTTPError as exc:
        if exc.code not in (302, 303):
            raise SystemExit(f"scan: {path} answered {exc.code}") from exc
        return exc.headers.get("Location", "")


def login(base, email, password, code):
    """A session through the real login form and, when asked for it, the verify form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    location = post_form(opener, base, "/account/inloggen/", {"username": email, "password": password})
    try:
        opener.open(base + "/", timeout=60).close()
    except urllib.error.HTTPError as exc:
        location = exc.headers.get("Location", "")
        if "tweestapsverificatie" in location:
            path = urllib.parse.urlsplit(urllib.parse.urljoin(base, location)).path
            post_form(opener, base, path, {"otp_token": code})
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"scan: login as {email} set no session cookie")
    try:
        with opener.open(base + "/", timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = f"{exc.code} to {exc.headers.get('Location')}"
    if status != 200:
        raise SystemExit(f"scan: home page as {email} answered {status} (after login: {location})")
    return cookies


def start_stack(env, port):
    log = open(OUT / "server.log", "w")  # noqa: SIM115 - closed after the process ends
    proc = subprocess.Popen(
        [
            PY,
            str(ROOT / "scripts" / "serve.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--web-workers",
            "3",
            "--worker-concurrency",
            "1",
            "--state-dir",
            str(STATE),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _i in range(240):
        if proc.poll() is not None:
            raise SystemExit(f"scan: the stack stopped; see {log.name}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return proc, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    stop_stack(proc)
    raise SystemExit("scan: the stack did not answer /healthz within 120 s")


def stop_stack(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cookie_header(cookies):
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_bounded(command, log_path, limit):
    """Run a tool with a wall-clock bound; True when it finished within it."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            proc.wait(timeout=limit)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            return False


def hostile(base, role, cookies):
    out = OUT / f"hostile-{role}.json"
    limit = seconds("SCAN_HOSTILE_SECONDS", 90)
    command = [
        PY,
        str(ROOT / "scripts" / "scan" / "hostile.py"),
        base,
        role,
        json.dumps(cookies),
        str(out),
        json.dumps(EXCLUDED),
        str(limit),
    ]
    finished = run_bounded(command, OUT / f"hostile-{role}.log", limit + 120)
    return json.loads(out.read_text()) if finished and out.exists() else None


def wapiti(base, role, cookies):
    limit = seconds("SCAN_WAPITI_SECONDS", 60)
    command = [
        str(SCAN_VENV / "wapiti"),
        "-u",
        base + "/",
        "--scope",
        "folder",
        "-m",
        WAPITI_MODULES,
        "-d",
        "4",
        "--max-links-per-page",
        "40",
        "--max-files-per-dir",
        "25",
        "--max-parameters",
        "40",
        "--max-scan-time",
        str(limit),
        "--max-attack-time",
        str(max(5, limit / 12)),
        "--skip",
        "csrfmiddlewaretoken",
        "-t",
        "30",
        "--tasks",
        "4",
        "--flush-session",
        "--store-session",
        str(STATE / "wapiti" / role),
        "--store-config",
        str(STATE / "wapiti" / role),
        "-f",
        "json",
        "-o",
        str(OUT / f"wapiti-{role}.json"),
        "--no-bugreport",
        "-v",
        "1",
    ]
    for path in EXCLUDED:
        command += ["-x", base + path + "*"]
    if cookies:
        command += ["-C", cookie_header(cookies)]
    finished = run_bounded(command, OUT / f"wapiti-{role}.log", limit + 180)
    return finished


def sqlmap(base, role, cookies, targets):
    limit = seconds("SCAN_SQLMAP_SECONDS", 60)
    urls = [base + p for p in targets["get"] + targets["forms"]]
    if not urls:
        return True
    target_file = STATE / f"sqlmap-targets-{role}.txt"
    target_file.write_text("\n".join(urls) + "\n")
    command = [
        str(SCAN_VENV / "sqlmap"),
        "-m",
        str(target_file),
        "--forms",
        "--batch",
        "--level",
        "1",
        "--risk",
        "1",
        "--dbms",
        "PostgreSQL",
        "--technique",
        "BEU",
        "--csrf-token",
        "csrfmiddlewaretoken",
        "--skip",
        "csrfmiddlewaretoken",
        "--timeout",
        "30",
        "--retries",
        "0",
        "--disable-coloring",
        "--output-dir",
        str(STATE / "sqlmap" / role),
        "--results-file",
        str(OUT / f"sqlmap-{role}.csv"),
    ]
    # sqlmap tests every form on a target page: --scope keeps it off the excluded URLs (logout).
    excluded = "|".join(re.escape(path.lstrip("/")) for path in EXCLUDED)
    command += ["--scope", rf"^{re.escape(base)}/(?!{excluded})"]
    if cookies:
        command += ["--cookie", cookie_header(cookies)]
    return run_bounded(command, OUT / f"sqlmap-{role}.log", limit)


def main():
    started = time.monotonic()
    if not (SCAN_VENV / "wapiti").exists() or not (SCAN_VENV / "sqlmap").exists():
        raise SystemExit("scan: .venv-scan is missing wapiti/sqlmap: run `make scan`")
    roles = [r for r in os.environ.get("SCAN_ROLES", "").split(",") if r] or list(ROLES)
    parallel = int(os.environ.get("SCAN_PARALLEL", "2"))
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    shutil.rmtree(STATE / "wapiti", ignore_errors=True)
    shutil.rmtree(STATE / "sqlmap", ignore_errors=True)
    (STATE / "private").mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = stack_env(port)
    say(
        f"fresh database {urllib.parse.urlparse(env['DATABASE_URL']).path.lstrip('/')},"
        f" Redis {env['REDIS_URL']}"
    )
    fresh_database(env["DATABASE_URL"])
    flush_redis(env["REDIS_URL"])
    password = "scan-" + secrets.token_urlsafe(16)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo", "--password", password)
    accounts = prepare_accounts(env)
    say(f"starting the stack on 127.0.0.1:{port}")
    proc, base = start_stack(env, port)
    timings, complete = {}, {}
    try:
        sessions = {}
        for role in roles:
            email = ROLES[role]
            if email is None:
                sessions[role] = [{}] * SESSIONS_PER_ROLE
                continue
            key, codes = accounts[email]
            sessions[role] = [
                login(base, email, password, totp(key) if i == 0 else codes[i])
                for i in range(SESSIONS_PER_ROLE)
            ]
        say(f"logged in: {', '.join(r for r in roles if ROLES[r])} ({SESSIONS_PER_ROLE} sessions each)")
        t0 = time.monotonic()
        results = {}
        with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
            futures = {pool.submit(hostile, base, role, sessions[role][0]): role for role in roles}
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
                complete[f"hostile/{futures[future]}"] = results[futures[future]] is not None
                say(f"hostile checks done: {futures[future]}")
        timings["hostile"] = round(time.monotonic() - t0)
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
            futures = {pool.submit(wapiti, base, role, sessions[role][1]): role for role in roles}
            for future in concurrent.futures.as_completed(futures):
                complete[f"wapiti/{futures[future]}"] = future.result()
                say(f"wapiti done: {futures[future]}")
        timings["wapiti"] = round(time.monotonic() - t0)
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
            futures = {
                pool.submit(
                    sqlmap,
                    base,
                    role,
                    sessions[role][2],
                    (results.get(role) or {}).get("targets", {"get": [], "forms": []}),
                ): role
                for role in roles
            }
            for future in concurrent.futures.as_completed(futures):
                complete[f"sqlmap/{futures[future]}"] = future.result()
                say(f"sqlmap done: {futures[future]}")
        timings["sqlmap"] = round(time.monotonic() - t0)
    finally:
        stop_stack(proc)
    total = round(time.monotonic() - started)
    meta = {
        "run time": f"{total // 60} min {total % 60} s",
        "phases (s)": ", ".join(f"{k} {v}" for k, v in timings.items()),
        "roles": ", ".join(roles),
        "stopped by its time bound": ", ".join(k for k, v in complete.items() if not v) or "none",
    }
    gate = subprocess.run(
        [PY, str(ROOT / "scripts" / "scan" / "gate.py"), str(OUT), json.dumps(meta)], cwd=ROOT
    )
    say(f"report: {OUT / 'report.md'} ({total} s)")
    return gate.returncode


if __name__ == "__main__":
    sys.exit(main())

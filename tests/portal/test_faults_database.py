"""Fault injection: the database goes away under a running production web server (gunicorn).

Two ways, neither touching the PostgreSQL server other tests use: a throwaway PostgreSQL cluster
of the test's own is stopped and started again; and, to cut a submission off in the middle of its
transaction, gunicorn reaches the test database through a TCP proxy of the test's own
(tests/helpers/tcp_proxy.py) that the test cuts. While the database is away pages answer the
Dutch 503 page with Retry-After (no stack trace) and /healthz answers 503 naming the database; a
submission cut off in the middle left nothing behind; once the database is back the site answers
again without a restart (ADR 0132).
"""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest.mock import ANY

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from referrals.models import ReferenceCounter, Referral, ReferralEvent, Status
from scripts.services import find_pg_bin, postgres_runner
from tests.helpers.tcp_proxy import TcpProxy
from tests.referrals.factories import referral_in

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _conninfo(port=None):
    sd = connection.settings_dict
    password = f":{sd['PASSWORD']}" if sd.get("PASSWORD") else ""
    host = sd["HOST"] or "127.0.0.1"
    return f"postgres://{sd['USER']}{password}@{host}:{port or sd['PORT'] or 5432}/{sd['NAME']}"


class Http:
    """urllib with the session cookie of a user logged in by the test."""

    def __init__(self, base, cookies):
        self.base = base
        self.cookies = dict(cookies)

    def request(self, path, data=None):
        body = "&".join(f"{k}={v}" for k, v in data.items()).encode() if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            headers["Referer"] = self.base + path
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read().decode("utf-8", errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def proxy():
    sd = connection.settings_dict
    tcp = TcpProxy(sd["HOST"] or "127.0.0.1", int(sd["PORT"] or 5432))
    yield tcp
    tcp.close()


@contextlib.contextmanager
def gunicorn(database_url, tmp_path):
    """gunicorn (portal/gunicorn_conf.py, two workers) on a free port against `database_url`."""
    port = _free_port()
    log = tmp_path / f"gunicorn-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings_test",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",  # the production default: persistent connections must recover
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        DJANGO_LOG_FORMAT="plain",
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:portal.gunicorn_conf",
                "portal.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310
                break
            except (urllib.error.HTTPError, OSError):
                time.sleep(0.3)
        else:
            raise AssertionError("gunicorn did not start:\n" + log.read_text(errors="replace")[-3000:])
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=10)


@pytest.fixture
def web(proxy, tmp_path):
    with gunicorn(_conninfo(proxy.port), tmp_path) as served:
        yield served


def _logged_in(base, user):
    client = Client()
    client.force_login(user)
    return Http(base, {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})


def _csrf(http, path):
    status, _headers, html = http.request(path)
    assert status == 200, status
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _waiting_for_lock(conninfo):
    with psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%referrals_referralevent%%'"
        ).fetchone()
        return row[0]


def _counts(referral):
    referral.refresh_from_db()
    return (
        referral.status,
        referral.reference,
        ReferralEvent.objects.filter(referral=referral).count(),
        list(ReferenceCounter.objects.values_list("year", "last")),
        Referral.objects.count(),
    )


def test_the_database_going_away_is_a_503_and_the_site_recovers_by_itself(world, proxy, web):
    base, log = web
    referral = referral_in(world, "draft")
    http = _logged_in(base, world.user("school_coordinator"))
    edit = reverse("referrals:edit", args=[referral.uuid])
    submit = reverse("referrals:submit", args=[referral.uuid])
    assert Http(base, {}).request("/healthz")[0] == 200
    token = _csrf(http, edit)
    before = _counts(referral)

    # A submission is halfway through its transaction (it waits for a lock on the event table)
    # when the database goes away.
    direct = _conninfo()
    locker = psycopg.connect(direct)
    locker.execute("LOCK TABLE referrals_referralevent IN ACCESS EXCLUSIVE MODE")
    outcome = {}
    submitting = threading.Thread(
        target=lambda: outcome.update(result=http.request(submit, {"csrfmiddlewaretoken": token}))
    )
    try:
        submitting.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _waiting_for_lock(direct):
            time.sleep(0.1)
        assert _waiting_for_lock(direct) == 1, "the submission did not reach the event table"
        proxy.down()
        submitting.join(timeout=30)
    finally:
        locker.rollback()
        locker.close()
    assert not submitting.is_alive()
    status, headers, html = outcome["result"]
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Tandem is tijdelijk niet beschikbaar" in html and "niets opgeslagen" in html
    assert "Traceback" not in html and "OperationalError" not in html

    # While it is away: every page is the 503 page, the health check says the database is down.
    for path in (edit, "/", reverse("referrals:inbox")):
        status, headers, html = http.request(path)
        assert status == 503, (path, status)
        assert "tijdelijk niet beschikbaar" in html and "Traceback" not in html
        assert headers["Retry-After"] == "30"
    probe = Http(base, {})  # a load balancer's probe: no session
    status, _headers, body = probe.request("/healthz")
    assert status == 503
    assert json.loads(body) == {"status": "error", "database": "unavailable", "broker": ANY}
    assert proxy.refused > 0  # the app really tried to reach the database

    # Nothing of the cut-off submission was kept: all or nothing.
    assert _counts(referral) == before
    assert before[0] == Status.DRAFT and before[1] in ("", None)

    # The database is back: within a bounded number of tries the site answers again, with no
    # restart of gunicorn, and the first request that gets through succeeds completely.
    proxy.up()
    healthy = None
    for _attempt in range(50):
        status, _headers, _body = probe.request("/healthz")
        if status == 200:
            healthy = True
            break
        time.sleep(0.2)
    assert healthy, "the site did not recover"
    for _request in range(6):  # both gunicorn workers, each with its stale connection
        assert http.request(edit)[0] == 200
    token = _csrf(http, edit)
    status, headers, _html = http.request(submit, {"csrfmiddlewaretoken": token})
    assert status == 302, status
    after = _counts(referral)
    assert after[0] == Status.SUBMITTED and after[1]
    assert after[2] > before[2] and after[4] == before[4]


# --- A real PostgreSQL server of the test's own, stopped and started again -------------------


def _pg_bindir():
    bindir = find_pg_bin()
    assert bindir, "PostgreSQL's pg_ctl is missing: run `make test` (scripts/services.py installs it)"
    return bindir


@pytest.fixture
def own_postgres():
    """A throwaway PostgreSQL cluster on a free port (as the postgres user when run as root, as
    scripts/services.py starts one); yields (database url, start, stop). Always stopped and
    removed afterwards."""
    bindir = _pg_bindir()
    datadir = Path(tempfile.mkdtemp(prefix="tandem-faults-pg-"))
    run_as = postgres_runner(datadir)
    port = _free_port()
    pg_ctl = [*run_as, str(bindir / "pg_ctl"), "-D", str(datadir)]
    options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start():
        subprocess.run(
            [*pg_ctl, "-l", str(datadir / "server.log"), "-o", options, "-w", "-t", "60", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=90,
        )

    def stop(mode="fast"):
        subprocess.run(
            [*pg_ctl, "-m", mode, "-w", "-t", "60", "stop"], check=True, stdout=subprocess.DEVNULL, timeout=90
        )

    try:
        subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-locale", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip
        start()
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE tandem")
        yield f"postgres://postgres@127.0.0.1:{port}/tandem", start, stop
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=90)
        shutil.rmtree(datadir, ignore_errors=True)


def test_a_real_postgresql_restart_is_a_503_and_the_site_recovers_by_itself(own_postgres, tmp_path):
    database_url, start, stop = own_postgres
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings_test", DATABASE_URL=database_url)
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from contacts.models import User;"
        "User.objects.create_user(email='herstart@example.test', password='faults-restart-pw-42')"
    )
    subprocess.run(
        [sys.executable, "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )

    with gunicorn(database_url, tmp_path) as (base, _log):
        http = Http(base, {})
        login = reverse("login")
        token = _csrf(http, login)
        status, headers, _html = http.request(
            login,
            {
                "username": "herstart%40example.test",
                "password": "faults-restart-pw-42",
                "csrfmiddlewaretoken": token,
            },
        )
        assert status == 302, status
        for _request in range(4):  # both workers hold a persistent connection
            assert http.request("/")[0] == 200

        stop("fast")  # PostgreSQL goes down: its connections are closed
        probe = Http(base, {})
        for _request in range(4):
            status, headers, html = http.request("/")
            assert status == 503
            assert headers["Retry-After"] == "30"
            assert "Tandem is tijdelijk niet beschikbaar" in html and "Traceback" not in html
        status, _headers, body = probe.request("/healthz")
        assert status == 503
        assert json.loads(body)["database"] == "unavailable"

        start()
        recovered = False
        for _attempt in range(50):  # bounded: a few seconds at most
            if probe.request("/healthz")[0] == 200:
                recovered = True
                break
            time.sleep(0.2)
        assert recovered, "the site did not recover after PostgreSQL came back"
        results = [http.request("/")[0] for _request in range(6)]
        assert results == [200] * 6

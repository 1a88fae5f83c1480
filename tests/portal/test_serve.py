"""`scripts/serve.py` (what `make serve` runs) serves the portal
in production mode against PostgreSQL and Redis, a seeded account logs in over HTTP, the
separate Celery worker process runs a task, logs are JSON lines with the request id, and
Ctrl-C (SIGINT) stops gunicorn, the worker and beat.

Runs in the normal suite (~30-60 s): a fresh database on the test PostgreSQL server, a
throwaway Redis and the web server on free ports, every process stopped afterwards.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django_otp.oath import TOTP

from tests.portal.ops_support import (
    ROOT,
    create_database,
    database_url,
    drop_database,
    manage,
    new_database_name,
)

pytestmark = pytest.mark.serve

PASSWORD = "serve-test-horse-battery"
# A steering-group member: the role that generates progress reports. Every role uses two-step
# verification (ADR 0136): the test gives the account an authenticator with a known key.
EMAIL = "begeleidingsgroep@demo.tandem.test"
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex, the RFC 6238 test key
ADD_DEVICE = (
    "from django_otp.plugins.otp_totp.models import TOTPDevice;"
    "from contacts.models import User;"
    "from security.services import TOTP_DEVICE_NAME;"
    f"TOTPDevice.objects.create(user=User.objects.get(email='{EMAIL}'), name=TOTP_DEVICE_NAME,"
    f" confirmed=True, key='{TOTP_KEY}')"
)


def totp_now():
    generator = TOTP(bytes.fromhex(TOTP_KEY), step=30, t0=0, digits=6)
    generator.time = time.time()
    return f"{generator.token():06d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.3)
    output = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"{what} did not happen within {timeout} s\n{output}")


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: run `make test` (scripts/services.py installs it)"
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    wait_for(client.ping, 10, "redis start")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def database():
    name = new_database_name("serve")
    create_database(name)
    yield database_url(name)
    drop_database(name)


class Browser:
    """A tiny HTTP client with cookies (urllib only)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        return response, response.read().decode("utf-8", errors="replace")

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def child_pids(log_text):
    return {name: int(pid) for name, pid in re.findall(r"serve: started (\w+) pid=(\d+)", log_text)}


def group_alive(pgid) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_serve_runs_web_worker_and_beat_and_stops_on_ctrl_c(tmp_path, database, redis_url):
    import redis
    from celery import Celery

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    state = tmp_path / "state"
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TANDEM_", "GUNICORN_"))}
    env.update(
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        TANDEM_PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        TANDEM_HEARTBEAT_SECONDS="2",
    )
    command = [
        sys.executable,
        str(ROOT / "scripts" / "serve.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--web-workers",
        "2",
        "--worker-concurrency",
        "1",
        "--state-dir",
        str(state),
    ]
    with open(log, "wb") as out:
        serve = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    children = {}
    try:
        # Migrations are done once serve starts its processes: seed while they boot.
        wait_for(lambda: "serve: started beat" in log.read_text(), 90, "serve starting", proc=serve, log=log)
        key = (state / "secret_key").read_text().strip()
        assert len(key) >= 50 and oct((state / "secret_key").stat().st_mode)[-3:] == "600"
        seed_env = dict(
            env, DJANGO_SECRET_KEY=key, DJANGO_DEBUG="false", DJANGO_SETTINGS_MODULE="portal.settings"
        )
        manage("seed_demo", "--password", PASSWORD, env=seed_env)
        manage("shell", "-c", ADD_DEVICE, env=seed_env)

        # Production mode: /healthz sees the database and Redis.
        def healthy():
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                return json.loads(response.read()) == {"status": "ok", "database": "ok", "broker": "ok"}

        wait_for(healthy, 60, "serve answering /healthz", proc=serve, log=log)
        children = child_pids(log.read_text())
        assert set(children) == {"web", "worker", "beat"}

        # A seeded account logs in over plain HTTP with the CSRF token.
        browser = Browser(base)
        response, page = browser.request("/account/inloggen/", headers={"X-Request-ID": "serve-login-page"})
        assert response.status == 200 and response.headers["X-Request-ID"] == "serve-login-page"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, home = browser.request(
            "/account/inloggen/",
            data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"X-Request-ID": "serve-login-post"},
        )
        # The password leads to the code (two-step verification, ADR 0040, 0136).
        assert response.status == 200 and "/account/tweestapsverificatie/controleren/" in response.geturl()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
        response, home = browser.request(
            urllib.parse.urlsplit(response.geturl()).path + "?next=/",
            data={"otp_token": totp_now(), "next": "/", "csrfmiddlewaretoken": token},
        )
        assert response.status == 200 and response.geturl() == f"{base}/", home[:500]
        assert browser.cookie("sessionid")  # plain-HTTP cookies (DJANGO_SECURE_COOKIES=false)
        assert "utrecht-heading-1" in home and "Welkom" in home

        # Static files: hashed names from the manifest, served by whitenoise with a long cache.
        css = re.search(r'href="(/static/vendor/utrecht/index\.[0-9a-f]{12}\.css)"', page)
        assert css, page[:1000]
        response, _ = browser.request(css.group(1))
        assert response.status == 200 and "max-age=315360000" in response.headers["Cache-Control"]

        # The separate worker process runs a task sent to the broker.
        token = uuid.uuid4().hex
        sender = Celery("serve-test", broker=redis_url)
        sender.send_task("portal.heartbeat", args=[token])
        client = redis.Redis.from_url(redis_url)
        wait_for(
            lambda: any(client.scan_iter(match=f"*heartbeat:{token}")),
            30,
            "the worker running portal.heartbeat",
            log=log,
        )
        sender.close()

        # A progress report requested in the browser is generated by the separate worker.
        response, page = browser.request("/rapportage/rapporten/")
        assert response.status == 200, page[:500]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        period = re.search(r'<select name="period"[^>]*>\s*<option value="([^"]+)"', page).group(1)
        scope = re.search(r'<option value="(r-\d+)"', page).group(1)
        response, page = browser.request(
            "/rapportage/rapporten/aanvragen/",
            data={"period": period, "scope": scope, "csrfmiddlewaretoken": csrf},
        )
        assert response.status == 200 and "/rapportage/rapporten/" in response.geturl(), page[:1000]
        detail = urllib.parse.urlparse(response.geturl()).path
        wait_for(
            lambda: 'href="' + detail + 'download/"' in browser.request(detail)[1],
            90,
            "the worker generating the progress report",
            log=log,
        )
        response = browser.opener.open(base + detail + "download/", timeout=30)
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"

        # Beat queues its heartbeat and the worker runs it (the operators' beat check).
        wait_for(lambda: client.exists(":1:heartbeat:beat"), 30, "beat's heartbeat", log=log)

        # The operators' health checks agree.
        for mode in ("web", "worker", "beat"):
            check = subprocess.run(
                [sys.executable, "scripts/healthcheck.py", mode],
                cwd=ROOT,
                env=dict(seed_env, GUNICORN_BIND=f"127.0.0.1:{port}", DJANGO_ALLOWED_HOSTS="localhost"),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert check.returncode == 0, (mode, check.stdout, check.stderr)
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGINT)
        try:
            status = serve.wait(timeout=45)
        except subprocess.TimeoutExpired:
            status = None
        children = children or child_pids(log.read_text())
        leftovers = [name for name, pid in children.items() if group_alive(pid)]
        for pid in [serve.pid, *children.values()]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        serve.wait(timeout=10)

    text = log.read_text(errors="replace")
    assert status == 0, text[-4000:]
    assert not leftovers, f"still running after Ctrl-C: {leftovers}"
    for name in ("web", "worker", "beat"):
        assert f"serve: {name} stopped" in text

    # Logs: JSON lines with the request id; the user id, never the e-mail address.
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = {
        (line["request_id"], line["method"]): line for line in lines if line["logger"] == "portal.request"
    }
    assert requests["serve-login-page", "GET"]["status"] == 200
    assert requests["serve-login-post", "POST"]["status"] == 302
    home_lines = [line for line in lines if line["logger"] == "portal.request" and line["path"] == "/"]
    assert home_lines and isinstance(home_lines[0]["user_id"], int)
    assert EMAIL not in text
    # The task ran in the worker (not in the web process) and beat started.
    assert re.search(r"Task portal\.heartbeat\[[0-9a-f-]+\] succeeded", text)
    assert any(line["logger"] == "celery.beat" and "Starting" in line["message"] for line in lines)
    assert list(state.glob("celerybeat-schedule*"))

#!/usr/bin/env python3
"""`make serve`: Tandem's production stack on this machine, without Docker (ADR 0030).

Runs collectstatic and migrate, then supervises three processes:
  gunicorn -c python:portal.gunicorn_conf portal.wsgi:application   (web)
  celery -A portal worker                                            (tasks)
  celery -A portal beat -s STATE/celerybeat-schedule                 (schedule)
Ctrl-C (SIGINT) or SIGTERM stops all three gracefully (SIGTERM to each, SIGKILL after a grace
period); if one of them dies, the others are stopped and serve exits non-zero.

Configuration comes from the environment and `.env` (see README "Configuration"), with
defaults for plain HTTP on localhost:
- DJANGO_DEBUG is always false here;
- DJANGO_SECRET_KEY: when unset, a random key is generated once and kept in STATE/secret_key;
- DJANGO_SECURE_SSL_REDIRECT=false, DJANGO_SECURE_COOKIES=false, DJANGO_HSTS_SECONDS=0 unless
  set: there is no TLS on http://127.0.0.1. Behind a TLS proxy set them to true / 31536000;
- DJANGO_ALLOWED_HOSTS: 127.0.0.1, localhost and the bind host unless set;
- DATABASE_URL / REDIS_URL: when unset, `scripts/services.py up` finds the local servers
  (or starts throwaway ones, whose data is discarded when serve stops);
  a missing database is created.

`serve.py --print-env` prints the same environment as shell `export` lines (used by
`make backup` and `make restore`).
"""

import argparse
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
STOP_GRACE_SECONDS = 30
# The servers scripts/services.py looks for first (the same defaults as `make test`).
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tandem"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def say(msg):
    print(f"serve: {msg}", file=sys.stderr, flush=True)


def read_dotenv():
    path = ROOT / ".env"
    if not path.exists():
        return
    try:
        import environ
    except ImportError:
        return
    environ.Env.read_env(path, overwrite=False)


def secret_key(state_dir: Path) -> str:
    path = state_dir / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if len(key) >= 50:
            return key
    state_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    say(f"generated a secret key in {path} (kept for the next start; set DJANGO_SECRET_KEY to override)")
    return key


def find_services(env: dict) -> bool:
    """Fill DATABASE_URL / REDIS_URL from scripts/services.py; True if it started instances."""
    state_file = ROOT / "var" / "services" / "started.json"
    before = state_file.read_text() if state_file.exists() else "{}"
    result = subprocess.run(
        [PY, str(ROOT / "scripts" / "services.py"), "up"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        sys.exit(result.returncode)
    for line in result.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name in ("DATABASE_URL", "REDIS_URL") and not os.environ.get(name):
            env[name] = value.strip("'")
    after = state_file.read_text() if state_file.exists() else "{}"
    if after != before and after != "{}":
        say(
            "WARNING: started throwaway PostgreSQL/Redis instances; their data is discarded when serve stops."
        )
        say("Set DATABASE_URL and REDIS_URL (or .env) to use persistent servers.")
        return True
    return False


def ensure_database(url: str):
    """Create the database named in DATABASE_URL when the server does not have it yet."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = unquote(parsed.path.lstrip("/")) or "postgres"
    params = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "connect_timeout": 5,
    }
    try:
        psycopg.connect(dbname=name, **params).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            sys.exit(
                f"serve: ERROR: cannot connect to PostgreSQL at {params['host']}:{params['port']}: {exc}"
            )
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    say(f"created database {name!r}")


def production_env(args) -> tuple[dict, bool]:
    read_dotenv()
    env = dict(os.environ)
    state_dir = Path(args.state_dir).resolve()
    host = args.bind.rsplit(":", 1)[0].strip("[]")
    env["DJANGO_DEBUG"] = "false"
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    if not env.get("DJANGO_SECRET_KEY"):
        env["DJANGO_SECRET_KEY"] = secret_key(state_dir)
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    env.setdefault("DJANGO_SECURE_COOKIES", "false")
    env.setdefault("DJANGO_HSTS_SECONDS", "0")
    any_address = host in ("0.0.0.0", "::", "")  # noqa: S104 - compared, not bound
    hosts = ["127.0.0.1", "localhost"] + ([] if any_address or host in ("127.0.0.1", "localhost") else [host])
    env.setdefault("DJANGO_ALLOWED_HOSTS", ",".join(hosts))
    port = args.bind.rsplit(":", 1)[1]
    env.setdefault("TANDEM_SITE_URL", f"http://{'127.0.0.1' if any_address else host}:{port}")
    env.setdefault("DJANGO_LOG_FORMAT", "json")
    env["GUNICORN_BIND"] = args.bind
    if not args.print_env and not env.get("PROMETHEUS_MULTIPROC_DIR"):
        # /metrics counts every gunicorn worker (and the Celery worker's own timings): one
        # directory, emptied at each start (portal/metrics.py, ADR 0102).
        metrics_dir = state_dir / "prometheus"
        metrics_dir.mkdir(parents=True, exist_ok=True)
        for stale in metrics_dir.glob("*.db"):
            stale.unlink()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    if args.web_workers:
        env["WEB_CONCURRENCY"] = str(args.web_workers)
    started = False
    if args.print_env:
        # For backup/restore: the same servers serve would use, but never start throwaway ones.
        env.setdefault("DATABASE_URL", DEFAULT_DB)
        env.setdefault("REDIS_URL", DEFAULT_REDIS)
    elif not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        started = find_services(env)
    return env, started


def manage(env, *command):
    say("manage.py " + " ".join(command))
    subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)


class Supervisor:
    def __init__(self, env):
        self.env = env
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False
        self.stopped = False

    def start(self, name, command):
        # A new session: the terminal's Ctrl-C reaches only us, and we stop the children in order.
        proc = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        self.children[name] = proc
        say(f"started {name} pid={proc.pid}: {' '.join(command[2:])}")

    def request_stop(self, signum, frame):
        if not self.stopping:
            say(f"received {signal.Signals(signum).name}, stopping ...")
        self.stopping = True

    def run(self) -> int:
        status = 0
        while not self.stopping:
            for name, proc in self.children.items():
                if proc.poll() is not None:
                    say(f"{name} exited with status {proc.returncode}; stopping the others")
                    status = 1
                    self.stopping = True
                    break
            else:
                time.sleep(0.3)
        self.stop()
        return status

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        for proc in self.children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, proc in self.children.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within {STOP_GRACE_SECONDS} s; killing it")
            # Kill whatever is left of the child's process group (e.g. orphaned workers).
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
            say(f"{name} stopped")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bind", default=os.environ.get("GUNICORN_BIND", "127.0.0.1:8000"), help="HOST:PORT")
    parser.add_argument("--web-workers", type=int, default=None, help="gunicorn workers (default CPU + 1)")
    parser.add_argument(
        "--worker-concurrency", type=int, default=None, help="Celery worker processes (default CPU count)"
    )
    parser.add_argument("--state-dir", default=str(ROOT / "var"), help="secret key and beat schedule (var/)")
    parser.add_argument("--print-env", action="store_true", help="print the environment as export lines")
    args = parser.parse_args(argv)

    env, started_services = production_env(args)
    if args.print_env:
        for name in (
            "DJANGO_DEBUG",
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
        ):
            print(f"export {name}={shlex.quote(env[name])}")
        return 0

    supervisor = Supervisor(env)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    state_dir = Path(args.state_dir).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    status = 1
    try:
        ensure_database(env["DATABASE_URL"])
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "migrate", "--no-input")
        if supervisor.stopping:
            return 130
        worker = [PY, "-m", "celery", "-A", "portal", "worker", "-l", "INFO"]
        if args.worker_concurrency:
            worker += ["--concurrency", str(args.worker_concurrency)]
        supervisor.start(
            "web", [PY, "-m", "gunicorn", "-c", "python:portal.gunicorn_conf", "portal.wsgi:application"]
        )
        supervisor.start("worker", worker)
        supervisor.start(
            "beat",
            [
                PY,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(state_dir / "celerybeat-schedule"),
            ],
        )
        say(f"serving http://{args.bind}/ (Ctrl-C stops web, worker and beat)")
        status = supervisor.run()
    except subprocess.CalledProcessError as exc:
        say(f"{' '.join(exc.cmd[1:])} failed with status {exc.returncode}")
    finally:
        supervisor.stop()
        if started_services:
            subprocess.run([PY, str(ROOT / "scripts" / "services.py"), "down"], env=env, check=False)
    say("stopped")
    return status


if __name__ == "__main__":
    sys.exit(main())

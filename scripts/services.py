#!/usr/bin/env python3
"""Make sure PostgreSQL and Redis are reachable for the test suite.

`services.py up` prints shell `export` lines for DATABASE_URL and REDIS_URL:
- the running servers (DATABASE_URL / REDIS_URL from the environment, or the defaults
  postgres://postgres@127.0.0.1:5432/tandem and redis://127.0.0.1:6379/0) when they answer;
- otherwise throwaway instances started from the installed binaries (installed with
  apt-get when we are root and they are missing) on ports 55432 / 56379 in var/services;
- otherwise it exits non-zero and says what to install.
`services.py down` stops the instances that `up` started.
Messages go to stderr; only the export lines go to stdout.
"""

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "services" / "started.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tandem"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
PG_PORT = 55432
REDIS_PORT = 56379


def say(msg):
    print(f"services: {msg}", file=sys.stderr)


def port_open(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_ping(host, port):
    try:
        with socket.create_connection((host, port), timeout=1.0) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def pg_ready(url):
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
    if not port_open(host, port):
        return False
    try:
        import psycopg
    except ImportError:
        return True  # the port answers; pytest will report a real connection problem
    try:
        with psycopg.connect(
            host=host,
            port=port,
            user=parsed.username or "postgres",
            password=parsed.password or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return True
    except Exception as exc:  # noqa: BLE001
        say(f"PostgreSQL at {host}:{port} refused the connection: {exc}")
        return False


def apt_install(*packages):
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    say(f"installing {' '.join(packages)} with apt-get ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages], env=env, check=False, stdout=subprocess.DEVNULL
    )
    return result.returncode == 0


def find_pg_bin():
    for name in ("initdb", "pg_ctl"):
        if not shutil.which(name):
            break
    else:
        return Path(shutil.which("initdb")).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def postgres_runner(datadir):
    """The command prefix that runs initdb/pg_ctl on `datadir`: as the postgres user when we are
    root (initdb refuses to run as root; the user is created when missing), else nothing."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    shutil.chown(datadir, "postgres")
    return ["runuser", "-u", "postgres", "--"]


def load_state():
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state):
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state))


def start_postgres(state):
    bindir = find_pg_bin()
    if bindir is None and apt_install("postgresql"):
        bindir = find_pg_bin()
    if bindir is None:
        sys.exit(
            "services: ERROR: PostgreSQL is not reachable and no PostgreSQL binaries were found.\n"
            "Install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL to a "
            "running server, then run make test again."
        )
    datadir = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
    run_as = postgres_runner(datadir)
    say(f"starting a throwaway PostgreSQL from {bindir} on port {PG_PORT} ...")
    subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *run_as,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(datadir / "server.log"),
            "-o",
            f"-p {PG_PORT} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    state["postgres"] = {"datadir": str(datadir), "bindir": str(bindir), "run_as": run_as}
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/tandem"


def start_redis(state):
    binary = shutil.which("redis-server")
    if binary is None and apt_install("redis-server"):
        binary = shutil.which("redis-server")
    if binary is None:
        sys.exit(
            "services: ERROR: Redis is not reachable and redis-server is not installed.\n"
            "Install Redis (Debian: apt-get install redis-server) or set REDIS_URL to a running "
            "server, then run make test again."
        )
    workdir = Path(tempfile.mkdtemp(prefix="tandem-redis-"))
    say(f"starting a throwaway Redis on port {REDIS_PORT} ...")
    subprocess.run(
        [
            binary,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(workdir),
            "--pidfile",
            str(workdir / "redis.pid"),
            "--logfile",
            str(workdir / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if redis_ping("127.0.0.1", REDIS_PORT):
            break
        time.sleep(0.1)
    state["redis"] = {"pidfile": str(workdir / "redis.pid")}
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def up():
    state = load_state()
    db_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not pg_ready(db_url):
        fallback = f"postgres://postgres@127.0.0.1:{PG_PORT}/tandem"
        if "postgres" in state and pg_ready(fallback):
            db_url = fallback
        else:
            say(f"PostgreSQL not reachable at {urlparse(db_url).hostname}:{urlparse(db_url).port or 5432}")
            db_url = start_postgres(state)
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    parsed = urlparse(redis_url)
    if not redis_ping(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        if "redis" in state and redis_ping("127.0.0.1", REDIS_PORT):
            redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
        else:
            say(f"Redis not reachable at {parsed.hostname}:{parsed.port or 6379}")
            redis_url = start_redis(state)
    save_state(state)
    print(f"export DATABASE_URL='{db_url}'")
    print(f"export REDIS_URL='{redis_url}'")


def down():
    state = load_state()
    pg = state.pop("postgres", None)
    if pg:
        subprocess.run(
            [*pg["run_as"], str(Path(pg["bindir"]) / "pg_ctl"), "-D", pg["datadir"], "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(pg["datadir"], ignore_errors=True)
    rd = state.pop("redis", None)
    if rd and Path(rd["pidfile"]).exists():
        try:
            os.kill(int(Path(rd["pidfile"]).read_text().strip()), 15)
        except (OSError, ValueError):
            pass
    save_state(state)


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1] if len(sys.argv) > 1 else "up"]()

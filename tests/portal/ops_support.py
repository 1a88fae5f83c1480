"""Helpers for the operations tests: throwaway PostgreSQL databases and manage.py runs with
production settings (DJANGO_DEBUG=false), each in its own process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SECRET = "ops-test-" + "Zq81vXw3" * 7


def server_url() -> str:
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem")


def database_url(name: str) -> str:
    return urlunparse(urlparse(server_url())._replace(path=f"/{name}"))


def connect(name: str, **kwargs):
    parsed = urlparse(server_url())
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname=name,
        **kwargs,
    )


def new_database_name(prefix: str) -> str:
    return f"tandem_{prefix}_{uuid.uuid4().hex[:10]}"


def create_database(name: str):
    with connect("postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str):
    with connect("postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TANDEM_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_LOG_FORMAT="plain",
        REDIS_URL="",
    )
    env.update(overrides)
    return env


def manage(*args, env, timeout=180, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def row_counts(name: str) -> dict:
    with connect(name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[
                0
            ]
            for table in tables
        }


def sequence_values(name: str) -> dict:
    with connect(name) as conn:
        return dict(
            conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )

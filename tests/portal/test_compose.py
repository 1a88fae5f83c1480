"""docker-compose.yml and Dockerfile refer only to things that exist in the project.

There is no Docker engine on the development machine, so the compose file is never run here
(README says so). This test parses it and checks every command: module paths
(`portal.wsgi:application`, `-c python:portal.gunicorn_conf`, `celery -A portal worker`),
management commands, scripts and their modes, the files the Dockerfile copies, and the
volumes, health checks and env files the services need.
"""

import importlib
import importlib.util
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text()


def dockerfile_instructions(text):
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            result.append((instruction.upper(), rest.strip()))
    return result


def celery_subcommands():
    from celery.bin.celery import celery

    return set(celery.commands)


def healthcheck_modes():
    source = (ROOT / "scripts" / "healthcheck.py").read_text()
    body = re.search(r"checks = \{([^}]*)\}", source).group(1)
    return set(re.findall(r'"(\w+)":', body))


def split_shell(script):
    """`a && exec b; c` -> [[a...], [b...], [c...]] (no pipes or substitutions expected)."""
    assert "$(" not in script and "`" not in script and "|" not in script.replace("||", "")
    commands, current = [], []
    for token in shlex.split(script):
        if token in ("&&", "||", ";"):
            commands.append(current)
            current = []
        elif token.endswith(";"):
            current.append(token[:-1])
            commands.append(current)
            current = []
        else:
            current.append(token)
    commands.append(current)
    return [c[1:] if c and c[0] == "exec" else c for c in commands if c]


def check_command(tokens):
    """Assert that a container command refers to code that exists; return what it checked."""
    assert tokens, "empty command"
    program, args = tokens[0], tokens[1:]
    if program in ("sh", "bash") and args[:1] == ["-c"]:
        return [item for command in split_shell(args[1]) for item in check_command(command)]
    if program in ("python", "python3"):
        target = args[0]
        assert (ROOT / target).is_file(), f"{target} does not exist"
        if target == "manage.py":
            assert args[1] in get_commands(), f"manage.py {args[1]} is not a management command"
            return [f"manage.py {args[1]}"]
        if target == "scripts/healthcheck.py":
            mode = args[1] if len(args) > 1 else "web"
            assert mode in healthcheck_modes(), f"healthcheck.py has no mode {mode}"
        return [target]
    if program == "gunicorn":
        checked = []
        if "-c" in args:
            config = args[args.index("-c") + 1]
            if config.startswith("python:"):
                assert importlib.util.find_spec(config.removeprefix("python:")), config
            else:
                assert (ROOT / config).is_file(), config
            checked.append(config)
        [app] = [a for a in args if ":" in a and not a.startswith(("python:", "-"))]
        module, attribute = app.split(":")
        assert hasattr(importlib.import_module(module), attribute), f"{app} does not exist"
        return [*checked, app]
    if program == "celery":
        assert args[0] == "-A", "celery commands name the app with -A"
        app_module = importlib.import_module(args[1])
        assert hasattr(app_module, "celery_app") or hasattr(
            importlib.import_module(f"{args[1]}.celery"), "app"
        )
        assert args[2] in celery_subcommands(), f"celery has no subcommand {args[2]}"
        return [f"celery -A {args[1]} {args[2]}"]
    raise AssertionError(f"unknown program in a Tandem container: {program}")


def test_the_services_are_there(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_app_service_command_refers_to_existing_code(compose, service):
    config = compose["services"][service]
    assert config["build"] == "." and (ROOT / config["build"] / "Dockerfile").is_file()
    checked = check_command(config["command"])
    expected = {
        "web": ["manage.py migrate", "python:portal.gunicorn_conf", "portal.wsgi:application"],
        "worker": ["celery -A portal worker"],
        "beat": ["celery -A portal beat"],
    }[service]
    assert checked == expected


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_app_service_has_a_health_check_and_the_env_file(compose, service):
    config = compose["services"][service]
    assert config["env_file"] == ".env"
    test = config["healthcheck"]["test"]
    assert test[0] == "CMD"
    check_command(test[1:])
    assert test[1:3] == ["python", "scripts/healthcheck.py"] and test[3] == service
    assert {"db", "redis"} <= set(config["depends_on"])


def test_web_health_check_calls_healthz():
    assert reverse("healthz") == "/healthz"
    assert "/healthz" in (ROOT / "scripts" / "healthcheck.py").read_text()


def test_db_and_redis_have_health_checks_and_named_volumes(compose):
    db, redis = compose["services"]["db"], compose["services"]["redis"]
    assert db["image"] == "postgres:15"
    assert db["env_file"] == ".env"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert redis["image"].startswith("redis:")
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert "postgres-data:/var/lib/postgresql/data" in db["volumes"]
    assert {"postgres-data", "private-media"} <= set(compose["volumes"])


def test_private_media_is_a_named_volume_where_the_image_keeps_it(compose, dockerfile):
    media_root = re.search(r"TANDEM_PRIVATE_MEDIA_ROOT=(\S+)", dockerfile).group(1)
    for service in ("web", "worker"):
        assert f"private-media:{media_root}" in compose["services"][service]["volumes"]


def test_env_example_has_what_compose_needs():
    keys = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "DATABASE_URL", "REDIS_URL"} <= keys
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "TANDEM_PRIVATE_MEDIA_ROOT"} <= keys


def test_dockerfile_builds_from_what_exists(dockerfile):
    instructions = dockerfile_instructions(dockerfile)
    froms = [args for name, args in instructions if name == "FROM"]
    assert froms[-1] == "python:3.11-slim-bookworm"
    # A supported Node LTS and a named Debian release, never a floating tag (ADR 0100).
    assert any(re.fullmatch(r"node:(22|24)-bookworm-slim", f.split()[0]) for f in froms)
    for name, args in instructions:
        if name == "COPY" and "--from=" not in args:
            sources = [a for a in shlex.split(args) if not a.startswith("--")][:-1]
            for source in sources:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    runs = " ".join(args for name, args in instructions if name == "RUN")
    assert "npm ci" in runs and "collectstatic" in runs and "compilemessages" in runs
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "postgresql-client"):
        assert package in runs
    [user] = [args for name, args in instructions if name == "USER"]
    assert user not in ("root", "0")
    [cmd] = [args for name, args in instructions if name == "CMD"]
    assert check_command(json.loads(cmd)) == ["python:portal.gunicorn_conf", "portal.wsgi:application"]


def test_dockerfile_copies_the_same_front_end_assets_as_make(dockerfile):
    makefile = (ROOT / "Makefile").read_text()
    sources = re.findall(r"cp (node_modules/\S+)", makefile)
    assert sources
    for source in sources:
        assert source in dockerfile, f"make assets copies {source}; the Dockerfile does not"


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", "var", ".venv", "node_modules", "backups", ".git"} <= ignored

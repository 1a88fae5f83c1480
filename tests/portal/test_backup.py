"""`manage.py backup` / `restore` (make backup / make restore) round trip on PostgreSQL:
a database seeded with seed_demo plus private media files go into one archive and come back
identical in a fresh database and media root (row counts of every table, sequences, file
checksums). Restore refuses a non-empty database or media root and a tampered archive."""

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

from portal.backup import BackupError, find_pg_tool
from tests.portal.ops_support import (
    create_database,
    database_url,
    drop_database,
    manage,
    new_database_name,
    production_env,
    row_counts,
    sequence_values,
)

FILES = {
    "referrals/2026/04/opp-0001.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "referrals/2026/04/ontwikkelingsperspectief \u00e9\u00e9n.docx": b"PK\x03\x04" + b"\x00" * 500,
    "reports/2026-H1/voortgang.pdf": b"%PDF-1.7 report",
}


def checksums(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A migrated, seeded database with media files, and one backup archive of both."""
    base = tmp_path_factory.mktemp("backup")
    name = new_database_name("bk_src")
    media = base / "media-src"
    for relative, content in FILES.items():
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(content)
    env = production_env(DATABASE_URL=database_url(name), TANDEM_PRIVATE_MEDIA_ROOT=str(media))
    create_database(name)
    try:
        manage("migrate", "--no-input", env=env)
        manage("seed_demo", "--password", "correct-horse-battery", env=env)
        result = manage("backup", "--output-dir", str(base / "backups"), env=env)
        [archive] = (base / "backups").glob("tandem-*.tar.gz")
        assert str(archive) in result.stdout
        yield {"name": name, "media": media, "archive": archive, "base": base, "env": env}
    finally:
        drop_database(name)


@pytest.fixture
def target(tmp_path):
    name = new_database_name("bk_dst")
    create_database(name)
    media = tmp_path / "media-dst"
    env = production_env(DATABASE_URL=database_url(name), TANDEM_PRIVATE_MEDIA_ROOT=str(media))
    yield {"name": name, "media": media, "env": env}
    drop_database(name)


def test_archive_is_named_by_date_private_and_has_a_checksum_manifest(source):
    archive = source["archive"]
    assert archive.name.startswith("tandem-") and len(archive.name) == len("tandem-20260101-120000.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["database.dump", "manifest.json", "media.tar"]
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.dump").read()
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    assert manifest["checksums"]["database.dump"] == hashlib.sha256(dump).hexdigest()
    assert manifest["media_files"] == checksums(source["media"])
    assert manifest["postgresql_server_major"] >= 15
    # The manifest records the latest applied migration of each app (the leaf node on disk).
    from django.db.migrations.loader import MigrationLoader

    leaves = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert manifest["migrations"]["contacts"] == leaves["contacts"]
    assert manifest["migrations"]["referrals"] == leaves["referrals"]


def test_round_trip_restores_every_row_and_every_file(source, target):
    result = manage("restore", str(source["archive"]), env=target["env"])
    assert "Restored" in result.stdout
    before, after = row_counts(source["name"]), row_counts(target["name"])
    assert before == after
    assert before["contacts_user"] >= 9 and before["django_migrations"] > 0  # seed_demo ran
    assert sequence_values(source["name"]) == sequence_values(target["name"])
    assert checksums(target["media"]) == checksums(source["media"])
    assert set(checksums(target["media"])) == set(FILES)
    # The restored database works with the code: migrate has nothing to do, a password checks.
    assert "No migrations to apply" in manage("migrate", "--no-input", env=target["env"]).stdout
    check = manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "print(get_user_model().objects.get(email='ib@demo.tandem.test')"
        ".check_password('correct-horse-battery'))",
        env=target["env"],
    )
    assert check.stdout.strip().splitlines()[-1] == "True"


def test_restore_creates_a_missing_database(source, tmp_path):
    name = new_database_name("bk_new")
    env = production_env(DATABASE_URL=database_url(name), TANDEM_PRIVATE_MEDIA_ROOT=str(tmp_path / "m"))
    try:
        manage("restore", str(source["archive"]), env=env)
        assert row_counts(name) == row_counts(source["name"])
    finally:
        drop_database(name)


def test_restore_refuses_a_database_that_is_not_empty(source, tmp_path):
    counts = row_counts(source["name"])
    env = dict(source["env"], TANDEM_PRIVATE_MEDIA_ROOT=str(tmp_path / "empty-media"))
    result = manage("restore", str(source["archive"]), env=env, check=False)
    assert result.returncode != 0
    assert "is not empty" in result.stderr and "empty database" in result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(source["name"]) == counts
    assert not (tmp_path / "empty-media").exists()


def test_restore_refuses_a_media_root_with_files(source, target):
    target["media"].mkdir(parents=True)
    (target["media"] / "keep.txt").write_text("already here")
    result = manage("restore", str(source["archive"]), env=target["env"], check=False)
    assert result.returncode != 0 and "media root" in result.stderr
    assert row_counts(target["name"]) == {}
    assert checksums(target["media"]) == {"keep.txt": hashlib.sha256(b"already here").hexdigest()}


def _rewrite_archive(archive: Path, out: Path, replace: dict):
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = replace.get(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_restore_refuses_a_tampered_archive(source, target, tmp_path):
    with tarfile.open(source["archive"]) as tar:
        dump = tar.extractfile("database.dump").read()
    tampered = tmp_path / "tandem-tampered.tar.gz"
    _rewrite_archive(source["archive"], tampered, {"database.dump": dump[:-10] + b"0123456789"})
    result = manage("restore", str(tampered), env=target["env"], check=False)
    assert result.returncode != 0 and "checksum of database.dump" in result.stderr
    assert row_counts(target["name"]) == {}
    assert not target["media"].exists()


def test_restore_refuses_an_archive_with_paths_outside_the_media_root(source, target, tmp_path):
    evil_media = io.BytesIO()
    with tarfile.open(fileobj=evil_media, mode="w") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with tarfile.open(source["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    manifest["checksums"]["media.tar"] = hashlib.sha256(evil_media.getvalue()).hexdigest()
    manifest["media_files"] = {"../../escaped.txt": hashlib.sha256(b"evil").hexdigest()}
    evil = tmp_path / "tandem-evil.tar.gz"
    _rewrite_archive(
        source["archive"],
        evil,
        {"media.tar": evil_media.getvalue(), "manifest.json": json.dumps(manifest).encode()},
    )
    result = manage("restore", str(evil), env=target["env"], check=False)
    assert result.returncode != 0 and "unsafe entry" in result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(target["name"]) == {}  # checked before anything was restored
    assert not (target["media"].parent.parent / "escaped.txt").exists()
    assert not list(tmp_path.rglob("escaped.txt"))


def test_restore_says_which_archive_is_missing(target):
    result = manage("restore", "/nonexistent/tandem-20260101-000000.tar.gz", env=target["env"], check=False)
    assert result.returncode != 0 and "does not exist" in result.stderr


def test_backup_refuses_sqlite(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = manage("backup", "--output-dir", str(tmp_path), env=env, check=False)
    assert result.returncode != 0 and "need PostgreSQL" in result.stderr


def test_pg_dump_matching_the_server_is_chosen(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 99.1'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    real = find_pg_tool("pg_dump", 15)
    assert real != str(fake) and "15" in os.popen(f"{real} --version").read()  # noqa: S605
    assert find_pg_tool("pg_dump", 98) == str(fake)  # no exact match: the nearest newer one
    with pytest.raises(BackupError, match="postgresql-client-100"):
        find_pg_tool("pg_dump", 100)


def test_make_targets_use_the_commands():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "$(MANAGE) backup" in makefile
    assert '$(MANAGE) restore "$(ARCHIVE)"' in makefile
    assert shutil.which("pg_dump")


# --- Encrypted archives (ADR 0104) -------------------------------------------------------------
RECIPIENT = "tandem-backup@example.test"


def _gpg(home, *args, **kwargs):
    return subprocess.run(
        ["gpg", "--batch", "--no-tty", "--quiet", *args],
        env=dict(os.environ, GNUPGHOME=str(home)),
        check=True,
        capture_output=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def keyrings(tmp_path_factory):
    """`private`: the restore side's keyring with the key pair; `public`: the backup side's,
    holding only the public key, as on a production machine."""
    private, public = tmp_path_factory.mktemp("gpg-private"), tmp_path_factory.mktemp("gpg-public")
    for home in (private, public):
        os.chmod(home, 0o700)
    _gpg(
        private,
        "--passphrase",
        "",
        "--quick-gen-key",
        f"Tandem backup <{RECIPIENT}>",
        "future-default",
        "default",
        "never",
    )
    exported = _gpg(private, "--armor", "--export", RECIPIENT).stdout
    _gpg(public, "--import", input=exported)
    yield {"private": private, "public": public}
    for home in (private, public):
        subprocess.run(
            ["gpgconf", "--kill", "gpg-agent"], env=dict(os.environ, GNUPGHOME=str(home)), check=False
        )


@pytest.fixture(scope="module")
def encrypted(source, keyrings):
    out = source["base"] / "encrypted"
    env = dict(
        source["env"], TANDEM_BACKUP_GPG_RECIPIENTS=RECIPIENT, TANDEM_BACKUP_GNUPGHOME=str(keyrings["public"])
    )
    result = manage("backup", "--output-dir", str(out), env=env)
    [archive] = out.iterdir()
    return {"archive": archive, "stdout": result.stdout, "dir": out, "env": env}


def test_encrypted_backup_leaves_only_the_encrypted_archive(encrypted):
    archive = encrypted["archive"]
    assert archive.name.endswith(".tar.gz.gpg") and len(archive.name) == len(
        "tandem-20260101-120000.tar.gz.gpg"
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    data = archive.read_bytes()
    assert not data.startswith(b"\x1f\x8b") and b"manifest.json" not in data and b"PGDMP" not in data
    assert f"Encrypted with gpg to {RECIPIENT}" in encrypted["stdout"]
    assert [p.name for p in encrypted["dir"].iterdir()] == [archive.name]  # no plain copy left behind


def test_encrypted_round_trip_restores_every_row_and_every_file(source, target, encrypted, keyrings):
    env = dict(target["env"], TANDEM_BACKUP_GNUPGHOME=str(keyrings["private"]))
    result = manage("restore", str(encrypted["archive"]), env=env)
    assert "Decrypted" in result.stdout and "Restored" in result.stdout
    assert row_counts(source["name"]) == row_counts(target["name"])
    assert sequence_values(source["name"]) == sequence_values(target["name"])
    assert checksums(target["media"]) == checksums(source["media"])


def test_restore_without_the_private_key_fails_and_changes_nothing(target, encrypted, keyrings):
    env = dict(target["env"], TANDEM_BACKUP_GNUPGHOME=str(keyrings["public"]))
    result = manage("restore", str(encrypted["archive"]), env=env, check=False)
    assert result.returncode != 0 and "gpg failed" in result.stderr
    assert row_counts(target["name"]) == {} or sum(row_counts(target["name"]).values()) == 0
    assert not target["media"].exists() or not any(target["media"].iterdir())


def test_backup_refuses_a_recipient_without_a_public_key(source, keyrings, tmp_path):
    env = dict(
        source["env"],
        TANDEM_BACKUP_GPG_RECIPIENTS="nobody@example.test",
        TANDEM_BACKUP_GNUPGHOME=str(keyrings["public"]),
    )
    result = manage("backup", "--output-dir", str(tmp_path / "none"), env=env, check=False)
    assert (
        result.returncode != 0 and "nobody@example.test" in result.stderr and "gpg --import" in result.stderr
    )
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").iterdir())


def test_prune_removes_only_archives_older_than_the_retention(tmp_path):
    from datetime import UTC, datetime

    from portal.backup import prune_backups

    names = [
        "tandem-20260101-030000.tar.gz",
        "tandem-20260101-030000-1.tar.gz.gpg",
        "tandem-20260125-030000.tar.gz.gpg",
        "tandem-20260131-030000.tar.gz",
        "tandem-notes.txt",
        "other-20200101-000000.tar.gz",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    now = datetime(2026, 2, 1, 3, 0, tzinfo=UTC)
    assert prune_backups(tmp_path, 0, now) == []
    removed = prune_backups(tmp_path, 30, now)
    assert sorted(p.name for p in removed) == [
        "tandem-20260101-030000-1.tar.gz.gpg",
        "tandem-20260101-030000.tar.gz",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])

"""Backup and restore: one archive with the database and the private media (ADR 0032).

An archive `tandem-YYYYmmdd-HHMMSS.tar.gz` (UTC) holds:
- `manifest.json`: format, creation time, PostgreSQL server and pg_dump versions, the latest
  applied migration per app, the SHA-256 of `database.dump` and `media.tar`, and the SHA-256
  of every media file;
- `database.dump`: `pg_dump --format=custom --no-owner --no-privileges`;
- `media.tar`: the files under the private media root (TANDEM_PRIVATE_MEDIA_ROOT).

Restore verifies every checksum before it changes anything, refuses a database that has any
table (or a media root that has any file), restores the dump in one transaction with
`pg_restore --single-transaction --exit-on-error`, unpacks the media with tarfile's `data`
filter (no absolute paths, no `..`, no links out) and verifies the files again.

Archives hold personal data: they are written with mode 0600 in a 0700 directory, and, when
OpenPGP recipients are configured (TANDEM_BACKUP_GPG_RECIPIENTS, ADR 0104), encrypted to them
with gpg as `tandem-YYYYmmdd-HHMMSS.tar.gz.gpg`; the unencrypted archive then only ever exists
inside the 0700 working directory. Restore decrypts such an archive first (the private key in
the keyring of TANDEM_BACKUP_GNUPGHOME). `prune_backups` removes archives older than
TANDEM_BACKUP_KEEP_DAYS after a successful backup.
"""

import glob
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

FORMAT = 1
MEMBERS = ("manifest.json", "database.dump", "media.tar")
ENCRYPTED_SUFFIX = ".gpg"
_ARCHIVE_NAME = re.compile(r"^tandem-(\d{8}-\d{6})(?:-\d+)?\.tar\.gz(?:\.gpg)?$")
_GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    """A clear message for the operator; nothing was changed when restore raises it."""


@dataclass
class Database:
    name: str
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict):
        if "postgresql" not in settings_dict["ENGINE"]:
            raise BackupError(
                "Backup and restore need PostgreSQL; DATABASE_URL points at "
                f"{settings_dict['ENGINE'].rsplit('.', 1)[-1]}."
            )
        return cls(
            name=settings_dict["NAME"],
            host=settings_dict.get("HOST") or "127.0.0.1",
            port=int(settings_dict.get("PORT") or 5432),
            user=settings_dict.get("USER") or "postgres",
            password=settings_dict.get("PASSWORD") or "",
        )

    def connect(self, dbname=None, **kwargs):
        return psycopg.connect(
            dbname=dbname or self.name,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            connect_timeout=10,
            **kwargs,
        )

    def tool_env(self):
        """Connection for pg_dump/pg_restore through the environment (no password in `ps`)."""
        env = dict(
            os.environ, PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user, PGDATABASE=self.name
        )
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def server_major(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000

    def user_tables(self) -> int:
        with self.connect() as conn:
            return conn.execute(
                """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"""
            ).fetchone()[0]

    def exists(self) -> bool:
        try:
            self.connect().close()
            return True
        except psycopg.OperationalError as exc:
            if "does not exist" in str(exc):
                return False
            raise BackupError(f"Cannot connect to PostgreSQL at {self.host}:{self.port}: {exc}") from exc

    def create(self):
        with self.connect(dbname="postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))


@dataclass(frozen=True)
class Encryption:
    """OpenPGP encryption of archives with gpg (ADR 0104). `recipients`: key ids, fingerprints
    or e-mail addresses of public keys in the keyring; `gnupg_home`: that keyring (default
    gpg's own, ~/.gnupg); `passphrase_file`: for restore, when the private key has one."""

    recipients: tuple[str, ...] = ()
    gnupg_home: str = ""
    passphrase_file: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.recipients)

    def _gpg(self, *args):
        gpg = shutil.which("gpg")
        if not gpg:
            raise BackupError(
                "gpg is not installed; install it (apt-get install gnupg) to encrypt or decrypt."
            )
        env = dict(os.environ)
        if self.gnupg_home:
            env["GNUPGHOME"] = self.gnupg_home
        result = subprocess.run(  # noqa: S603 - gpg with fixed arguments
            [gpg, "--batch", "--no-tty", "--quiet", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"gpg failed (status {result.returncode}): {result.stderr.strip()[-500:]}")
        return result

    def check_recipients(self):
        """Fail before dumping anything when a recipient's public key is not in the keyring."""
        for recipient in self.recipients:
            try:
                self._gpg("--list-keys", "--with-colons", recipient)
            except BackupError as exc:
                raise BackupError(
                    f"The backup recipient {recipient!r} has no public key in the keyring "
                    f"({self.gnupg_home or 'gpg default'}): import it with gpg --import. ({exc})"
                ) from exc

    def encrypt(self, source: Path, target: Path):
        recipients = [arg for recipient in self.recipients for arg in ("--recipient", recipient)]
        # The operator chose these keys by configuration: no web-of-trust decision to make.
        self._gpg(
            "--yes", "--trust-model", "always", "--output", str(target), *recipients, "--encrypt", str(source)
        )

    def decrypt(self, source: Path, target: Path):
        passphrase = (
            ["--pinentry-mode", "loopback", "--passphrase-file", self.passphrase_file]
            if self.passphrase_file
            else []
        )
        self._gpg("--yes", *passphrase, "--output", str(target), "--decrypt", str(source))


def is_encrypted(archive: Path) -> bool:
    """An archive that is not gzip is taken for an OpenPGP message (gpg says if it is not)."""
    with open(archive, "rb") as handle:
        return handle.read(2) != _GZIP_MAGIC


def prune_backups(output_dir: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete the archives in `output_dir` whose name says they are older than `keep_days`
    (0: keep everything). Only files named like an archive are touched."""
    if keep_days <= 0:
        return []
    now = now or datetime.now(UTC)
    removed = []
    for path in sorted(Path(output_dir).glob("tandem-*")):
        match = _ARCHIVE_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if (now - made).total_seconds() > keep_days * 86400:
            path.unlink()
            removed.append(path)
    return removed


def tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL client tool found on this machine
            [path, "--version"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", out) or re.search(r"(\d+)\.\d+", out)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int) -> str:
    """The PostgreSQL client tool whose major version matches the server (else the nearest
    newer one): an older pg_dump refuses a newer server."""
    candidates = []
    for path in [
        shutil.which(name),
        f"/usr/local/bin/{name}",
        *sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")),
    ]:
        if path and os.access(path, os.X_OK) and path not in candidates:
            candidates.append(path)
    versions = [(tool_major(path), path) for path in candidates]
    versions = [(major, path) for major, path in versions if major is not None]
    for major, path in versions:
        if major == server_major:
            return path
    newer = sorted((major, path) for major, path in versions if major > server_major)
    if newer:
        return newer[0][1]
    found = ", ".join(f"{path} ({major})" for major, path in versions) or "none"
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer was found (found: {found}). "
        f"Install the client tools, e.g. apt-get install postgresql-client-{server_major}."
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def latest_migrations(db: Database) -> dict:
    try:
        with db.connect() as conn:
            rows = conn.execute(
                "SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app"
            ).fetchall()
    except Exception:  # noqa: BLE001 - a database without Django tables still backs up
        return {}
    return dict(rows)


def run_tool(command, env):
    result = subprocess.run(  # noqa: S603 - pg_dump/pg_restore with fixed arguments
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (status {result.returncode}): {result.stderr.strip()}"
        )
    return result


def create_backup(
    db: Database,
    media_root: Path,
    output_dir: Path,
    now: datetime | None = None,
    encryption: Encryption | None = None,
) -> Path:
    media_root = Path(media_root)
    output_dir = Path(output_dir)
    encryption = encryption or Encryption()
    if encryption.enabled:
        encryption.check_recipients()
    output_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(output_dir, 0o700)
    server_major = db.server_major()
    pg_dump = find_pg_tool("pg_dump", server_major)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    extension = ".tar.gz" + (ENCRYPTED_SUFFIX if encryption.enabled else "")
    target = output_dir / f"tandem-{stamp}{extension}"
    suffix = 1
    while target.exists():
        target = output_dir / f"tandem-{stamp}-{suffix}{extension}"
        suffix += 1

    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work_dir:
        work = Path(work_dir)
        dump = work / "database.dump"
        run_tool(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)], db.tool_env()
        )
        media_tar = work / "media.tar"
        files = {}
        with tarfile.open(media_tar, "w") as tar:
            for path in media_files(media_root):
                relative = path.relative_to(media_root).as_posix()
                files[relative] = sha256_file(path)
                tar.add(path, arcname=relative, recursive=False)
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "postgresql_server_major": server_major,
            "pg_dump": Path(pg_dump).name + f" {tool_major(pg_dump)}",
            "migrations": latest_migrations(db),
            "checksums": {"database.dump": sha256_file(dump), "media.tar": sha256_file(media_tar)},
            "media_files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            for name in MEMBERS:
                tar.add(work / name, arcname=name, recursive=False)
        if encryption.enabled:
            encrypted = work / "archive.tar.gz.gpg"
            encryption.encrypt(partial, encrypted)
            partial.unlink()
            partial = encrypted
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    return target


def _read_archive(archive: Path, work: Path) -> dict:
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            names = sorted(member.name for member in tar.getmembers())
            if names != sorted(MEMBERS):
                raise BackupError(
                    f"{archive} is not a Tandem backup: it holds {', '.join(names) or 'nothing'}."
                )
            for member in tar.getmembers():
                if not member.isfile():
                    raise BackupError(f"{archive}: {member.name} is not a regular file.")
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} cannot be read: {exc}") from exc
    try:
        manifest = json.loads((work / "manifest.json").read_text())
    except ValueError as exc:
        raise BackupError(f"{archive}: manifest.json is not valid JSON.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r}.")
    for name in ("database.dump", "media.tar"):
        if sha256_file(work / name) != manifest["checksums"].get(name):
            raise BackupError(
                f"{archive}: the checksum of {name} does not match the manifest; not restoring."
            )
    with tarfile.open(work / "media.tar") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
                raise BackupError(
                    f"{archive}: media.tar holds an unsafe entry {member.name!r}; not restoring."
                )
        names = {m.name for m in tar.getmembers() if m.isfile()}
    if names != set(manifest["media_files"]):
        raise BackupError(f"{archive}: media.tar does not hold the files the manifest lists; not restoring.")
    return manifest


def restore_backup(
    db: Database, media_root: Path, archive: Path, out=None, encryption: Encryption | None = None
) -> dict:
    """Restore into an empty database (created when missing) and an empty media root; an
    encrypted archive is decrypted first (gpg, the private key in `encryption.gnupg_home`)."""
    out = out or io.StringIO()
    media_root = Path(media_root)
    archive = Path(archive)
    if db.exists():
        tables = db.user_tables()
        if tables:
            raise BackupError(
                f"Database {db.name!r} is not empty ({tables} tables/sequences). Restore only into an empty "
                f"database: create a new one (createdb NAME), point DATABASE_URL at it and run restore again."
            )
        created = False
    else:
        created = True
    existing = media_files(media_root)
    if existing:
        raise BackupError(
            f"The private media root {media_root} already holds {len(existing)} files. Restore only into an "
            f"empty media root (set TANDEM_PRIVATE_MEDIA_ROOT to a new directory or empty it)."
        )
    with tempfile.TemporaryDirectory(prefix="tandem-restore-") as work_dir:
        work = Path(work_dir)
        if archive.is_file() and is_encrypted(archive):
            decrypted = work / "decrypted.tar.gz"
            (encryption or Encryption()).decrypt(archive, decrypted)
            out.write(f"Decrypted {archive.name}.\n")
            (work / "archive").mkdir()
            manifest = _read_archive(decrypted, work / "archive")
            decrypted.unlink()
            work = work / "archive"
        else:
            manifest = _read_archive(archive, work)
        if created:
            db.create()
            out.write(f"Created database {db.name!r}.\n")
        pg_restore = find_pg_tool("pg_restore", max(db.server_major(), manifest["postgresql_server_major"]))
        run_tool(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                db.name,
                str(work / "database.dump"),
            ],
            db.tool_env(),
        )
        out.write(f"Restored the database into {db.name!r}.\n")
        media_root.mkdir(parents=True, exist_ok=True)
        try:
            with tarfile.open(work / "media.tar") as tar:
                tar.extractall(media_root, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"Restoring the media files failed: {exc}") from exc
        for relative, checksum in manifest["media_files"].items():
            if sha256_file(media_root / relative) != checksum:
                raise BackupError(f"Restored media file {relative} does not match its checksum.")
        out.write(f"Restored {len(manifest['media_files'])} media files into {media_root}.\n")
    return manifest

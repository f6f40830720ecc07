"""Backups that restore: the database and every uploaded file, with a manifest to check
them by.

A backup is one folder:

    manifest.json      row counts per table and the sha256 of every media file
    database.dump      PostgreSQL: `pg_dump -Fc` (custom format, read by pg_restore), or
    database.sqlite3   SQLite: a copy made through SQLite's backup API
    media/...          every uploaded file, under its storage name

Uploaded files are read and written through Django's storage API, so the same code backs up
the local media folder or the objects of an S3 bucket (healthsite/object_storage.py).

Neither side leaves half its work behind: a backup is written into a temporary folder next
to its destination and renamed into place once complete; a restore checks the whole backup
(the manifest, every file's checksum, an empty target) before it writes anything, puts the
files back first and loads the database last, in one transaction, removing the files again
if that fails.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_FOLDER = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Bumped when the layout changes, so an old restore refuses a backup it cannot read.
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what was kept."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database_file: str
    # Table name -> rows, as the dump holds them.
    tables: dict[str, int]
    # Storage name -> sha256 of its content.
    media: dict[str, str]
    format: int = FORMAT

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BackupError(f"{folder} holds no {MANIFEST}: it is not a backup.") from None
        except ValueError as error:
            raise BackupError(f"{folder / MANIFEST} is not valid JSON ({error}).") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(f"{folder / MANIFEST} is not a backup of format {FORMAT}.")
        try:
            return cls(**data)
        except TypeError as error:
            raise BackupError(f"{folder / MANIFEST} is incomplete ({error}).") from None


@dataclass
class Report:
    """What a restore put back, and anything that differs from the manifest."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    differences: list[str] = field(default_factory=list)


def back_up(*, to: Path, connection: BaseDatabaseWrapper, storage: Storage) -> Manifest:
    """Write a backup of the database behind `connection` and of every file in `storage`
    into the folder `to`, which must not exist yet or be empty."""
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        raise BackupError(f"{to} already holds something: back up into a new folder.")
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backing up a {vendor} database is not supported.")
    to.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{to.name}.partial-", dir=to.parent))
    try:
        database_file = partial / DATABASE_FILES[vendor]
        if vendor == "postgresql":
            tables = _dump_postgresql(connection, database_file)
        else:
            tables = _copy_sqlite(connection, database_file)
        # After the database: a picture uploaded meanwhile is an extra file, never a row
        # whose file is missing (uploads write their files first).
        media = {
            name: _copy_out(storage, name, partial / MEDIA_FOLDER / name)
            for name in stored_names(storage)
        }
        manifest = Manifest(
            created_at=timezone.now().isoformat(timespec="seconds"),
            vendor=vendor,
            database_file=database_file.name,
            tables=tables,
            media=media,
        )
        (partial / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
        if to.exists():
            to.rmdir()
        partial.rename(to)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def restore(
    *, source: Path, connection: BaseDatabaseWrapper, storage: Storage, force: bool = False
) -> Report:
    """Load the backup in `source` into the database behind `connection` and put its files
    back into `storage`, then compare both with the manifest.

    The target database must hold no tables and the storage no files, unless `force`:
    then PostgreSQL's objects in the dump are dropped and made again, SQLite's database is
    replaced whole, and files of the same name are replaced (others are left)."""
    manifest = Manifest.read(source)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {manifest.vendor} database; the site is configured "
            f"for {connection.vendor}."
        )
    database_file = source / manifest.database_file
    if not database_file.is_file():
        raise BackupError(f"{database_file} is missing: the backup is incomplete.")
    for name, digest in manifest.media.items():
        path = source / MEDIA_FOLDER / _safe_name(name)
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        if _sha256_file(path) != digest:
            raise BackupError(f"{path} does not match its checksum in the manifest.")
    if not force:
        tables = connection.introspection.table_names()
        if tables:
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} already has "
                f"{len(tables)} tables: restore into an empty database, or add --force to "
                "replace what it holds."
            )
        if next(stored_names(storage), None) is not None:
            raise BackupError(
                "The media storage already holds files: restore into an empty one, or add "
                "--force to replace files of the same names."
            )

    written: list[str] = []
    try:
        for name in manifest.media:
            if force and storage.exists(name):
                storage.delete(name)
            with (source / MEDIA_FOLDER / name).open("rb") as content:
                stored = storage.save(name, File(content, name=name))
            written.append(stored)
            if stored != name:
                raise BackupError(f"{name} was stored as {stored}: its name was taken.")
        if connection.vendor == "postgresql":
            _restore_postgresql(connection, database_file, clean=force)
        else:
            _restore_sqlite(connection, database_file)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return compare(manifest=manifest, connection=connection, storage=storage)


def compare(*, manifest: Manifest, connection: BaseDatabaseWrapper, storage: Storage) -> Report:
    """Every table's row count and every file's checksum, against the manifest."""
    report = Report()
    with connection.cursor() as cursor:
        for table, expected in manifest.tables.items():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            (found,) = cursor.fetchone()
            report.tables += 1
            report.rows += found
            if found != expected:
                report.differences.append(f"table {table}: {found} rows, {expected} backed up")
    for name, digest in manifest.media.items():
        try:
            with storage.open(name, "rb") as content:
                found_digest = _sha256(content)
        except FileNotFoundError:
            report.differences.append(f"file {name}: missing")
            continue
        report.files += 1
        if found_digest != digest:
            report.differences.append(f"file {name}: its content differs")
    return report


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, folders walked through its listdir()."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, name) if folder else name)


# PostgreSQL: pg_dump and pg_restore, told where the database is by libpq's variables.


def _dump_postgresql(connection: BaseDatabaseWrapper, path: Path) -> dict[str, int]:
    """pg_dump the database, counting every table in the same snapshot as the dump: rows
    written meanwhile are in neither, so the counts are the dump's own."""
    snapshot_holder = connections.create_connection(connection.alias)
    try:
        with snapshot_holder.cursor() as cursor:
            # Django's connection is in autocommit mode: this transaction is ours, held
            # open while pg_dump reads the snapshot it exports.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            tables = _count_rows(snapshot_holder, cursor)
            _run_libpq(
                connection,
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
            )
            cursor.execute("COMMIT")
    finally:
        snapshot_holder.close()
    return tables


def _restore_postgresql(connection: BaseDatabaseWrapper, path: Path, *, clean: bool) -> None:
    # One transaction: a restore that fails part-way leaves the database as it was. Owners
    # and grants are the old server's; the tables belong to whoever restores them.
    connection.close()
    _run_libpq(
        connection,
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            *(["--clean", "--if-exists"] if clean else []),
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
    )


def _run_libpq(connection: BaseDatabaseWrapper, command: list[str]) -> None:
    database = connection.settings_dict
    variables = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode", ""),
    }
    env = {**os.environ, **{name: value for name, value in variables.items() if value}}
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: apt-get install postgresql-client"
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def _count_rows(connection: BaseDatabaseWrapper, cursor: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        (counts[table],) = cursor.fetchone()
    return counts


# SQLite: the backup API copies a consistent database, page by page, while others use it.


def _copy_sqlite(connection: BaseDatabaseWrapper, path: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in sorted(tables)
        }
    finally:
        copy.close()


def _restore_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
    # The backup API replaces the target database whole, in one step.
    backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()


# Media files.


def _copy_out(storage: Storage, name: str, path: Path) -> str:
    """Copy one stored file to `path`, returning its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with storage.open(name, "rb") as content, path.open("wb") as copy:
        for chunk in content.chunks(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    return digest.hexdigest()


def _safe_name(name: str) -> str:
    """A manifest's file name, refused if it would lead out of the backup's media folder."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts or "\\" in name:
        raise BackupError(f"The manifest names a file outside the media folder: {name!r}.")
    return name


def _sha256_file(path: Path) -> str:
    with path.open("rb") as content:
        return _sha256(content)


def _sha256(content: IO[bytes] | File) -> str:
    digest = hashlib.sha256()
    while chunk := content.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()

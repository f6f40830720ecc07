"""`manage.py backup` and `manage.py restore`: a populated site (articles, a library
picture with its renditions, an avatar, a comment) is backed up, restored by a new process
into a fresh database and a fresh media folder (or bucket), and every table's row count and
every file's checksum compared with the manifest. On PostgreSQL through pg_dump and
pg_restore, on SQLite through its backup API: each run of the suite tests its own."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from accounts.avatars import make_avatar
from articles.models import Article
from images.library import add_image
from images.models import Image
from images.processing import process_upload
from operations.backups import MANIFEST
from tests import object_storage
from tests.factories import make_article, make_comment, make_user
from tests.object_storage import Bucket, new_bucket
from tests.test_object_storage import jpeg

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)

s3_endpoint = object_storage.s3_endpoint
s3_bucket = object_storage.s3_bucket


def populate() -> None:
    """A small site: what each kind of stored thing looks like, files included."""
    editor = make_user(role="Editors")
    image = add_image(
        image=Image(alt_text="A walk by the river"),
        picture=process_upload(SimpleUploadedFile("walk.jpg", jpeg())),
        by=editor,
    )
    article = make_article(author=editor, body=f"Walk daily.\n\n[image:{image.pk}]\n")
    Article.objects.filter(pk=article.pk).update(hero_image=image)
    reader = make_user()
    reader.avatar.save("me.webp", make_avatar(SimpleUploadedFile("me.jpg", jpeg((600, 600)))))
    make_comment(article=article, user=reader)


@dataclass
class FreshDatabase:
    url: str
    vendor: str
    location: str

    def table_names(self) -> set[str]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.location) as db:
                query = (
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
                return {name for (name,) in db.execute(query)}
        with psycopg.connect(self.location) as db:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            return {name for (name,) in db.execute(query)}

    def count(self, table: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.location) as db:
                return db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        with psycopg.connect(self.location) as db:
            row = db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            return row.fetchone()[0]  # type: ignore[index]


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[FreshDatabase]:
    """An empty database of the kind the tests run on, dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield FreshDatabase(url=f"sqlite:///{path}", vendor="sqlite", location=str(path))
        return
    db = connection.settings_dict
    name = f"hs_restore_{uuid.uuid4().hex[:12]}"
    server: dict[str, str] = {
        "host": db["HOST"] or "",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "",
        "password": db["PASSWORD"] or "",
    }
    conninfo = psycopg.conninfo.make_conninfo(dbname=db["NAME"], **server)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        password = f":{server['password']}" if server["password"] else ""
        yield FreshDatabase(
            url=f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}",
            vendor="postgresql",
            location=psycopg.conninfo.make_conninfo(dbname=name, **server),
        )
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def restore_in_new_process(backup: Path, **env: str) -> subprocess.CompletedProcess:
    """`manage.py restore` as an operator runs it, the site's environment set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", "--from", str(backup)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_manifest(backup: Path) -> dict:
    return json.loads((backup / MANIFEST).read_text())


def files_in(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_manifest_covers_the_site(manifest: dict) -> None:
    """The manifest counts what the site holds, so that matching it means something."""
    assert manifest["tables"]["images_image"] == 1
    assert manifest["tables"]["articles_article"] == 1
    assert manifest["tables"]["comments_comment"] == 1
    assert manifest["tables"]["accounts_user"] == 2
    image = Image.objects.get()
    expected = {image.file.name, *(r["name"] for r in image.renditions)}
    avatars = {name for name in manifest["media"] if name.startswith("avatars/")}
    assert set(manifest["media"]) - avatars == expected
    assert len(avatars) == 1


def assert_restored_matches(manifest: dict, database: FreshDatabase, media: dict[str, str]):
    assert database.table_names() == set(manifest["tables"])
    for table, rows in manifest["tables"].items():
        assert database.count(table) == rows, table
    assert media == manifest["media"]


def test_a_backup_restores_into_a_fresh_database_and_media_folder(settings, tmp_path):
    populate()
    backup = tmp_path / "backup"
    call_command("backup", to=backup)
    manifest = read_manifest(backup)
    assert manifest["vendor"] == connection.vendor
    assert (backup / manifest["database_file"]).stat().st_size > 0
    assert_manifest_covers_the_site(manifest)
    assert files_in(backup / "media") == manifest["media"]
    assert files_in(Path(settings.MEDIA_ROOT)) == manifest["media"]

    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as database:
        result = restore_in_new_process(
            backup, DATABASE_URL=database.url, DJANGO_MEDIA_ROOT=str(restored_media)
        )
        assert result.returncode == 0, result.stderr
        assert "all match the manifest" in result.stdout
        assert "Cached pages are stale" in result.stdout  # clear_page_cache ran
        assert_restored_matches(manifest, database, files_in(restored_media))


def test_a_backup_of_a_bucket_restores_into_a_fresh_bucket(
    s3_bucket: Bucket, s3_endpoint, tmp_path
):
    populate()
    backup = tmp_path / "backup"
    call_command("backup", to=backup)
    manifest = read_manifest(backup)
    assert_manifest_covers_the_site(manifest)
    assert sorted(manifest["media"]) == s3_bucket.keys()

    target = new_bucket(s3_endpoint)
    with fresh_database(tmp_path) as database:
        result = restore_in_new_process(backup, DATABASE_URL=database.url, **target.env)
        assert result.returncode == 0, result.stderr
        restored = {key: hashlib.sha256(target.read(key)).hexdigest() for key in target.keys()}
        assert_restored_matches(manifest, database, restored)


def test_restore_refuses_a_database_that_has_tables(settings, tmp_path):
    populate()
    backup = tmp_path / "backup"
    call_command("backup", to=backup)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(
        CommandError, match=r"already has \d+ tables.*--force.*Nothing was restored"
    ):
        call_command("restore", source=backup)
    assert not (tmp_path / "empty-media").exists()
    assert Image.objects.count() == 1


def test_a_changed_backup_is_refused_before_anything_is_written(tmp_path):
    populate()
    backup = tmp_path / "backup"
    call_command("backup", to=backup)
    picture = next((backup / "media" / "images" / "renditions").iterdir())
    picture.write_bytes(picture.read_bytes()[:-10])  # cut short, as a failed copy would be
    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as database:
        result = restore_in_new_process(
            backup, DATABASE_URL=database.url, DJANGO_MEDIA_ROOT=str(restored_media)
        )
        assert result.returncode == 1
        assert "does not match its checksum in the manifest" in result.stderr
        assert database.table_names() == set()
    assert not restored_media.exists()


def test_backup_refuses_a_folder_that_holds_something(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="already holds something"):
        call_command("backup", to=backup)
    assert [path.name for path in backup.iterdir()] == ["notes.txt"]


def test_a_failed_backup_leaves_nothing_behind(settings, tmp_path):
    populate()
    # A file the storage lists but cannot read: a link to nowhere.
    (Path(settings.MEDIA_ROOT) / "images" / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    with pytest.raises(FileNotFoundError):
        call_command("backup", to=tmp_path / "backup")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["media"]

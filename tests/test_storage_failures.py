"""When the media storage cannot take a file (a read-only folder, a full disk), uploading a
profile photo or a library picture says so clearly (503), keeps the old photo and the rows as
they were, leaves no partial file behind and logs the cause in one line."""

import errno
import importlib
import io
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains

from accounts.models import User
from images.models import Image
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PHOTO_NOT_SAVED = "We could not save your photo just now; nothing was changed."
PICTURE_NOT_SAVED = "We could not save the picture just now; nothing was changed."
FILE_STORAGE_LOGGER = "healthsite.file_storage"
UNPRIVILEGED = 65534  # "nobody"


class FullDiskStorage(FileSystemStorage):
    """The media folder on a disk that fills up: after `files_that_fit` files, a write
    gets some bytes onto the disk and then fails with ENOSPC, as a real full disk does.
    (A disk cannot safely be filled here, on a machine others share: this is the one
    stand-in, at the storage's lowest level.)"""

    files_that_fit = 0
    saved = 0

    def _save(self, name, content):
        if FullDiskStorage.saved < FullDiskStorage.files_that_fit:
            FullDiskStorage.saved += 1
            return super()._save(name, content)  # type: ignore[misc]  # not in the stubs
        os.makedirs(os.path.dirname(self.path(name)), exist_ok=True)
        with open(self.path(name), "wb") as partial:
            partial.write(b"\x00" * 100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def media(settings):
    """A media folder of its own, outside pytest's private temporary folders, so that an
    unprivileged user can reach it (see read_only())."""
    folder = Path(tempfile.mkdtemp(prefix="healthsite-media-"))
    settings.MEDIA_ROOT = folder
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


@contextmanager
def read_only(folder: Path):
    """Make the media folder and everything in it read-only, for real (chmod), while the
    block runs. Permission bits do not bind root: run as root (in a container, say), the
    block runs with an unprivileged effective user, for whom they do."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    as_root = os.geteuid() == 0
    if as_root:
        # Loaded now: the interpreter's own files may be unreadable to that user.
        importlib.import_module("encodings.unicode_escape")
        os.seteuid(UNPRIVILEGED)
    try:
        with pytest.raises(PermissionError):
            (folder / "probe").write_bytes(b"")
        yield
    finally:
        if as_root:
            os.seteuid(0)


@pytest.fixture
def full_disk(settings, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_storage_failures.FullDiskStorage"},
    }
    monkeypatch.setattr(FullDiskStorage, "saved", 0)
    return FullDiskStorage


def files_in(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def cause_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == FILE_STORAGE_LOGGER]


def photo(colour=(40, 120, 110)) -> SimpleUploadedFile:
    output = io.BytesIO()
    PillowImage.new("RGB", (600, 600), colour).save(output, format="JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue())


def png_bytes() -> bytes:
    output = io.BytesIO()
    PillowImage.new("RGB", (60, 40), "teal").save(output, format="PNG")
    return output.getvalue()


# Profile photos.


@pytest.fixture
def reader_with_photo(client, media):
    user = make_user(username="ada", display_name="Ada")
    client.force_login(user)
    response = client.post("/accounts/profile/", {"display_name": "Ada", "avatar": photo()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert files_in(media) == {user.avatar.name: (media / user.avatar.name).stat().st_size}
    return user


def assert_photo_kept(response, user: User, media: Path, old_files: dict[str, int]) -> None:
    assert response.status_code == 503
    assertContains(response, PHOTO_NOT_SAVED, status_code=503)
    # What was typed is kept in the form; the page shows the account as stored.
    assertContains(response, 'value="Ada Lovelace"', status_code=503)
    assertContains(response, f'src="{user.avatar.url}"', status_code=503)
    stored = User.objects.get(pk=user.pk)
    assert (stored.display_name, stored.avatar.name) == ("Ada", user.avatar.name)
    assert files_in(media) == old_files  # the old photo, and nothing else


def test_a_read_only_media_folder_keeps_the_old_photo(client, reader_with_photo, media, caplog):
    old_files = files_in(media)
    with read_only(media), caplog.at_level(logging.ERROR):
        response = client.post(
            "/accounts/profile/", {"display_name": "Ada Lovelace", "avatar": photo("red")}
        )
    assert_photo_kept(response, reader_with_photo, media, old_files)
    [line] = cause_lines(caplog)
    assert "Could not save avatars/" in line
    assert "PermissionError: [Errno 13] Permission denied" in line
    assert "\n" not in line


def test_a_full_disk_leaves_no_partial_file(client, reader_with_photo, media, full_disk, caplog):
    old_files = files_in(media)
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/accounts/profile/", {"display_name": "Ada Lovelace", "avatar": photo("red")}
        )
    assert_photo_kept(response, reader_with_photo, media, old_files)
    [line] = cause_lines(caplog)
    assert "OSError: [Errno 28] No space left on device" in line


def test_a_first_photo_that_cannot_be_saved_leaves_no_file_and_no_photo(client, media, full_disk):
    user = make_user(username="grace")
    client.force_login(user)
    response = client.post("/accounts/profile/", {"display_name": "Grace", "avatar": photo()})
    assertContains(response, PHOTO_NOT_SAVED, status_code=503)
    stored = User.objects.get(pk=user.pk)
    assert (stored.display_name, stored.avatar.name) == ("", "")
    assert files_in(media) == {}


def test_the_profile_saves_again_once_the_disk_has_room(
    client, reader_with_photo, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/profile/", {"display_name": "Ada Lovelace", "avatar": photo("red")}
        )
    assert response.status_code == 302
    stored = User.objects.get(pk=reader_with_photo.pk)
    assert stored.avatar.name != reader_with_photo.avatar.name
    assert list(files_in(media)) == [stored.avatar.name]  # the old photo went


# The image library: the chooser's upload (dialog and page) and the library's admin.

CHOOSER_UPLOAD = "/admin/images/image/chooser/upload/"
FRAGMENT = {"X-Image-Chooser": "fragment"}


@pytest.fixture
def author(client, media):
    client.force_login(make_user(username="writer", role="Authors"))


def chooser_upload(client, **kwargs):
    return client.post(
        CHOOSER_UPLOAD,
        {
            "upload": SimpleUploadedFile("walk.png", png_bytes()),
            "alt_text": "Two people walking by a river",
            "caption": "Walking after surgery",
        },
        **kwargs,
    )


def assert_picture_refused(response, media: Path) -> None:
    assertContains(response, PICTURE_NOT_SAVED, status_code=503)
    assertContains(response, 'value="Two people walking by a river"', status_code=503)
    assertContains(response, 'value="Walking after surgery"', status_code=503)
    assert not Image.objects.exists()
    assert files_in(media) == {}


def test_the_chooser_dialog_says_the_picture_was_not_saved(
    client, author, media, full_disk, monkeypatch, caplog
):
    # The first two renditions fit; the third fills the disk: all three go again.
    monkeypatch.setattr(FullDiskStorage, "files_that_fit", 2)
    with caplog.at_level(logging.ERROR):
        response = chooser_upload(client, headers=FRAGMENT)
    assert_picture_refused(response, media)
    # The dialog's script shows an answer marked as a fragment whatever its status.
    assert response.headers["X-Image-Chooser"] == "fragment"
    assert "<html" not in response.text
    assert FullDiskStorage.saved == 2
    [line] = cause_lines(caplog)
    assert "No space left on device" in line


def test_the_chooser_page_says_the_picture_was_not_saved(client, author, media):
    with read_only(media):
        response = chooser_upload(client)
    assert_picture_refused(response, media)
    assert "<html" in response.text


def test_the_library_admin_keeps_what_was_typed(client, media, full_disk):
    client.force_login(make_user(role="Editors"))
    response = client.post(
        "/admin/images/image/add/",
        {
            "upload": SimpleUploadedFile("walk.png", png_bytes()),
            "alt_text": "Two people walking by a river",
            "caption": "Walking after surgery",
            "credit": "Photo: A. Jones",
        },
    )
    assert_picture_refused(response, media)
    assertContains(response, 'value="Photo: A. Jones"', status_code=503)
    assertContains(response, "<h1>Add image</h1>", status_code=503)

"""Uploaded files on S3-compatible object storage, against a real S3 API served locally
(moto's server mode, tests/object_storage.py): the library's pictures and renditions, an
avatar, the URLs pages give them, and deleting pictures, here and on the local disk."""

import io
import os
import re
import subprocess
import sys
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PillowImage

from healthsite.object_storage import FILE_SYSTEM, MEDIA_CACHE_CONTROL, media_storage
from images.library import remove_images
from images.models import Image
from tests import object_storage
from tests.factories import make_article, make_user
from tests.object_storage import Bucket

# The bucket's fixtures, shared with tests/test_backup_restore.py.
s3_endpoint = object_storage.s3_endpoint
s3_bucket = object_storage.s3_bucket

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def jpeg(size: tuple[int, int] = (1200, 800)) -> bytes:
    output = io.BytesIO()
    PillowImage.new("RGB", size, "teal").save(output, format="JPEG")
    return output.getvalue()


def add_picture(client) -> Image:
    response = client.post(
        "/admin/images/image/add/",
        {"upload": SimpleUploadedFile("walk.jpg", jpeg()), "alt_text": "A walk by the river"},
    )
    assert response.status_code == 302, response.text
    return Image.objects.get()


def stored_names(image: Image) -> list[str]:
    return sorted([image.file.name, *(rendition["name"] for rendition in image.renditions)])


def fetch(url: str) -> tuple[bytes, Message]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


@pytest.fixture
def editor(client):
    user = make_user(role="Editors")
    client.force_login(user)
    return user


# The setting.


def test_without_a_bucket_uploads_stay_in_the_media_folder():
    assert media_storage({}) == FILE_SYSTEM
    assert media_storage({"AWS_STORAGE_BUCKET_NAME": " "}) == FILE_SYSTEM


def test_half_a_key_pair_is_refused():
    with pytest.raises(ImproperlyConfigured, match="AWS_SECRET_ACCESS_KEY is not set"):
        media_storage({"AWS_STORAGE_BUCKET_NAME": "media", "AWS_ACCESS_KEY_ID": "AKIA"})


def test_a_bucket_name_in_the_environment_switches_the_site_to_it():
    """settings.py reads the variables at start-up: checked in a process of its own."""
    probe = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.custom_domain, s.url('a.jpg'))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))},
        "AWS_STORAGE_BUCKET_NAME": "health-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
        "AWS_S3_CUSTOM_DOMAIN": "media.health.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "health-media",
        "https://s3.example.net",
        "media.health.example.org",
        "https://media.health.example.org/a.jpg",
    ]


# Through the bucket.


def test_a_library_upload_writes_the_picture_and_its_renditions_to_the_bucket(
    client, editor, s3_bucket: Bucket
):
    image = add_picture(client)
    assert s3_bucket.keys() == stored_names(image)
    assert len(image.renditions) == 6
    for rendition in image.renditions:
        with PillowImage.open(io.BytesIO(s3_bucket.read(rendition["name"]))) as stored:
            assert stored.size == (rendition["width"], rendition["height"])
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on the local disk


def test_pages_link_to_pictures_in_the_bucket(client, editor, s3_bucket: Bucket):
    image = add_picture(client)
    client.logout()
    article = make_article(body=f"Before.\n\n[image:{image.pk}]\n\nAfter.")
    html = client.get(article.get_absolute_url()).text
    urls = re.findall(r"(http://127\.0\.0\.1:\d+/\S+?\.(?:webp|jpg))", html)
    bucket_url = f"{s3_bucket.env['AWS_S3_ENDPOINT_URL']}/{s3_bucket.name}/"
    assert urls
    assert {url.removeprefix(bucket_url) for url in urls} == {
        rendition["name"] for rendition in image.renditions
    }
    body, headers = fetch(urls[0])
    assert body == s3_bucket.read(urls[0].removeprefix(bucket_url))
    assert headers["Cache-Control"] == MEDIA_CACHE_CONTROL
    assert headers["Content-Type"] in {"image/webp", "image/jpeg"}


def test_an_avatar_goes_to_the_bucket_and_the_profile_shows_it(client, s3_bucket: Bucket):
    user = make_user()
    client.force_login(user)
    photo = SimpleUploadedFile("me.jpg", jpeg((600, 600)))
    response = client.post(
        "/accounts/profile/", {"display_name": "Ada", "bio": "", "avatar": photo}
    )
    assert response.status_code == 302, response.text
    user.refresh_from_db()
    assert s3_bucket.keys() == [user.avatar.name]
    assert user.avatar.name.startswith("avatars/")
    html = client.get("/accounts/profile/").text
    (url,) = re.findall(r'class="avatar avatar--large" src="([^"]+)"', html)
    assert url.startswith(f"{s3_bucket.env['AWS_S3_ENDPOINT_URL']}/{s3_bucket.name}/avatars/")
    body, _ = fetch(url)
    with PillowImage.open(io.BytesIO(body)) as stored:
        assert (stored.format, stored.size) == ("WEBP", (512, 512))


def test_deleting_a_picture_removes_its_files_from_the_bucket(
    client, editor, s3_bucket: Bucket, django_capture_on_commit_callbacks
):
    image = add_picture(client)
    other = add_picture_again(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert s3_bucket.keys() == stored_names(other)


def add_picture_again(client) -> Image:
    known = set(Image.objects.values_list("pk", flat=True))
    client.post(
        "/admin/images/image/add/",
        {"upload": SimpleUploadedFile("b.jpg", jpeg((500, 500))), "alt_text": "Another"},
    )
    return Image.objects.exclude(pk__in=known).get()


# On the local disk.


def files_on_disk() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_deleting_selected_pictures_removes_their_files_from_the_media_folder(
    client, editor, django_capture_on_commit_callbacks
):
    first = add_picture(client)
    second = add_picture_again(client)
    kept = add_picture_again(client)
    assert files_on_disk() == sorted(
        [*stored_names(first), *stored_names(second), *stored_names(kept)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/images/image/",
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert list(Image.objects.all()) == [kept]
    assert files_on_disk() == stored_names(kept)


def test_a_delete_that_rolls_back_keeps_every_file(client, editor):
    """The files go only once the rows' deletion has committed."""
    image = add_picture(client)
    pk, before = image.pk, files_on_disk()
    with pytest.raises(RuntimeError), transaction.atomic():
        remove_images(images=[image])
        raise RuntimeError("the delete fails after the row")
    assert Image.objects.filter(pk=pk).exists()
    assert files_on_disk() == before

"""Hostile pictures, made by Pillow, uploaded as avatars and to the image library.

A PNG's text (zTXt) and colour-profile (iCCP) chunks are compressed: a few kilobytes may
inflate to megabytes, which Pillow refuses with an error of its own. Such files get a clear
message; files that are accepted are stored as pixels only, in sRGB.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from accounts.models import User
from images.models import Image as LibraryImage
from images.processing import TOO_MUCH_METADATA
from tests.factories import make_user

pytestmark = pytest.mark.django_db

INFLATED = 5 * 1024 * 1024  # five megabytes of zeros compress to a few kilobytes
RED = (200, 30, 30)


def png_with_huge_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "a" * INFLATED, zip=True)  # a zTXt chunk
    output = io.BytesIO()
    Image.new("RGB", (600, 400), RED).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def png_with_huge_profile() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (600, 400), RED).save(output, format="PNG", icc_profile=b"\0" * INFLATED)
    return output.getvalue()


def profile_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_comment_and_profile() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (600, 400), RED).save(
        output, format="JPEG", comment=b"taken at 12 Home Street", icc_profile=profile_bytes()
    )
    return output.getvalue()


def png_with_text_and_profile() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Someone's full name")
    info.add_itxt("Location", "12 Home Street", zip=True)
    output = io.BytesIO()
    Image.new("RGBA", (600, 400), (*RED, 255)).save(
        output, format="PNG", pnginfo=info, icc_profile=profile_bytes()
    )
    return output.getvalue()


def only_pixels(path) -> None:
    """The stored file holds no profile, comment, text or EXIF."""
    with Image.open(path) as stored:
        stored.load()
        kept = set(stored.info) & {"icc_profile", "comment", "exif", "xmp", "Author", "Location"}
        assert kept == set(), f"{path.name} keeps {kept}"
        assert getattr(stored, "text", {}) == {}, path.name
        assert stored.convert("RGB").getpixel((10, 10)) == pytest.approx(RED, abs=8)


@pytest.fixture
def editor(client):
    client.force_login(make_user(role="Editors"))


def add_to_library(client, content: bytes, name: str):
    return client.post(
        reverse("admin:images_image_add"),
        {"upload": SimpleUploadedFile(name, content), "alt_text": "A red square"},
    )


def set_avatar(client, content: bytes, name: str):
    return client.post(
        reverse("accounts:profile"),
        {"display_name": "Typed name", "bio": "", "avatar": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("content", [png_with_huge_text(), png_with_huge_profile()])
def test_the_library_refuses_inflating_chunks_with_a_message(client, editor, content):
    response = add_to_library(client, content, "inflating.png")
    assert response.status_code == 200
    assert TOO_MUCH_METADATA.split(".")[0] in response.text
    assert 'value="A red square"' in response.text  # what was typed is kept
    assert not LibraryImage.objects.exists()


@pytest.mark.parametrize("content", [png_with_huge_text(), png_with_huge_profile()])
def test_avatars_refuse_inflating_chunks_with_a_message(client, content):
    user = make_user(username="ada")
    client.force_login(user)
    response = set_avatar(client, content, "inflating.png")
    assert response.status_code == 200
    assert TOO_MUCH_METADATA.split(".")[0] in response.text
    assert 'value="Typed name"' in response.text
    user.refresh_from_db()
    assert not user.avatar and user.display_name == ""


@pytest.mark.parametrize(
    ("content", "name"),
    [(jpeg_with_comment_and_profile(), "photo.jpg"), (png_with_text_and_profile(), "photo.png")],
)
def test_library_files_keep_pixels_only(client, editor, content, name):
    response = add_to_library(client, content, name)
    assert response.status_code == 302
    picture = LibraryImage.objects.get()
    only_pixels(picture.file.path)
    assert picture.renditions
    for rendition in picture.renditions:
        only_pixels(settings.MEDIA_ROOT / rendition["name"])


def test_avatars_keep_pixels_only(client):
    user = make_user(username="ada")
    client.force_login(user)
    response = set_avatar(client, jpeg_with_comment_and_profile(), "photo.jpg")
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    only_pixels(user.avatar.path)

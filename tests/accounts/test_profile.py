import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from articles.models import Article
from comments.models import Comment
from tests.factories import PASSWORD, make_article, make_comment, make_png_claiming, make_user

pytestmark = pytest.mark.django_db

GPS_TAG = 0x8825


def picture(*, format: str = "JPEG", size=(800, 600), with_gps: bool = False, name=None):
    image = Image.new("RGB", size, (40, 120, 110))
    output = io.BytesIO()
    options = {}
    if with_gps:
        exif = Image.Exif()
        exif[GPS_TAG] = {1: "N", 2: (51.0, 30.0, 0.0)}
        options["exif"] = exif
    image.save(output, format=format, **options)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(name or f"photo.{extension}", output.getvalue())


@pytest.fixture
def user(client):
    user = make_user(username="ada", display_name="Ada")
    client.force_login(user)
    return user


def test_profile_needs_sign_in(client):
    assertRedirects(client.get("/accounts/profile/"), "/accounts/login/?next=/accounts/profile/")


def test_edit_profile_with_a_photo(client, user):
    upload = picture(with_gps=True, size=(900, 600))
    assert GPS_TAG in Image.open(io.BytesIO(upload.read())).getexif()
    upload.seek(0)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "Ada L.", "bio": "Physiotherapist.", "avatar": upload},
        follow=True,
    )
    assertContains(response, "Your profile is saved.")
    user.refresh_from_db()
    assert user.display_name == "Ada L."
    assert user.bio == "Physiotherapist."
    assert user.avatar.name.endswith(".webp")
    with Image.open(user.avatar.path) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (512, 512)
        assert not stored.getexif()
        assert "exif" not in stored.info
    assertContains(response, f'src="{user.avatar.url}"')


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: picture(format="GIF"), "Please upload a JPEG, PNG or WebP picture."),
        (
            lambda: picture(size=(5001, 5000)),
            "The picture is 5,001 by 5,000 pixels (25,005,000); at most 25 megapixels",
        ),
        (
            lambda: SimpleUploadedFile("bomb.png", make_png_claiming(width=20_000, height=20_000)),
            "pixels; at most 25 megapixels (25,000,000 pixels) are accepted.",
        ),
        (
            lambda: SimpleUploadedFile("notes.jpg", b"this is not a picture at all"),
            "This file could not be read as a picture",
        ),
        (
            lambda: SimpleUploadedFile("huge.jpg", picture().read() + b"\0" * (5 * 1024 * 1024)),
            "larger than 5 MB",
        ),
    ],
    ids=["gif", "too-many-pixels", "decompression-bomb", "not-an-image", "too-large"],
)
def test_refused_photos_save_nothing_and_keep_the_text(client, user, upload, message):
    response = client.post(
        "/accounts/profile/", {"display_name": "Typed name", "bio": "", "avatar": upload()}
    )
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'value="Typed name"')
    user.refresh_from_db()
    assert user.display_name == "Ada"
    assert not user.avatar


def test_a_new_photo_replaces_the_old_file(client, user, django_capture_on_commit_callbacks):
    client.post("/accounts/profile/", {"display_name": "Ada", "bio": "", "avatar": picture()})
    user.refresh_from_db()
    old = Path(user.avatar.path)
    assert old.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/profile/", {"display_name": "Ada", "bio": "", "avatar": picture()}
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert Path(user.avatar.path).is_file()
    assert Path(user.avatar.path) != old
    assert not old.exists()


def test_a_deleted_account_leaves_no_photo(client, user, django_capture_on_commit_callbacks):
    client.post("/accounts/profile/", {"display_name": "Ada", "bio": "", "avatar": picture()})
    user.refresh_from_db()
    photo = Path(user.avatar.path)
    assert photo.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/delete/", {"password": PASSWORD})
    assert not User.objects.filter(pk=user.pk).exists()
    assert not photo.exists()


def test_delete_account_asks_for_the_password(client, user):
    article = make_article()
    comment = make_comment(article=article, user=user, body="My kind words")
    response = client.post("/accounts/delete/", {"password": "wrong"})
    assertContains(response, "That is not your password. Nothing was deleted.")
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assertContains(response, "Your account is deleted.")
    assert not User.objects.filter(pk=user.pk).exists()
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.user is None
    page = client.get(article.get_absolute_url())
    assertContains(page, "Deleted user")
    assertContains(page, "My kind words")
    assertContains(page, "Login is required before commenting.")


def test_authors_cannot_delete_their_account_here(client):
    author = make_user(username="writer")
    make_article(author=author)
    client.force_login(author)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assertContains(response, "cannot be deleted here")
    assert User.objects.filter(pk=author.pk).exists()


def test_medical_reviewers_cannot_delete_their_account_here(client):
    reviewer = make_user(username="doctor", credentials="MD, neurologist")
    article = make_article()
    Article.objects.filter(pk=article.pk).update(reviewer=reviewer, reviewed_on=date(2026, 1, 5))
    client.force_login(reviewer)
    assertContains(client.get("/accounts/delete/"), "named as the author or medical reviewer")
    assertNotContains(client.get("/accounts/delete/"), "Delete my account</button>")

    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assertContains(response, "cannot be deleted here")
    assert User.objects.filter(pk=reviewer.pk).exists()
    assert Article.objects.get(pk=article.pk).reviewer == reviewer

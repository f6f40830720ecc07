"""The image library: upload checks with real bad files, re-encoding, renditions, and the
markup pages use for the hero image and pictures in the body."""

import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains

from articles.models import Article, Reference
from images.models import Image
from tests.articles.editorial.admin_forms import admin_form
from tests.factories import make_article, make_category, make_png_claiming, make_user

pytestmark = pytest.mark.django_db


def picture_bytes(*, size=(1200, 800), image_format="JPEG", mode="RGB", **save_options) -> bytes:
    picture = PillowImage.new(mode, size, "teal" if mode != "L" else 128)
    output = io.BytesIO()
    picture.save(output, format=image_format, **save_options)
    return output.getvalue()


def jpeg_with_gps() -> bytes:
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    return picture_bytes(exif=exif.tobytes())


def upload(client, content: bytes, *, name: str = "photo.jpg", alt_text: str = "A walk"):
    return client.post(
        "/admin/images/image/add/",
        {
            "upload": SimpleUploadedFile(name, content),
            "alt_text": alt_text,
            "caption": "Walking by the river",
            "credit": "Photo: A. Jones",
        },
    )


def stored_files() -> list:
    folder = settings.MEDIA_ROOT / "images"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def editor(client):
    user = make_user(role="Editors")
    client.force_login(user)
    return user


# Accepted uploads.


def test_upload_is_re_encoded_without_metadata_and_cut_into_renditions(client, editor):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    response = upload(client, original)
    assert response.status_code == 302, response.text
    image = Image.objects.get()
    assert (image.width, image.height, image.alt_text) == (1200, 800, "A walk")
    assert image.uploaded_by == editor
    with PillowImage.open(image.file.path) as master:
        assert master.format == "JPEG"
        assert dict(master.getexif()) == {}
    assert b"PhoneMaker" not in image.file.read()
    made = sorted((r["format"], r["width"], r["height"]) for r in image.renditions)
    assert made == [
        ("jpg", 480, 320), ("jpg", 960, 640), ("jpg", 1200, 800),
        ("webp", 480, 320), ("webp", 960, 640), ("webp", 1200, 800),
    ]  # fmt: skip
    for rendition in image.renditions:
        with PillowImage.open(settings.MEDIA_ROOT / rendition["name"]) as made_file:
            assert made_file.size == (rendition["width"], rendition["height"])
            assert made_file.format == {"jpg": "JPEG", "webp": "WEBP"}[rendition["format"]]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (picture_bytes(image_format="PNG", mode="RGBA"), "clear.png"),
        (picture_bytes(image_format="WEBP"), "photo.webp"),
        (picture_bytes(image_format="GIF", mode="L"), "drawing.gif"),
    ],
    ids=["png", "webp", "gif"],
)
def test_png_webp_and_gif_are_accepted(client, editor, content, name):
    assert upload(client, content, name=name).status_code == 302
    assert Image.objects.get().renditions


def test_small_pictures_are_never_upscaled(client, editor):
    upload(client, picture_bytes(size=(300, 200)))
    widths = {rendition["width"] for rendition in Image.objects.get().renditions}
    assert widths == {300}


def test_pictures_wider_than_the_widest_rendition_get_each_width_once(client, editor):
    assert upload(client, picture_bytes(size=(2400, 1600))).status_code == 302
    image = Image.objects.get()
    for image_format in ("webp", "jpg"):
        widths = [r["width"] for r in image.renditions if r["format"] == image_format]
        assert widths == [480, 960, 1440, 1920], image_format
    renditions = [path for path in stored_files() if "renditions" in path.parts]
    assert len(renditions) == len(image.renditions) == 8
    client.logout()
    article = make_article(body=f"[image:{image.pk}]")
    html = client.get(article.get_absolute_url()).text
    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert len(srcsets) == 2  # WebP, then JPEG
    for srcset in srcsets:
        assert re.findall(r" (\d+)w", srcset) == ["480", "960", "1440", "1920"], srcset


def test_appended_html_does_not_survive(client, editor):
    content = picture_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    assert upload(client, content).status_code == 302
    for path in stored_files():
        assert b"<script" not in path.read_bytes(), path


# Refused uploads: a clear message and nothing stored.


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            picture_bytes() + b"\0" * (10 * 1024 * 1024),
            "huge.jpg",
            "The picture is larger than 10 MB.",
        ),
        (
            picture_bytes(size=(8000, 5001), image_format="PNG", mode="L"),
            "wide.png",
            "The picture is 8,000 by 5,001 pixels (40,008,000); at most 40 megapixels "
            "(40,000,000 pixels) are accepted.",
        ),
        (
            make_png_claiming(width=20_000, height=20_000),
            "bomb.png",
            "pixels; at most 40 megapixels (40,000,000 pixels) are accepted.",
        ),
        (
            b"<html><body><script>alert(1)</script></body></html>",
            "page.jpg",
            "This file could not be read as a picture, whatever its name says.",
        ),
        (
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            "document.png",
            "This file could not be read as a picture, whatever its name says.",
        ),
        (
            picture_bytes(image_format="BMP"),
            "bitmap.png",
            "This file is a BMP picture. Please upload a JPEG, PNG, WebP or GIF picture.",
        ),
        (picture_bytes()[:300], "cut.jpg", "could not be read as a picture"),
    ],
    ids=[
        "over-10-MB",
        "over-40-megapixels",
        "decompression-bomb",
        "html-renamed",
        "pdf-renamed",
        "bmp",
        "truncated",
    ],
)
def test_bad_files_are_refused_with_a_clear_message(client, editor, content, name, message):
    response = upload(client, content, name=name)
    assertContains(response, message)
    assert not Image.objects.exists()
    assert stored_files() == []


def test_alt_text_is_required(client, editor):
    response = upload(client, picture_bytes(), alt_text="")
    assertContains(response, "This field is required.")
    assert not Image.objects.exists()
    assert stored_files() == []


def test_authors_can_add_pictures_but_not_delete_them(client):
    client.force_login(make_user(role="Authors"))
    assert upload(client, picture_bytes()).status_code == 302
    image = Image.objects.get()
    assert client.get(f"/admin/images/image/{image.pk}/delete/").status_code == 403


def test_text_can_be_edited_but_the_picture_stays(client, editor):
    upload(client, picture_bytes())
    image = Image.objects.get()
    response = client.post(
        f"/admin/images/image/{image.pk}/change/",
        {"alt_text": "A slow walk", "caption": "", "credit": ""},
    )
    assert response.status_code == 302, response.text
    image.refresh_from_db()
    assert image.alt_text == "A slow walk"
    assert image.width == 1200


def test_a_pictures_text_is_stored_with_plain_line_breaks(client, editor):
    upload(client, picture_bytes())
    image = Image.objects.get()
    response = client.post(
        f"/admin/images/image/{image.pk}/change/",
        {"alt_text": "A slow\r\nwalk", "caption": "By the\rriver", "credit": "A.\r\nJones"},
    )
    assert response.status_code == 302, response.text
    image.refresh_from_db()
    assert (image.alt_text, image.caption, image.credit) == (
        "A slow\nwalk",
        "By the\nriver",
        "A.\nJones",
    )


def test_the_library_shows_each_picture_small_and_how_to_place_it(client, editor):
    upload(client, picture_bytes(size=(1200, 800)))
    image = Image.objects.get()
    jpegs = [rendition for rendition in image.renditions if rendition["format"] == "jpg"]
    smallest = min(jpegs, key=lambda rendition: rendition["width"])["name"]
    listing = client.get("/admin/images/image/")
    assertContains(listing, f'<img src="/media/{smallest}" alt="" width="160" height="107">')
    change = client.get(f"/admin/images/image/{image.pk}/change/")
    assertContains(change, f"Hero image: choose #{image.pk}.")
    assertContains(change, f"In an article body, a line of its own: [image:{image.pk}]")


def test_a_picture_whose_row_cannot_be_saved_leaves_no_file(client, editor, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("The database refused the row.")

    monkeypatch.setattr(Image, "save", refuse)
    with pytest.raises(DatabaseError):
        upload(client, picture_bytes())
    assert not Image.objects.exists()
    assert stored_files() == []


# The markup.


@pytest.fixture
def pictures(client, editor):
    upload(client, picture_bytes(), alt_text="A physiotherapist helping a man stand")
    upload(client, picture_bytes(size=(800, 600), image_format="PNG"), alt_text="Exercise chart")
    hero, chart = Image.objects.order_by("pk")
    client.logout()
    return hero, chart


def test_hero_and_body_pictures_use_picture_srcset_and_sizes(client, pictures):
    hero, chart = pictures
    article = make_article(body=f"## Exercises\n\nText.\n\n[image:{chart.pk}]\n\nMore text.")
    article.hero_image = hero
    article.save()
    response = client.get(article.get_absolute_url())
    html = response.text
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert len(figures) == 2
    hero_html, body_html = figures
    assert 'class="figure figure--hero"' in hero_html
    assert 'fetchpriority="high"' in hero_html and 'loading="lazy"' not in hero_html
    assert 'loading="lazy"' in body_html and "fetchpriority" not in body_html
    assert 'width="1200" height="800"' in hero_html
    assert 'width="800" height="600"' in body_html
    assert 'alt="A physiotherapist helping a man stand"' in hero_html
    assert 'alt="Exercise chart"' in body_html
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', hero_html)
    assert webp is not None
    assert re.fullmatch(
        r"/media/images/renditions/\w+-480\.webp 480w, "
        r"/media/images/renditions/\w+-960\.webp 960w, "
        r"/media/images/renditions/\w+-1200\.webp 1200w",
        webp.group(1),
    )
    assert webp.group(2) == "(min-width: 52rem) 48rem, 100vw"
    assert re.search(
        r'<img src="/media/images/renditions/\w+-960\.jpg" srcset="[^"]+480w', hero_html
    )
    assert "<figcaption>Walking by the river" in hero_html
    assert "Photo: A. Jones" in hero_html
    for url in re.findall(r"(/media/\S+) \d+w", hero_html):
        assert (settings.MEDIA_ROOT / url.removeprefix("/media/")).is_file(), url


def test_unknown_picture_in_the_body_is_refused(client, pictures, editor):
    article = make_article(body="Text.", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, body="Text.\n\n[image:99999]\n"),
    )
    assertContains(response, "No image in the library for [image:99999].")
    article.refresh_from_db()
    assert article.body == "Text."


def test_a_picture_typed_in_the_admin_with_browser_line_breaks_shows(client, pictures, editor):
    # Browsers send a textarea's line breaks as CRLF.
    _, chart = pictures
    article = make_article(body="Text.", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, body=f"Intro\r\n\r\n[image:{chart.pk}]\r\n\r\nMore"),
    )
    assert response.status_code == 302, response.text
    preview = client.get(f"/admin/articles/article/{article.pk}/preview/")
    figures = re.findall(r"<figure.*?</figure>", preview.text, re.S)
    assert len(figures) == 1
    assert 'alt="Exercise chart"' in figures[0]
    assert re.search(r'<img src="/media/images/renditions/\w+-\d+\.jpg"', figures[0])
    article.refresh_from_db()
    assert article.body == f"Intro\n\n[image:{chart.pk}]\n\nMore"


def test_unknown_picture_on_any_line_is_refused_with_browser_line_breaks(client, pictures, editor):
    article = make_article(body="Text.", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, body="Text.\r\n\r\n[image:99999]\r\n\r\nMore text."),
    )
    assertContains(response, "No image in the library for [image:99999].")
    article.refresh_from_db()
    assert article.body == "Text."


def test_articles_show_a_pictures_new_text_once_it_is_edited(client, pictures, editor):
    hero, chart = pictures
    showing = make_article(title="Knee exercises", body=f"## Moves\n\n[image:{chart.pk}]\n")
    other = make_article(body=f"[image:{hero.pk}]")
    other_html = other.body_html
    client.force_login(editor)
    response = client.post(
        f"/admin/images/image/{chart.pk}/change/",
        {"alt_text": "Chart of six knee exercises", "caption": "Do each daily", "credit": "NHS"},
    )
    assert response.status_code == 302, response.text
    client.logout()
    page = client.get(showing.get_absolute_url())
    figure = re.search(r"<figure.*?</figure>", page.text, re.S)
    assert figure is not None
    body = figure.group(0)
    assert 'alt="Chart of six knee exercises"' in body
    assert "<figcaption>Do each daily" in body
    assert "NHS" in body
    showing.refresh_from_db()
    assert 'alt="Chart of six knee exercises"' in showing.body_html
    other.refresh_from_db()
    assert other.body_html == other_html
    assert re.findall(
        r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>',
        client.get("/search/", {"q": "daily"}).text,
    ) == ["Knee exercises"]


def test_alt_text_from_the_library_is_escaped_in_the_body(client, pictures):
    _, chart = pictures
    Image.objects.filter(pk=chart.pk).update(alt_text='Chart" onerror="alert(1)')
    article = make_article(body=f"[image:{chart.pk}]")
    assert 'alt="Chart&quot; onerror=&quot;alert(1)"' in article.body_html


def test_article_page_queries_stay_fixed_with_everything(client, pictures, no_page_cache):
    hero, _ = pictures
    doctor = make_user(credentials="MD")
    category = make_category()
    plain = make_article(category=make_category(), tags=["alone"])
    full = make_article(category=category, tags=["knees", "pain"], body="Claim [1] [2].")
    full.hero_image, full.reviewer, full.reviewed_on = hero, doctor, date(2026, 1, 5)
    full.save()
    for number in (1, 2):
        Reference.objects.create(
            article=full, number=number, title=f"Source {number}", url="https://a.example/"
        )
    for _ in range(6):
        make_article(category=category, tags=["knees"])

    def count(article: Article) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return len(queries)

    page = client.get(full.get_absolute_url())
    for shown in ("<picture>", "Sources", "Related articles", "Medically reviewed by"):
        assertContains(page, shown)
    assert count(full) == count(plain) <= 8

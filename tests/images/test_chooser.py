"""The article editor's picture chooser, from the outside: searching and paging the library,
who may use it, and uploading from it (as a page of its own and as the dialog's content)."""

import io
import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains, assertNotContains

from images.models import Image, ImageTag
from images.views import PER_PAGE
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/images/image/chooser/"
UPLOAD = "/admin/images/image/chooser/upload/"
FRAGMENT = {"X-Image-Chooser": "fragment"}


def library_image(
    *,
    alt_text: str = "A picture",
    title: str = "",
    caption: str = "",
    tags: tuple[str, ...] = (),
    uploaded: datetime | None = None,
) -> Image:
    """A library row as an upload leaves it; its files are not needed to list it."""
    image = Image.objects.create(
        alt_text=alt_text,
        title=title,
        caption=caption,
        width=1200,
        height=800,
        renditions=[
            {"format": fmt, "width": width, "height": width * 2 // 3, "name": f"r/{fmt}-{width}"}
            for fmt in ("webp", "jpg")
            for width in (960, 480)
        ],
    )
    if tags:
        image.tags.set(list(tags))
    if uploaded:
        Image.objects.filter(pk=image.pk).update(created_at=uploaded)
    return image


def png_bytes(size=(60, 40)) -> bytes:
    output = io.BytesIO()
    PillowImage.new("RGB", size, "teal").save(output, format="PNG")
    return output.getvalue()


def shown_codes(response) -> list[str]:
    return re.findall(r'data-image-code="(\[image:\d+\])"', response.text)


@pytest.fixture
def author(client):
    user = make_user(username="writer", role="Authors")
    client.force_login(user)
    return user


# Searching and paging.


@pytest.fixture
def library():
    return {
        "title": library_image(alt_text="A man on crutches", title="Ward round 2025"),
        "alt": library_image(alt_text="A physiotherapist helping a woman stand"),
        "caption": library_image(alt_text="Hands", caption="Stretching after a long walk"),
        "tag": library_image(alt_text="A river path", tags=("outdoors", "walking")),
        "date": library_image(
            alt_text="A bowl of soup",
            uploaded=datetime(2024, 2, 29, 23, 30, tzinfo=timezone.get_current_timezone()),
        ),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ward ROUND", "title"),
        ("physiotherapist", "alt"),
        ("long walk", "caption"),
        ("outdoor", "tag"),
        ("2024-02-29", "date"),
        ("29 February 2024", "date"),
        ("29 Feb 2024", "date"),
        ("February 2024", "date"),
        ("2024-02", "date"),
    ],
)
def test_search_finds_pictures_by_each_field(client, author, library, query, found):
    response = client.get(CHOOSER, {"q": query}, headers=FRAGMENT)
    assert shown_codes(response) == [f"[image:{library[found].pk}]"]
    assertContains(response, f"matching “{query}”")


def test_search_by_year_and_nothing_found(client, author, library):
    response = client.get(CHOOSER, {"q": "2024"}, headers=FRAGMENT)
    assert shown_codes(response) == [f"[image:{library['date'].pk}]"]
    response = client.get(CHOOSER, {"q": "x-ray"}, headers=FRAGMENT)
    assert shown_codes(response) == []
    assertContains(response, "No picture matches “x-ray”.")


def test_image_tags_never_become_article_topics(client, author, library):
    from taggit.models import Tag

    assert set(ImageTag.objects.values_list("name", flat=True)) == {"outdoors", "walking"}
    assert not Tag.objects.filter(name__in=["outdoors", "walking"]).exists()
    assert client.get("/tags/outdoors/").status_code == 404


def test_newest_first_in_pages_with_a_fixed_number_of_queries(
    client, author, django_assert_num_queries
):
    images = [library_image(alt_text=f"Picture {number}") for number in range(PER_PAGE + 3)]
    newest_first = [f"[image:{image.pk}]" for image in reversed(images)]

    with django_assert_num_queries(5):  # session, user, permissions (2), the page
        first = client.get(CHOOSER, headers=FRAGMENT)
    assert shown_codes(first) == newest_first[:PER_PAGE]
    assertContains(first, "Pictures 1 to 24")
    assertContains(first, 'href="?page=2"')
    assertNotContains(first, "Previous page")

    with django_assert_num_queries(5):
        second = client.get(CHOOSER, {"page": 2}, headers=FRAGMENT)
    assert shown_codes(second) == newest_first[PER_PAGE:]
    assertContains(second, "Previous page")
    assertNotContains(second, "Next page")

    # Four times the pictures, a search through them and their tags: the same queries.
    for number in range(3 * PER_PAGE + 1):
        library_image(alt_text=f"Picture {number}", tags=("stock",))
    with django_assert_num_queries(5):
        searched = client.get(CHOOSER, {"q": "stock", "page": 3}, headers=FRAGMENT)
    assert len(shown_codes(searched)) == PER_PAGE
    assertContains(searched, 'href="?q=stock&amp;page=4"')


def test_thumbnails_are_the_smallest_rendition_with_the_alt_text(client, author):
    image = library_image(alt_text="A nurse & a patient <smiling>")
    response = client.get(CHOOSER, headers=FRAGMENT)
    assertContains(response, 'src="/media/r/jpg-480"')
    assertNotContains(response, "jpg-960")
    assertContains(response, "A nurse &amp; a patient &lt;smiling&gt;")
    assertContains(response, f"<code>[image:{image.pk}]</code>", html=False)


def test_the_fragment_is_the_dialog_content_and_the_page_works_without_javascript(client, author):
    image = library_image(alt_text="A river path")
    fragment = client.get(CHOOSER, headers=FRAGMENT)
    assert "<html" not in fragment.text
    assertContains(fragment, f'<button type="button" class="image-chooser__choose" '
                   f'data-image-code="[image:{image.pk}]">', html=False)  # fmt: skip
    assert "X-Image-Chooser" in fragment["Vary"]

    page = client.get(CHOOSER)
    assertContains(page, "<html")
    assertContains(page, "Choose a picture")
    assertContains(page, f"<code>[image:{image.pk}]</code>")
    assertContains(page, "copy its code")
    assert shown_codes(page) == []  # nothing to click without the script: a code to copy
    assert "X-Image-Chooser" in page["Vary"]
    assertContains(client.get("/admin/images/image/"), f'href="{CHOOSER}"')


def test_the_article_form_loads_the_chooser(client, author):
    article = make_article(author=author, status="draft")
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assertContains(
        response,
        f'<script src="/static/js/image-chooser.js" data-chooser-url="{CHOOSER}" '
        f'data-upload-url="{UPLOAD}" defer></script>',
        html=False,
    )
    assertContains(response, 'href="/static/css/image-chooser.css"')


# Who may use it.


@pytest.mark.parametrize("role", ["Authors", "Editors"])
def test_article_writers_may_choose_and_upload(client, role):
    client.force_login(make_user(role=role))
    library_image(alt_text="A river path")
    assertContains(client.get(CHOOSER, headers=FRAGMENT), "A river path")
    assertContains(client.get(UPLOAD), 'name="alt_text"')


@pytest.mark.parametrize("role", ["Moderators", "Medical reviewers"])
def test_other_staff_may_not(client, role):
    client.force_login(make_user(role=role))
    library_image(alt_text="A river path")
    assert client.get(CHOOSER).status_code == 403
    assert client.get(CHOOSER, headers=FRAGMENT).status_code == 403
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes()),
                                    "alt_text": "Sneaky"})  # fmt: skip
    assert response.status_code == 403
    assert not Image.objects.filter(alt_text="Sneaky").exists()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_and_visitors_are_sent_to_sign_in(client, who):
    if who == "reader":
        client.force_login(make_user())
    for url in (CHOOSER, UPLOAD):
        response = client.get(url, headers=FRAGMENT)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes()),
                                    "alt_text": "Sneaky"})  # fmt: skip
    assert response.status_code == 302
    assert not Image.objects.exists()


def test_uploads_need_the_csrf_token(author):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(
        UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes()), "alt_text": "No token"}
    )
    assert response.status_code == 403
    assert not Image.objects.exists()
    form = client.get(UPLOAD, headers=FRAGMENT)
    assertContains(form, 'name="csrfmiddlewaretoken"')


# Uploading from the chooser.


def upload(client, *, content: bytes | None = None, name: str = "walk.png", **fields):
    data = {
        "upload": SimpleUploadedFile(name, png_bytes() if content is None else content),
        "alt_text": "Two people walking by a river",
        "caption": "Walking after surgery",
        "credit": "Photo: A. Jones",
        **fields,
    }
    return client.post(UPLOAD, data, headers=FRAGMENT)


def test_an_upload_in_the_dialog_answers_with_the_code_to_insert(client, author):
    response = upload(client)
    image = Image.objects.get()
    assertContains(response, f'data-image-code="[image:{image.pk}]"')
    assert (image.alt_text, image.caption, image.credit) == (
        "Two people walking by a river",
        "Walking after surgery",
        "Photo: A. Jones",
    )
    assert image.uploaded_by == author
    assert (image.width, image.height) == (60, 40)
    assert {r["format"] for r in image.renditions} == {"webp", "jpg"}


def test_an_upload_without_javascript_leads_back_to_the_library_with_its_code(client, author):
    response = client.post(
        UPLOAD,
        {"upload": SimpleUploadedFile("walk.png", png_bytes()), "alt_text": "A river path"},
        follow=True,
    )
    image = Image.objects.get()
    assert response.redirect_chain == [(CHOOSER, 302)]
    assertContains(response, f"put [image:{image.pk}] on a line of its own in the body")
    assertContains(response, f"<code>[image:{image.pk}]</code>")


@pytest.mark.parametrize(
    ("upload_fields", "message"),
    [
        ({"content": b"%PDF-1.4\n%%EOF", "name": "notes.png"}, "could not be read as a picture"),
        (
            {"content": png_bytes() + b"\0" * (10 * 1024 * 1024), "name": "huge.png"},
            "The picture is larger than 10 MB. Please choose a smaller file.",
        ),
        ({"alt_text": ""}, "Describe the picture for people who cannot see it."),
        ({"alt_text": "   "}, "Describe the picture for people who cannot see it."),
    ],
    ids=["not-a-picture", "over-10-MB", "no-alt-text", "blank-alt-text"],
)
def test_a_refused_upload_says_why_and_keeps_what_was_typed(client, author, upload_fields, message):
    response = upload(client, **upload_fields)
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'value="Walking after surgery"')
    assertContains(response, 'value="Photo: A. Jones"')
    if upload_fields.get("alt_text") is None:
        assertContains(response, 'value="Two people walking by a river"')
    assertContains(response, 'aria-invalid="true"')
    assert "<html" not in response.text
    assert not Image.objects.exists()


def test_a_chosen_picture_shows_in_the_article(client, author):
    upload(client)
    image = Image.objects.get()
    article = make_article(author=author, body=f"Before.\n\n[image:{image.pk}]\n\nAfter.\n")
    response = client.get(article.get_absolute_url())
    assertContains(response, 'alt="Two people walking by a river"')
    assertContains(response, "Walking after surgery")


def test_titles_and_tags_given_in_the_library_find_the_picture(client, author):
    image = library_image(alt_text="A river path")
    response = client.post(
        f"/admin/images/image/{image.pk}/change/",
        {
            "alt_text": "A river path",
            "caption": "",
            "credit": "",
            "title": "Riverside walk",
            "tags": "outdoors, walking",
        },
    )
    assert response.status_code == 302, response.text
    assert set(Image.objects.get().tags.names()) == {"outdoors", "walking"}
    for query in ("riverside", "walking"):
        found = client.get(CHOOSER, {"q": query}, headers=FRAGMENT)
        assert shown_codes(found) == [f"[image:{image.pk}]"]
    assertContains(client.get("/admin/images/image/", {"q": "outdoors"}), "A river path")
    image.delete()
    assert not ImageTag.objects.get(name="outdoors").tagged_images.exists()

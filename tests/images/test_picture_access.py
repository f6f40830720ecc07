"""Who may change a library picture's text: what readers of a live article see of it.

Two authors and an editor, through the admin. A picture shown by an article readers see
(its hero image, or placed in its body) is changed by editors only: its alt text and
caption are part of that article. Until one does, authors change it (their own pictures
and those in their drafts).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Article
from images.models import Image
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def upload_picture(client, alt_text: str) -> Image:
    output = io.BytesIO()
    PillowImage.new("RGB", (400, 300), (40, 120, 110)).save(output, format="JPEG")
    response = client.post(
        reverse("admin:images_image_add"),
        {"upload": SimpleUploadedFile("p.jpg", output.getvalue()), "alt_text": alt_text},
    )
    assert response.status_code == 302
    return Image.objects.get(alt_text=alt_text)


def change_text(client, picture: Image, alt_text: str):
    return client.post(
        reverse("admin:images_image_change", args=[picture.pk]),
        {"alt_text": alt_text, "caption": "", "credit": "", "title": "", "tags": ""},
    )


@pytest.fixture
def people(client):
    from django.test import Client

    def signed_in(user):
        session = Client()
        session.force_login(user)
        return session

    amara, tomas = make_user(role="Authors"), make_user(role="Authors")
    return {
        "amara": signed_in(amara),
        "tomas": signed_in(tomas),
        "editor": signed_in(make_user(role="Editors")),
        "users": {"amara": amara, "tomas": tomas},
    }


def test_a_picture_in_another_authors_live_article_is_changed_by_editors_only(people):
    picture = upload_picture(people["amara"], "A knee brace")
    live = make_article(
        author=people["users"]["tomas"], body=f"Brace it.\n\n[image:{picture.pk}]\n"
    )
    assert 'alt="A knee brace"' in live.body_html

    for who in ("amara", "tomas"):
        response = change_text(people[who], picture, "Something else entirely")
        assert response.status_code == 403, who
        # The page shows the picture's text, but read-only: no Save button.
        page = people[who].get(reverse("admin:images_image_change", args=[picture.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text, who
    picture.refresh_from_db()
    live.refresh_from_db()
    assert picture.alt_text == "A knee brace"
    assert 'alt="A knee brace"' in live.body_html
    assert "Something else" not in people["amara"].get(live.get_absolute_url()).text

    response = change_text(people["editor"], picture, "A hinged knee brace")
    assert response.status_code == 302
    live.refresh_from_db()
    assert 'alt="A hinged knee brace"' in live.body_html


@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.SCHEDULED])
def test_a_hero_image_of_a_live_article_is_changed_by_editors_only(people, status):
    from datetime import timedelta

    from django.utils import timezone

    picture = upload_picture(people["amara"], "A physiotherapist")
    article = make_article(
        author=people["users"]["amara"],
        status=status,
        published_at=timezone.now() + timedelta(days=2) if status == "scheduled" else None,
    )
    Article.objects.filter(pk=article.pk).update(hero_image=picture)
    assert change_text(people["amara"], picture, "Changed").status_code == 403
    assert change_text(people["editor"], picture, "Changed").status_code == 302


def test_authors_change_their_own_pictures_until_a_live_article_shows_them(people):
    picture = upload_picture(people["amara"], "A walking frame")
    # In her own draft, and in a draft of Tomas's: no reader sees it yet.
    make_article(author=people["users"]["amara"], status="draft", body=f"[image:{picture.pk}]\n")
    make_article(author=people["users"]["tomas"], status="draft", body=f"[image:{picture.pk}]\n")
    assert change_text(people["amara"], picture, "A folding walking frame").status_code == 302
    picture.refresh_from_db()
    assert picture.alt_text == "A folding walking frame"
    # Tomas, whose draft shows it too, may describe it better as well.
    assert change_text(people["tomas"], picture, "A folding frame").status_code == 302
    picture.refresh_from_db()
    assert picture.alt_text == "A folding frame"


def test_the_check_costs_the_same_queries_however_many_articles_show_it(people):
    picture = upload_picture(people["amara"], "A cane")
    page = reverse("admin:images_image_change", args=[picture.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert people["amara"].get(page).status_code == 200
        return len(captured)

    make_article(author=people["users"]["tomas"], status="draft", body=f"[image:{picture.pk}]")
    one = queries()
    for _ in range(4):
        make_article(author=people["users"]["tomas"], body=f"[image:{picture.pk}]")
    assert queries() == one

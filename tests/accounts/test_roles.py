"""Each editorial role, tried from the outside through the admin."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from articles.models import Article
from tests.factories import PASSWORD, make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


def article_form(category, **overrides) -> dict:
    return {
        "title": "Pacing your energy",
        "slug": "pacing-your-energy",
        "summary": "Plan rest before you need it.",
        "body": "## Plan\n\nRest first.",
        "category": category.pk,
        "tags": "fatigue, pacing",
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2026-01-10",
        "published_at_1": "09:00:00",
        # The references inline, empty.
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        **overrides,
    }


@pytest.fixture
def category():
    return make_category(name="Recovery", slug="recovery")


def test_editor_publishes(client, category):
    editor = make_user(username="ed", role="Editors")
    writer = make_user(username="writer", role="Authors")
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", article_form(category, author=writer.pk))
    assert response.status_code == 302, response.text
    article = Article.objects.get(slug="pacing-your-energy")
    assert article.status == Article.Status.PUBLISHED
    assert article.author == writer
    assert set(article.tags.names()) == {"fatigue", "pacing"}
    assert client.get(article.get_absolute_url()).status_code == 200


def test_author_writes_drafts_only(client, category):
    author = make_user(username="writer", role="Authors")
    client.force_login(author)
    form = client.get("/admin/articles/article/add/")
    assert form.status_code == 200
    assertNotContains(form, 'name="status"')

    response = client.post("/admin/articles/article/add/", article_form(category))
    assert response.status_code == 302
    article = Article.objects.get(slug="pacing-your-energy")
    assert article.status == Article.Status.DRAFT
    assert article.author == author
    assert client.get(article.get_absolute_url()).status_code == 404


def test_author_cannot_publish_their_draft_by_editing_it(client, category):
    author = make_user(username="writer", role="Authors")
    draft = make_article(author=author, category=category, status=Article.Status.DRAFT)
    client.force_login(author)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form(category, title="Edited title", slug=draft.slug),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Edited title"
    assert draft.status == Article.Status.DRAFT


def test_author_cannot_see_or_change_another_authors_draft(client, category):
    author = make_user(username="writer", role="Authors")
    other = make_user(username="other", role="Authors")
    secret = make_article(author=other, title="Private working notes", status=Article.Status.DRAFT)
    client.force_login(author)

    listing = client.get("/admin/articles/article/")
    assert listing.status_code == 200
    assertNotContains(listing, "Private working notes")

    page = client.get(f"/admin/articles/article/{secret.pk}/change/", follow=True)
    assertNotContains(page, "Private working notes")
    assertContains(page, "doesn\u2019t exist")

    client.post(
        f"/admin/articles/article/{secret.pk}/change/",
        article_form(category, title="Hijacked", slug=secret.slug),
    )
    secret.refresh_from_db()
    assert secret.title == "Private working notes"


def test_moderator_sees_comments_only(client):
    moderator = make_user(username="mod", role="Moderators")
    comment = make_comment(article=make_article(), body="Please check this claim")
    client.force_login(moderator)
    assertContains(client.get("/admin/comments/comment/"), "Comment")
    assert client.get(f"/admin/comments/comment/{comment.pk}/change/").status_code == 200
    assert client.get("/admin/articles/article/").status_code == 403
    assert client.get("/admin/articles/category/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403


def test_editor_edits_profiles_but_cannot_raise_access(client):
    editor = make_user(username="ed", role="Editors")
    writer = make_user(username="writer", role="Authors")
    client.force_login(editor)
    form = client.get(f"/admin/accounts/user/{writer.pk}/change/")
    assert form.status_code == 200
    assertNotContains(form, 'name="is_superuser"')
    assertNotContains(form, 'name="groups"')

    response = client.post(
        f"/admin/accounts/user/{writer.pk}/change/",
        {
            "first_name": "Wren",
            "last_name": "Writer",
            "display_name": "Wren W.",
            "bio": "",
            "credentials": "RN, rehabilitation nurse",
            "registration_number": "",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [],
        },
    )
    assert response.status_code == 302, response.text
    writer = User.objects.get(pk=writer.pk)
    assert writer.credentials == "RN, rehabilitation nurse"
    assert not writer.is_superuser
    assert list(writer.groups.values_list("name", flat=True)) == ["Authors"]


def test_editor_edits_a_readers_profile_and_a_superuser_sees_every_field(client):
    reader = make_user(username="reader")
    client.force_login(make_user(username="ed", role="Editors"))
    form = client.get(f"/admin/accounts/user/{reader.pk}/change/")
    assertContains(form, 'name="display_name"')
    assertNotContains(form, 'name="username"')  # read-only for editors
    response = client.post(
        f"/admin/accounts/user/{reader.pk}/change/",
        {"first_name": "", "last_name": "", "display_name": "Kind Reader", "bio": ""},
    )
    assert response.status_code == 302, response.text
    assert User.objects.get(pk=reader.pk).display_name == "Kind Reader"

    client.force_login(make_user(username="boss", is_superuser=True, is_staff=True))
    form = client.get(f"/admin/accounts/user/{reader.pk}/change/")
    for field in ("username", "is_superuser", "groups", "display_name"):
        assertContains(form, f'name="{field}"')


def test_readers_cannot_enter_the_admin(client):
    client.force_login(make_user(username="reader"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_only_superusers_set_passwords(client):
    editor = make_user(username="ed", role="Editors")
    boss = make_user(username="boss", is_superuser=True, is_staff=True)
    writer = make_user(username="writer", role="Authors")
    client.force_login(editor)
    new_password = {"password1": "taken-9x!", "password2": "taken-9x!", "usable_password": "true"}
    for target in (boss, writer):
        url = f"/admin/accounts/user/{target.pk}/password/"
        assert client.get(url).status_code == 403
        response = client.post(url, new_password)
        assert response.status_code == 403
        assert User.objects.get(pk=target.pk).check_password(PASSWORD)

    client.force_login(boss)
    response = client.post(f"/admin/accounts/user/{writer.pk}/password/", new_password)
    assert response.status_code == 302
    assert User.objects.get(pk=writer.pk).check_password("taken-9x!")


@pytest.mark.parametrize("role", ["superuser", "Editors", "Moderators"])
def test_editors_cannot_change_anyone_with_more_access_than_an_author(client, role):
    editor = make_user(username="ed", role="Editors")
    if role == "superuser":
        target = make_user(username="target", is_superuser=True, is_staff=True)
    else:
        target = make_user(username="target", role=role)
    client.force_login(editor)
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200  # read-only
    assertNotContains(page, 'name="display_name"')
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {"first_name": "", "last_name": "", "display_name": "Impostor", "bio": ""},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=target.pk).display_name == ""

"""Autosave in the article form: a private draft of what is typed, offered on opening the form
again, compared, restored through the version check, or discarded."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from reversion.models import Version

from articles.editorial.autosave import MAX_DRAFT_BYTES, Autosave
from articles.models import Article
from tests.articles.editorial.admin_forms import admin_form, pending_form, start_pending
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status

TYPED = "## What helps\n\nRest, fluids and a short walk each day.\n"
NOTICE = "You have unsaved changes from"
SAVED_AFTER = "The article was saved after these changes were typed"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def autosave_url(article: Article | None) -> str:
    return (
        f"/admin/articles/article/{article.pk}/autosave/"
        if article
        else "/admin/articles/article/autosave/"
    )


def autosave(client, article: Article | None, **values):
    """Post what the form's script posts a few seconds after typing."""
    version = article.updated_at.isoformat() if article is not None else ""
    return client.post(autosave_url(article), {"loaded_version": version, **values})


@pytest.fixture
def draft(author):
    return make_article(
        title="Sleep after surgery", slug="sleep", author=author, status=Status.DRAFT
    )


def body_in_form(response) -> str:
    """The text of the form's body field as the page shows it."""
    text = response.content.decode()
    start = text.index(">", text.index('name="body"')) + 1
    return html.unescape(text[start : text.index("</textarea>", start)]).strip()


def test_autosave_keeps_the_draft_privately_and_touches_nothing_else(client, author, draft):
    before = Article.objects.get(pk=draft.pk)
    revisions = Version.objects.get_for_object(draft).count()
    client.force_login(author)

    response = autosave(client, draft, title="Sleep after an operation", body=TYPED)

    assert response.status_code == 200
    saved_at = timezone.localtime(Autosave.objects.get().saved_at)
    assert response.json()["status"] == f"Draft saved {saved_at:%H:%M}"
    stored = Autosave.objects.get(user=author, article=draft)
    assert stored.values == {"title": "Sleep after an operation", "body": TYPED}
    assert stored.started_from == before.updated_at
    after = Article.objects.get(pk=draft.pk)
    assert (after.title, after.body, after.updated_at) == (
        before.title,
        before.body,
        before.updated_at,
    )
    assert Version.objects.get_for_object(draft).count() == revisions


def test_autosave_of_a_pending_version_leaves_the_live_article_and_its_readers_alone(
    client, author
):
    live = make_article(title="Knee pain", slug="knee-pain", author=author, body="Rest the knee.")
    client.force_login(author)
    version = start_pending(client, live)

    response = autosave(
        client, version, body="Cycle gently.", change_summary="New advice on exercise"
    )

    assert response.status_code == 200
    assert (
        Autosave.objects.get(article=version).values["change_summary"] == "New advice on exercise"
    )
    version.refresh_from_db()
    assert (version.body, version.change_summary) == ("Rest the knee.", "")
    reader = Client()
    page = reader.get(live.get_absolute_url())
    assertContains(page, "Rest the knee.")
    assertNotContains(page, "Cycle gently")
    assertContains(reader.get("/search/", {"q": "knee"}), "Knee pain")
    assertNotContains(reader.get("/search/", {"q": "cycle"}), "Knee pain")
    feed = reader.get("/feeds/rss/")
    assertContains(feed, "Knee pain")
    assertNotContains(feed, "Cycle gently")


def test_a_live_articles_read_only_text_is_not_autosaved(client, editor, author):
    live = make_article(title="Knee pain", slug="knee-pain", author=author)
    client.force_login(editor)
    response = autosave(client, live, body="Edited in place")
    assert response.status_code == 403
    assert not Autosave.objects.exists()
    # Nor is the live article's form set up to autosave its text.
    assertNotContains(client.get(change_url(live)), 'id="autosave"')


@pytest.mark.parametrize("role", ["Authors", "Medical reviewers", "Moderators"])
def test_no_one_else_autosaves_an_authors_draft(client, draft, role):
    other = make_user(role=role, credentials="MD" if role == "Medical reviewers" else "")
    if role == "Medical reviewers":
        draft.assigned_reviewer = other
        draft.status = Status.IN_REVIEW
        draft.save()
    client.force_login(other)
    assert autosave(client, draft, body="Not mine").status_code == 403
    assert not Autosave.objects.exists()


def test_a_reader_is_sent_to_sign_in_and_nothing_is_kept(client, draft):
    client.force_login(make_user())
    response = autosave(client, draft, body="Not mine")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Autosave.objects.exists()


def test_autosave_needs_the_csrf_token_and_a_post(author, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert autosave(client, draft, body=TYPED).status_code == 403
    assert client.get(autosave_url(draft)).status_code == 405
    assert not Autosave.objects.exists()


def test_payloads_are_bounded_and_checked(client, author, draft):
    client.force_login(author)
    too_much = autosave(client, draft, body="x" * (MAX_DRAFT_BYTES + 1))
    assert too_much.status_code == 413
    # Past Django's own limit, refused as the CSRF check reads the form, as in a browser.
    checking = Client(enforce_csrf_checks=True)
    checking.force_login(author)
    checking.get(change_url(draft))
    token = checking.cookies["csrftoken"].value
    absurd = autosave(checking, draft, body="x" * (3 * 1024 * 1024), csrfmiddlewaretoken=token)
    assert absurd.status_code == 400
    assert autosave(checking, draft, body="x", csrfmiddlewaretoken=token).status_code == 200
    Autosave.objects.all().delete()
    naive = client.post(autosave_url(draft), {"body": TYPED, "loaded_version": "2026-01-01T10:00"})
    assert naive.status_code == 400
    assert autosave(client, draft, category="1").status_code == 400  # nothing autosaved
    response = client.post(autosave_url(draft), {"body": TYPED, "loaded_version": "yesterday"})
    assert response.status_code == 400
    assert not Autosave.objects.exists()
    # A long article is kept whole.
    assert autosave(client, draft, body="Rest. " * 50_000).status_code == 200


def test_autosaving_again_replaces_the_draft(client, author, draft):
    client.force_login(author)
    autosave(client, draft, body="First")
    autosave(client, draft, body="Second")
    assert list(Autosave.objects.values_list("values", flat=True)) == [{"body": "Second"}]


def test_the_form_offers_a_draft_that_differs_from_the_saved_text(client, author, draft):
    client.force_login(author)
    page = client.get(change_url(draft))
    assertContains(page, 'id="autosave"')
    assertNotContains(page, NOTICE)

    autosave(client, draft, body=TYPED)
    page = client.get(change_url(draft))
    assertContains(page, NOTICE)
    assertContains(page, "Restore them into the form")
    assertContains(page, "Discard them")
    assertNotContains(page, SAVED_AFTER)
    assert body_in_form(page) == draft.body.strip()  # the saved text, until restored


def test_no_offer_when_the_draft_is_what_is_saved(client, author, draft):
    client.force_login(author)
    # As a browser sends it: CRLF line breaks, a last line break the form strips.
    autosave(client, draft, body=draft.body.replace("\n", "\r\n") + "\r\n", title=draft.title)
    assert Autosave.objects.exists()
    assertNotContains(client.get(change_url(draft)), NOTICE)


def test_compare_shows_the_draft_beside_the_saved_text(client, author, draft):
    client.force_login(author)
    autosave(client, draft, body=draft.body.replace("Rest, fluids", "Rest, warm fluids"))
    page = client.get(f"/admin/articles/article/{draft.pk}/autosave/compare/")
    assert page.status_code == 200
    assertContains(page, "<caption>Body</caption>", html=False)
    assertContains(page, "Rest,<ins> warm</ins> fluids", html=False)
    assertContains(page, '<th scope="col">Unsaved changes</th>', html=True)
    assertNotContains(page, "<caption>Title</caption>", html=False)  # unchanged


def test_restore_fills_the_form_and_saving_it_saves_the_draft_and_deletes_it(client, author, draft):
    client.force_login(author)
    autosave(client, draft, title="Sleep after an operation", body=TYPED)

    page = client.get(change_url(draft) + "?restore=draft")
    assert body_in_form(page) == TYPED.strip()
    assertContains(page, 'value="Sleep after an operation"')
    assertContains(page, "They are in the form below")
    response = client.post(
        change_url(draft) + "?restore=draft",
        admin_form(draft, title="Sleep after an operation", body=TYPED),
    )
    assert response.status_code == 302, response.text
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Sleep after an operation", TYPED.strip())
    assert not Autosave.objects.exists()
    assertNotContains(client.get(change_url(draft)), NOTICE)


def test_saving_the_form_deletes_the_draft(client, author, draft):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    response = client.post(change_url(draft), admin_form(draft, body="Something else"))
    assert response.status_code == 302, response.text
    assert not Autosave.objects.exists()


def test_a_refused_save_keeps_the_draft(client, author, draft):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    response = client.post(change_url(draft), admin_form(draft, title="", body=TYPED))
    assert response.status_code == 200  # the form again, with its error
    assert Autosave.objects.exists()


def test_discard_forgets_the_draft_and_only_its_writers(client, author, editor, draft):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    client.force_login(editor)
    autosave(client, draft, body="The editor's own")
    client.force_login(author)

    # The button posts the change form to the discard address.
    response = client.post(
        f"/admin/articles/article/{draft.pk}/autosave/discard/", admin_form(draft, body=TYPED)
    )

    assertRedirects(response, change_url(draft), fetch_redirect_response=False)
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["ed"]
    page = client.get(change_url(draft))
    assertContains(page, "Your unsaved changes are discarded.")
    assertNotContains(page, NOTICE)
    draft.refresh_from_db()
    assert draft.body != TYPED.strip()


def test_discard_is_a_post_with_the_csrf_token(author, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    Autosave.objects.create(user=author, article=draft, values={"body": TYPED})
    url = f"/admin/articles/article/{draft.pk}/autosave/discard/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert Autosave.objects.exists()


def test_no_one_else_reads_or_restores_a_draft(client, author, editor, draft):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    client.force_login(editor)

    page = client.get(change_url(draft))
    assertNotContains(page, NOTICE)
    assertNotContains(page, "a short walk")
    restored = client.get(change_url(draft) + "?restore=draft")
    assert body_in_form(restored) == draft.body.strip()
    compare = client.get(f"/admin/articles/article/{draft.pk}/autosave/compare/")
    assertRedirects(compare, change_url(draft), fetch_redirect_response=False)
    assertNotContains(client.get(change_url(draft)), "a short walk")


def test_another_author_cannot_open_the_compare_page(client, author, draft):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    client.force_login(make_user(role="Authors"))
    response = client.get(f"/admin/articles/article/{draft.pk}/autosave/compare/")
    assert response.status_code == 403


def test_a_save_after_the_draft_is_said_and_restoring_meets_the_version_check(
    client, author, editor, draft
):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    # Meanwhile the editor saves the article.
    client.force_login(editor)
    response = client.post(change_url(draft), admin_form(draft, body="The editor's text."))
    assert response.status_code == 302, response.text
    draft.refresh_from_db()

    client.force_login(author)
    page = client.get(change_url(draft))
    assertContains(page, SAVED_AFTER)
    compare = client.get(f"/admin/articles/article/{draft.pk}/autosave/compare/")
    assertContains(compare, SAVED_AFTER)
    assertContains(compare, "The editor&#x27;s text.")

    restored = client.get(change_url(draft) + "?restore=draft")
    assert body_in_form(restored) == TYPED.strip()
    stale = Autosave.objects.get().started_from
    assert stale is not None
    assertContains(restored, f'name="loaded_version" value="{stale.isoformat()}"')
    # Saving it as the page posts it: stopped once, the editor's text kept.
    form = admin_form(draft, body=TYPED, loaded_version=stale.isoformat())
    refused = client.post(change_url(draft), form)
    assert refused.status_code == 200
    assertContains(refused, "after you opened it")
    draft.refresh_from_db()
    assert draft.body == "The editor's text."
    assert Autosave.objects.exists()  # nothing was saved, the draft neither


def test_a_new_articles_draft_is_offered_on_the_add_form(client, author):
    category = make_category()
    client.force_login(author)
    assert autosave(client, None, title="Pacing", body=TYPED).status_code == 200
    assert Autosave.objects.get(article__isnull=True).values["title"] == "Pacing"

    page = client.get("/admin/articles/article/add/")
    assertContains(page, NOTICE)
    compare = client.get("/admin/articles/article/autosave/compare/")
    assertContains(compare, "Pacing")
    restored = client.get("/admin/articles/article/add/?restore=draft")
    assert body_in_form(restored) == TYPED.strip()

    form = {
        "title": "Pacing",
        "slug": "pacing",
        "summary": "Plan rest.",
        "body": TYPED,
        "category": category.pk,
        "tags": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/articles/article/add/?restore=draft", form)
    assert response.status_code == 302, response.text
    assert Article.objects.get(slug="pacing").body == TYPED.strip()
    assert not Autosave.objects.exists()


def test_a_new_articles_draft_is_its_writers_only(client, author):
    client.force_login(author)
    autosave(client, None, title="Pacing", body=TYPED)
    client.force_login(make_user(role="Authors"))
    assertNotContains(client.get("/admin/articles/article/add/"), NOTICE)
    client.post("/admin/articles/article/autosave/discard/")
    assert Autosave.objects.count() == 1
    # Someone who may not add articles autosaves none.
    client.force_login(make_user(role="Moderators"))
    assert autosave(client, None, title="Mine").status_code == 403
    assert Autosave.objects.count() == 1


def test_the_pending_versions_change_summary_is_offered_and_compared(client, author):
    live = make_article(title="Knee pain", slug="knee-pain", author=author)
    client.force_login(author)
    version = start_pending(client, live)
    autosave(client, version, change_summary="New advice on exercise")

    assertContains(client.get(change_url(version)), NOTICE)
    compare = client.get(f"/admin/articles/article/{version.pk}/autosave/compare/")
    assertContains(compare, "<caption>Summary of the change</caption>", html=False)
    restored = client.get(change_url(version) + "?restore=draft")
    assertContains(restored, 'value="New advice on exercise"')
    response = client.post(
        change_url(version), pending_form(version, change_summary="New advice on exercise")
    )
    assert response.status_code == 302, response.text
    assert not Autosave.objects.exists()


def test_the_offer_costs_the_form_no_extra_query(client, author, draft):
    client.force_login(author)
    client.get(change_url(draft))  # sessions, permissions and the like, read once
    with CaptureQueriesContext(connection) as without:
        client.get(change_url(draft))
    autosave(client, draft, body=TYPED)
    with CaptureQueriesContext(connection) as with_draft:
        page = client.get(change_url(draft))
    assertContains(page, NOTICE)
    assert len(with_draft) == len(without)


def test_an_old_draft_of_an_article_one_may_no_longer_change_is_not_offered(
    client, author, editor, draft
):
    client.force_login(author)
    autosave(client, draft, body=TYPED)
    # An editor publishes the article: its text now changes through a pending version.
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    page = client.get(change_url(draft))
    assertNotContains(page, NOTICE)
    assert autosave(client, draft, body=TYPED).status_code == 403


def test_permission_to_change_articles_is_needed(client, draft, author):
    author.groups.clear()
    author.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(author)
    assert autosave(client, draft, body=TYPED).status_code == 403

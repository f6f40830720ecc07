from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import TaggedItem

from articles.editorial.workflow import archive_article
from articles.models import Article
from comments.models import Comment
from healthsite.caching import fragments, versions
from healthsite.db_router import PrimaryReplicaRouter
from tests.factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


def retitle(article: Article) -> None:
    article.title = "Easing back in, revised"
    article.save()


def rename_category(article: Article) -> None:
    article.category.name = "Getting better"
    article.category.save()


def rename_author(article: Article) -> None:
    article.author.display_name = "Dr Kim Lee"
    article.author.save()


@pytest.fixture
def article():
    return make_article(
        title="Easing back into exercise",
        category=make_category(name="Recovery", slug="recovery"),
        author=make_user(username="kim", display_name="Kim Lee"),
    )


def test_anonymous_pages_come_from_the_cache(client, article):
    first = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "s-maxage=60" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]


def test_cached_pages_tell_a_cdn_and_the_proxy_how_long_to_keep_them(client, article, settings):
    settings.PROXY_CACHE_SECONDS = 5
    response = client.get(article.get_absolute_url())
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"} <= directives
    assert response["X-Accel-Expires"] == "5"
    assert client.get(article.get_absolute_url())["X-Accel-Expires"] == "5"  # from the cache
    client.force_login(make_user())
    personal = client.get(article.get_absolute_url())
    assert "X-Accel-Expires" not in personal
    assert "private" in personal["Cache-Control"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (retitle, "revised"),
        (rename_category, "Getting better"),
        (rename_author, "Dr Kim Lee"),
        # By the article's author: a new commenter's account would invalidate every page.
        (lambda a: make_comment(article=a, user=a.author, body="New thoughts"), "New thoughts"),
    ],
    ids=["article", "category", "author", "comment"],
)
def test_saving_content_invalidates_cached_pages(client, article, change, expected):
    for url in (article.get_absolute_url(), "/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    change(article)
    assertContains(client.get(article.get_absolute_url()), expected)


def test_tag_links_changed_outside_the_article_refresh_cached_pages(client):
    article = make_article(title="Resting after a fall", tags=["sleep"])
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    # The tag manager writes its links in bulk, without saving the article.
    article.tags.add("balance")
    assertContains(client.get(url), 'href="/tags/balance/"')
    # The tag's admin page removes a link by deleting its row (the tagged-items inline).
    TaggedItem.objects.get(tag__name="sleep").delete()
    response = client.get(url)
    assertNotContains(response, 'href="/tags/sleep/"')
    assertContains(response, 'href="/tags/balance/"')


def test_a_comment_refreshes_its_article_and_leaves_other_pages_cached(client, article):
    other = make_article(title="Sleeping after surgery")
    reader = make_user(username="reader")
    pages = [article.get_absolute_url(), other.get_absolute_url(), "/", "/recovery/"]
    for url in pages:
        client.get(url)
    comment = make_comment(article=article, user=reader, body="Short walks helped me")

    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assertContains(response, "Short walks helped me")
    assertContains(response, "Comments (1)")
    for url in pages[1:]:
        assert client.get(url)["X-Page-Cache"] == "hit", url

    # Every later change to the comment shows too, and still only there.
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    comment.status = Comment.Status.HIDDEN
    comment.save(update_fields=["status"])
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "Short walks helped me")
    assertContains(response, "Comments (0)")
    comment.delete()
    assertContains(client.get(article.get_absolute_url()), "Comments (0)")
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_moderation_shows_at_once(client, article):
    comment = make_comment(article=article, body="Waiting", status=Comment.Status.PENDING)
    assertContains(client.get(article.get_absolute_url()), "Comments (0)")
    comment.status = Comment.Status.VISIBLE
    comment.save(update_fields=["status"])
    assertContains(client.get(article.get_absolute_url()), "Comments (1)")


def test_signed_in_users_get_fresh_personal_pages(client, article):
    client.get(article.get_absolute_url())  # cached for anonymous readers
    client.force_login(make_user(username="reader", display_name="Rae"))
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assertContains(response, "Signed in as Rae")
    assertNotContains(response, "Login is required before commenting.")
    assert "private" in response["Cache-Control"]


def test_signing_in_does_not_empty_the_cache(client, article):
    make_user(username="reader")
    client.get(article.get_absolute_url())
    client.post("/accounts/login/", {"username": "reader", "password": "a-long-test-password"})
    client.post("/accounts/logout/")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_page_with_a_one_time_message_is_not_cached(client, article):
    user = make_user(username="leaving")
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": "a-long-test-password"}, follow=True)
    assertContains(response, "Your account is deleted.")
    again = client.get("/")
    assert "X-Page-Cache" not in again
    assertNotContains(again, "Your account is deleted.")


def test_unchanged_pages_answer_304(client, article):
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    for _ in range(2):  # rendered, then from the cache
        response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
        assert response.status_code == 304
    article.title = "Something new"
    article.save()
    changed = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.fixture
def fragments_only(settings):
    """Whole pages rendered on every request, the parts every reader shares cached."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300


def test_shared_fragments_spare_the_queries_of_a_rendered_page(client, article, fragments_only):
    article.tags.set(["walking", "strength"])
    for number in range(3):
        make_comment(article=article, body=f"Comment number {number} here")
    first = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in second
    # The article itself, which decides whether the page exists at all, is cached too.
    assert len(queries) == 0
    assert second.content == first.content
    for text in ("Easing back into exercise", "walking", "Comment number 2 here", "Comments (3)"):
        assertContains(second, text)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (retitle, "revised"),
        (lambda a: a.tags.add("balance") or a.save(), "balance"),
        # By the article's author: a new commenter's account would invalidate every page.
        (lambda a: make_comment(article=a, user=a.author, body="New thoughts"), "New thoughts"),
        (
            lambda a: make_article(title="A related walk", category=a.category, author=a.author),
            "A related walk",
        ),
    ],
    ids=["article", "tags", "comment", "related"],
)
def test_changes_show_through_the_cached_fragments(
    client, article, fragments_only, change, expected
):
    client.get(article.get_absolute_url())
    change(article)
    assertContains(client.get(article.get_absolute_url()), expected)


def test_an_archived_or_moved_article_leaves_the_cache_at_once(client, article, fragments_only):
    editor = make_user(username="ed", role="Editors")
    old_address = article.get_absolute_url()
    assertContains(client.get(old_address), "Easing back into exercise")
    article.slug = "easing-back"
    article.save()
    assert client.get(old_address)["Location"] == "/articles/easing-back/"
    assertContains(client.get("/articles/easing-back/"), "Easing back into exercise")
    archive_article(article=article, by=editor, note="Newer advice replaces this page.")
    response = client.get("/articles/easing-back/")
    assertContains(response, "Newer advice replaces this page.", status_code=410)


def test_signed_in_readers_see_their_own_comments_over_the_shared_ones(
    client, article, fragments_only
):
    reader = make_user(username="reader", display_name="Rae")
    mine = make_comment(article=article, user=reader, body="Mine, still waiting")
    mine.status = Comment.Status.PENDING
    mine.save()
    make_comment(article=article, body="Someone else's view")
    anonymous = client.get(article.get_absolute_url())  # fills the shared fragments
    assertNotContains(anonymous, "Mine, still waiting")
    client.force_login(reader)
    response = client.get(article.get_absolute_url())
    assertContains(response, "Mine, still waiting")
    assertContains(response, "Awaiting approval")
    assertContains(response, f'href="/comments/{mine.pk}/delete/"')
    assertContains(response, "Someone else&#x27;s view")
    assertNotContains(response, "Login is required before commenting.")


@pytest.fixture
def with_replicas(settings, monkeypatch):
    """Reads may go to replicas that lag the primary by up to REPLICA_LAG_SECONDS (only the
    settings matter here: every read still goes to the one test database)."""
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.REPLICA_LAG_SECONDS = 10
    monkeypatch.setattr(PrimaryReplicaRouter, "db_for_read", lambda *args, **kwargs: "default")


def lag_passes(*articles) -> None:
    """REPLICA_LAG_SECONDS later: the marks of recent changes have expired."""
    cache.delete(versions.SETTLING_KEY)
    for article in articles:
        cache.delete(versions.ARTICLE_SETTLING_KEY.format(slug=article.slug))


def test_with_replicas_pages_made_just_after_a_change_are_kept_a_second(
    client, article, with_replicas
):
    article.title = "Easing back in, revised"
    article.save()
    # A replica may not have the change yet: what is rendered now is kept for a second.
    response = client.get(article.get_absolute_url())
    assertContains(response, "revised")
    assert "s-maxage=1" in response["Cache-Control"]
    assert "s-maxage=1" in client.get("/")["Cache-Control"]

    lag_passes(article)
    assert "s-maxage=60" in client.get("/recovery/")["Cache-Control"]


def test_with_replicas_a_comment_settles_its_own_article_only(client, article, with_replicas):
    reader = make_user(username="reader")
    other = make_article(title="Sleeping after surgery")
    lag_passes()
    assert "s-maxage=60" in client.get("/")["Cache-Control"]
    make_comment(article=article, user=reader, body="Short walks helped me")

    response = client.get(article.get_absolute_url())
    assertContains(response, "Short walks helped me")
    assert "s-maxage=1" in response["Cache-Control"]
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert "s-maxage=60" in client.get(other.get_absolute_url())["Cache-Control"]


def test_the_shared_cache_holds_nothing_private_about_people(client, fragments_only):
    author = make_user(username="kim2", display_name="Kim Lee", email="kim@example.org")
    reviewer = make_user(
        username="rev", display_name="Dr Rae", email="rae@example.org", credentials="MD"
    )
    article = make_article(title="Walking again", author=author)
    article.reviewer = reviewer
    assert article.published_at is not None
    article.reviewed_on = article.published_at.date()
    article.save()
    response = client.get(article.get_absolute_url())
    assertContains(response, "Kim Lee")
    assertContains(response, "Dr Rae")

    # The local-memory cache keeps pickled bytes (its private store is not in the stubs).
    stored = b"".join(cache._cache.values())  # type: ignore[attr-defined]
    assert b"Kim Lee" in stored  # the article and its people are cached...
    for person in (author, reviewer):
        # ...without their password hashes or email addresses.
        assert person.password.encode() not in stored
        assert person.email.encode() not in stored


def test_cached_article_rows_are_not_read_back_after_the_models_change(monkeypatch):
    before = fragments.model_shape(Article)
    # A release that adds a column: the rows cached before it are keyed differently.
    added = [*Article._meta.fields, SimpleNamespace(attname="new_column")]
    monkeypatch.setattr(Article._meta, "fields", added)
    assert fragments.model_shape(Article) != before

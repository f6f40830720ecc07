"""The comment list signed-in readers share: rendered once per article version, with each
reader's own links (edit, delete) and everyone else's (report) kept per request."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings):
    """Pages rendered on every request, the parts readers share cached, as in production."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def article():
    return make_article(title="Walking again after a fall", slug="walking-again")


def links(response, comment: Comment) -> set[str]:
    html = response.content.decode()
    return {
        name
        for name in ("edit", "delete", "report")
        if f'href="/comments/{comment.pk}/{name}/"' in html
    }


def test_each_reader_gets_their_own_links_from_the_one_shared_list(client, article):
    sam, jo = make_user(display_name="Sam"), make_user(display_name="Jo")
    sams = make_comment(article=article, user=sam, body="Sam's first steps")
    jos = make_comment(article=article, user=jo, body="Jo's first steps")
    client.force_login(sam)
    as_sam = client.get(article.get_absolute_url())
    client.force_login(jo)
    with CaptureQueriesContext(connection) as queries:
        as_jo = client.get(article.get_absolute_url())
    # Jo's page read no comments: the list Sam's page made was used again.
    assert not [query for query in queries if "comments_comment" in query["sql"]
                and "pending" not in query["sql"]]  # fmt: skip
    assert links(as_sam, sams) == {"edit", "delete"}
    assert links(as_sam, jos) == {"report"}
    assert links(as_jo, jos) == {"edit", "delete"}
    assert links(as_jo, sams) == {"report"}
    for page in (as_sam, as_jo):
        assertNotContains(page, "<!--")  # the markers never reach the reader
        assertContains(page, "Reply to Sam")


def test_the_edit_link_goes_when_the_window_closes_though_the_list_is_cached(client, article):
    sam = make_user(display_name="Sam")
    sams = make_comment(article=article, user=sam, body="Sam's first steps")
    client.force_login(sam)
    assert links(client.get(article.get_absolute_url()), sams) == {"edit", "delete"}
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        later = client.get(article.get_absolute_url())
    assert links(later, sams) == {"delete"}


def test_a_reader_with_a_comment_awaiting_approval_sees_it_in_their_own_list(client, article):
    sam = make_user(display_name="Sam")
    make_comment(article=article, body="Someone else's view")
    client.force_login(make_user())
    client.get(article.get_absolute_url())  # the shared list, made by another reader
    held = make_comment(article=article, user=sam, body="Sam's words, held")
    held.status = Comment.Status.PENDING
    held.save()
    client.force_login(sam)
    page = client.get(article.get_absolute_url())
    assertContains(page, "Sam&#x27;s words, held")
    assertContains(page, "Awaiting approval")
    assert links(page, held) == {"edit", "delete"}
    # Nobody else sees it, from the shared list or their own.
    client.force_login(make_user())
    assertNotContains(client.get(article.get_absolute_url()), "Sam&#x27;s words, held")


def test_readers_who_cannot_comment_get_their_own_page_without_reply_links(client, article):
    unconfirmed = make_user(email_confirmed_at=None)
    make_comment(article=article, body="A view")
    client.force_login(make_user())
    assertContains(client.get(article.get_absolute_url()), "Reply to")
    client.force_login(unconfirmed)
    page = client.get(article.get_absolute_url())
    assertNotContains(page, "Reply to")
    assertContains(page, "Please confirm your email address to comment.")


def test_a_new_comment_shows_in_the_shared_list_at_once(client, article):
    reader = make_user(display_name="Rae")
    client.force_login(reader)
    client.get(article.get_absolute_url())
    make_comment(article=article, user=article.author, body="A reply from the author")
    assertContains(client.get(article.get_absolute_url()), "A reply from the author")


@pytest.mark.parametrize("comments", [3, 30])
def test_a_signed_in_readers_article_page_costs_at_most_four_queries(
    client, article, comments, django_assert_max_num_queries
):
    reader = make_user(display_name="Rae")
    for number in range(comments):
        make_comment(article=article, user=reader if number < 2 else None, body=f"Comment {number}")
    client.force_login(reader)
    client.get(article.get_absolute_url())  # as a running site: the shared parts cached
    with django_assert_max_num_queries(4):
        page = client.get(article.get_absolute_url())
    assertContains(page, f"Comment {comments - 1}")

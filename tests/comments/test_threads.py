"""Comment pages: at most a page's worth of comments each, replies included, in threads."""

import itertools
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, recount_comments
from comments.text import render_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=30)
_minutes = itertools.count()


@pytest.fixture
def article():
    return make_article(title="Walking again after a fracture", slug="walking-again")


def add_comments(article, *comments: tuple[str, Comment | None]) -> list[Comment]:
    """(body, parent) pairs, stored visible, each a minute after the one stored before."""
    made = []
    for body, parent in comments:
        made.append(
            Comment.objects.create(
                article=article,
                parent=parent,
                user=make_user(display_name=f"Writer of {body}"),
                body=body,
                status=Comment.Status.VISIBLE,
                created_at=START + timedelta(minutes=next(_minutes)),
            )
        )
    return made


def add_replies(article, parent: Comment, count: int) -> None:
    """`count` visible replies to `parent`, "Reply 001" first, a second apart. Stored in
    one query, as save() would be slow for hundreds: what it fills in is filled in here."""
    replier = make_user(display_name="Regular replier")
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=parent,
            user=replier,
            body=f"Reply {number:03}",
            body_html=render_comment(f"Reply {number:03}"),
            status=Comment.Status.VISIBLE,
            created_at=parent.created_at + timedelta(seconds=number),
        )
        for number in range(1, count + 1)
    )
    recount_comments(article)  # bulk_create skips save(), which keeps the count


def shown(response) -> list[tuple[bool, str]]:
    """The comments on the page as (is a reply, text or placeholder), in page order."""
    found = []
    for reply, inside in re.findall(
        r'<article class="comment( comment--reply)?" id="comment-\d+">(.*?)</article>',
        response.text,
        re.S,
    ):
        text = re.search(r'class="comment__(?:body|placeholder)">(?:<p>)?(.*?)</', inside, re.S)
        assert text is not None
        found.append((bool(reply), text.group(1)))
    return found


def bodies(response) -> list[str]:
    return [text for _reply, text in shown(response)]


def page(client, article, number: int | None = None):
    query = "" if number is None else f"?comments={number}"
    return client.get(f"{article.get_absolute_url()}{query}")


def test_a_thread_with_120_replies_spreads_over_three_pages(client, article):
    (thread,) = add_comments(article, ("Thread opener", None))
    add_replies(article, thread, 120)
    replies = [f"Reply {number:03}" for number in range(1, 121)]

    first, second, third = (page(client, article, number) for number in (None, 2, 3))

    for response in (first, second, third):
        assertContains(response, "Comments (121)")
    assert bodies(first) == ["Thread opener", *replies[:49]]
    assert bodies(second) == replies[49:99]
    assert bodies(third) == replies[99:]
    # Every reply is shown as a reply, under its thread.
    assert [reply for reply, _text in shown(second)] == [True] * 50
    # Pages that start within the thread name the comment the replies answer.
    assertNotContains(first, "Continued: replies to")
    for response in (second, third):
        assertContains(response, "Continued: replies to")
        assertContains(response, "Writer of Thread opener")
    assertContains(first, "More replies on the next page")
    assertContains(second, "More replies on the next page")
    assertNotContains(third, "More replies on the next page")
    # Previous and next links, as readers follow them.
    assertContains(first, 'href="?comments=2#comments">Later comments')
    assertNotContains(first, "Earlier comments")
    assertContains(second, 'href="?comments=1#comments">Earlier comments')
    assertContains(second, 'href="?comments=3#comments">Later comments')
    assertContains(third, 'href="?comments=2#comments">Earlier comments')
    assertNotContains(third, "Later comments")
    # Past the last page: the first page again.
    assert bodies(page(client, article, 4)) == bodies(first)


def test_replies_stay_with_their_thread_across_a_page_break(client, article, settings):
    settings.COMMENTS_PER_PAGE = 3
    first, _second = add_comments(article, ("First thread", None), ("Second thread", None))
    # A late reply to the first thread is read with it, not after the second thread.
    add_comments(article, ("Early reply", first), ("Late reply", first))
    Comment.objects.filter(body="Late reply").update(created_at=START + timedelta(days=1))
    add_comments(article, ("Reply to the second", Comment.objects.get(body="Second thread")))

    one, two = page(client, article), page(client, article, 2)

    assert bodies(one) == ["First thread", "Early reply", "Late reply"]
    assertNotContains(one, "More replies on the next page")
    assert bodies(two) == ["Second thread", "Reply to the second"]
    assertNotContains(two, "Continued: replies to")
    assertContains(two, "Comments (5)")


def test_a_removed_comment_whose_replies_continue_on_the_next_page(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    (thread,) = add_comments(article, ("Gone soon", None))
    add_replies(article, thread, 3)
    thread.status = Comment.Status.REMOVED
    thread.save()

    one, two = page(client, article), page(client, article, 2)

    assertContains(one, "Comments (3)")
    assert bodies(one) == ["Comment removed.", "Reply 001"]
    assertContains(two, "Continued: replies to a removed comment")
    assertNotContains(two, "Writer of Gone soon")
    assert bodies(two) == ["Reply 002", "Reply 003"]


def test_readers_see_their_own_pending_reply_in_its_thread(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    (thread,) = add_comments(article, ("Thread opener", None))
    add_replies(article, thread, 2)
    waiting = make_user(display_name="Waiting Reader")
    Comment.objects.create(
        article=article,
        parent=thread,
        user=waiting,
        body="My pending reply",
        status=Comment.Status.PENDING,
        created_at=START + timedelta(hours=1),
    )

    # Other readers: two comments fit on the first page, the last reply on the second.
    assert bodies(page(client, article)) == ["Thread opener", "Reply 001"]
    assert bodies(page(client, article, 2)) == ["Reply 002"]
    # Its author sees it last in the thread, marked as awaiting approval.
    client.force_login(waiting)
    second = page(client, article, 2)
    assert bodies(second) == ["Reply 002", "My pending reply"]
    assertContains(second, "Awaiting approval")
    assertContains(second, "Comments (3)")


def test_comment_pages_run_the_same_queries_with_0_or_300_comments(
    client, no_page_cache, django_assert_num_queries
):
    empty = make_article(tags=["healing"])
    full = make_article(tags=["healing"])
    opener, *_others = add_comments(full, *((f"Thread {n}", None) for n in range(100)))
    add_replies(full, opener, 200)

    # Article, tags, conditions, references, the page of comments, related articles.
    with django_assert_num_queries(6):
        assertContains(client.get(empty.get_absolute_url()), "No comments yet.")
    for query in ("", "?comments=2", "?comments=5", "?comments=6"):
        with django_assert_num_queries(6):
            response = client.get(f"{full.get_absolute_url()}{query}")
        assertContains(response, "Comments (300)")
        assert len(shown(response)) == 50
    # A page past the end finds nothing, and the first page is read instead.
    with django_assert_num_queries(7):
        response = client.get(f"{full.get_absolute_url()}?comments=7")
    assertContains(response, "Comments page 1")


def test_a_new_reply_on_a_later_page_is_where_the_poster_lands(client, article, settings):
    settings.COMMENTS_PER_PAGE = 3
    first, _second = add_comments(article, ("First thread", None), ("Second thread", None))
    add_comments(article, ("Early reply", first), ("Another reply", first))
    writer = make_user(username="writer")
    add_comments(article, ("Writer's earlier word", None))  # shown before: posts go up
    Comment.objects.filter(body="Writer's earlier word").update(user=writer)
    client.force_login(writer)

    response = client.post(
        f"/comments/articles/{article.pk}/",
        {"body": "A reply that falls on page two", "parent": first.pk, "website": ""},
    )

    reply = Comment.objects.get(body="A reply that falls on page two")
    assert reply.status == Comment.Status.VISIBLE
    # First thread, its two replies | the new reply, the second thread...
    landing = client.get(response["Location"])["Location"]
    assert landing == f"/articles/walking-again/?comments=2#comment-{reply.pk}"
    assertContains(client.get(landing), f'id="comment-{reply.pk}"')

    # A new thread comes last: page three, after the writer's earlier word.
    response = client.post(
        f"/comments/articles/{article.pk}/", {"body": "A new thread of mine", "website": ""}
    )
    newest = Comment.objects.get(body="A new thread of mine")
    landing = client.get(response["Location"])["Location"]
    assert landing == f"/articles/walking-again/?comments=3#comment-{newest.pk}"
    assertContains(client.get(landing), f'id="comment-{newest.pk}"')


def test_a_comment_permalink_is_only_for_those_who_can_see_the_comment(client, article):
    (shown,) = add_comments(article, ("Shown to all", None))
    waiting = Comment.objects.create(
        article=article, user=make_user(username="waiting"), body="Awaiting approval"
    )
    assert waiting.status == Comment.Status.PENDING
    assert client.get(f"/comments/{shown.pk}/")["Location"] == (
        f"/articles/walking-again/#comment-{shown.pk}"
    )
    assert client.get(f"/comments/{waiting.pk}/").status_code == 404
    client.force_login(waiting.user)
    assert client.get(f"/comments/{waiting.pk}/").status_code == 302
    client.logout()
    draft = make_article(title="Not out yet", status="draft")
    hidden = Comment.objects.create(article=draft, user=make_user(), body="On a draft")
    hidden.status = Comment.Status.VISIBLE
    hidden.save()
    assert client.get(f"/comments/{hidden.pk}/").status_code == 404

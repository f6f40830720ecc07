"""The stored comment count stays exact when comments are posted at the same moment."""

import threading

import pytest
from django.db import connection, connections, transaction

from articles.models import Article
from comments.models import Comment, recount_comments
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
def test_two_comments_posted_in_overlapping_transactions_are_both_counted():
    article = make_article()
    first_user, second_user = make_user(), make_user()
    first_counted = threading.Event()
    second_started = threading.Event()
    errors: list[BaseException] = []

    def post_second() -> None:
        # Another server process: a connection of its own.
        try:
            with transaction.atomic():
                second_started.set()
                Comment.objects.create(
                    article=Article.objects.get(pk=article.pk),
                    user=second_user,
                    body="Second",
                    status=Comment.Status.VISIBLE,
                )
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        Comment.objects.create(
            article=article, user=first_user, body="First", status=Comment.Status.VISIBLE
        )
        first_counted.set()
        other = threading.Thread(target=post_second)
        other.start()
        second_started.wait(timeout=10)
        # The second transaction has begun and waits for this one's lock on the article.
        other.join(timeout=1)
        assert other.is_alive(), "the second post did not wait for the first"
    other.join(timeout=10)
    assert not errors, errors

    article.refresh_from_db()
    assert Comment.objects.filter(article=article).count() == 2
    assert article.comment_count == 2


def test_a_recount_outside_a_transaction_takes_its_own():
    # A script or a shell recounting after a bulk change: no transaction of its own yet.
    article = make_article()
    Comment.objects.bulk_create(
        [Comment(article=article, user=make_user(), body="Kept", status=Comment.Status.VISIBLE)]
    )
    recount_comments(article)
    article.refresh_from_db()
    assert article.comment_count == 1

"""Email settings on the profile page: replies for every reader, new comments on their
articles for authors only."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

ARTICLE_SETTING = "Email me about new comments on articles I wrote"
REPLY_SETTING = "Email me when someone replies to my comments"


def profile_data(**changes):
    return {"display_name": "", "bio": "", **changes}


def test_readers_are_offered_replies_but_not_the_authors_setting(client):
    reader = make_user(username="sam")
    client.force_login(reader)
    page = client.get("/accounts/profile/")
    assertContains(page, REPLY_SETTING)
    assertNotContains(page, ARTICLE_SETTING)
    # Sending the author's setting anyway changes nothing.
    client.post("/accounts/profile/", profile_data(notify_comments="on"))
    reader.refresh_from_db()
    assert reader.notify_comments is False


def test_authors_are_offered_both(client):
    author = make_article().author
    client.force_login(author)
    page = client.get("/accounts/profile/")
    assertContains(page, REPLY_SETTING)
    assertContains(page, ARTICLE_SETTING)
    client.post("/accounts/profile/", profile_data(notify_comments="on"))
    author.refresh_from_db()
    assert author.notify_comments is True


def test_the_reply_setting_covers_past_and_next_comments(client):
    reader = make_user(username="sam")
    article = make_article()
    first = make_comment(article=article, user=reader, notify_replies=False)
    client.force_login(reader)
    client.post("/accounts/profile/", profile_data(notify_replies="on"))
    reader.refresh_from_db()
    assert reader.notify_replies is True
    first.refresh_from_db()
    assert first.notify_replies is True
    # The next comment's box starts ticked.
    page = client.get(article.get_absolute_url())
    assert re.search(r'id="comment-notify-new"\s+checked>', page.text)

    client.post("/accounts/profile/", profile_data())
    assert not Comment.objects.filter(user=reader, notify_replies=True).exists()
    reader.refresh_from_db()
    assert reader.notify_replies is False

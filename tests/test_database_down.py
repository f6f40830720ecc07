"""With the database refusing connections (PostgreSQL restarting, shut down or out of
connection slots), visitors still get the cached pages, everyone else a 503 "busy" page with
Retry-After, a comment being posted keeps its text, the log says why in one line, and the
site works again by itself once the database is back."""

import logging
import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from tests.factories import make_article, make_user

# Outside a test transaction: the connection is taken away and given back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BUSY = "The site is busy"


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_refusing():
    """Every new connection to the database is refused, for real: PostgreSQL is looked for
    on a port nothing listens on, SQLite at a file that cannot be opened. The open
    connection (SQLite's in-memory test database lives in it) is set aside meanwhile."""
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/healthsite/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = unused_port()
    try:
        yield
    finally:
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


def problems(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_page_not_in_the_cache_answers_busy_with_retry_after(client, caplog):
    article = make_article(title="Sleep after surgery")
    with database_refusing(), caplog.at_level(logging.INFO):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assertContains(response, BUSY, status_code=503)
    assertNotContains(response, "told", status_code=503)
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    # One line naming the cause, no traceback, and not Django's own line besides.
    [line] = problems(caplog)
    assert line.name == "healthsite.database_down"
    assert line.exc_info is None
    message = line.getMessage()
    assert message.startswith("Database unavailable (OperationalError: ")
    assert f"answered GET {article.get_absolute_url()} with 503" in message
    assert "\n" not in message


def test_visitors_still_get_the_pages_the_cache_holds(client):
    article = make_article(title="Sleep after surgery")
    assertContains(client.get(article.get_absolute_url()), "Sleep after surgery")
    with database_refusing():
        response = client.get(article.get_absolute_url())
        assertContains(response, "Sleep after surgery")
        assert response["X-Page-Cache"] == "hit"
        # A page nobody asked for yet is not in the cache.
        assert client.get("/search/?q=sleep").status_code == 503


def test_signed_in_readers_get_the_busy_page(client):
    article = make_article(title="Sleep after surgery")
    client.force_login(make_user(username="reader"))
    with database_refusing():
        response = client.get(article.get_absolute_url())
        assertContains(response, BUSY, status_code=503)
        # Nothing about the reader can be shown: who they are is in the database.
        assertNotContains(response, "Signed in as", status_code=503)
        assertContains(client.get("/accounts/profile/"), BUSY, status_code=503)


def test_a_comment_being_posted_keeps_its_text(client):
    article = make_article(title="Sleep after surgery")
    reader = make_user(username="reader")
    client.force_login(reader)
    url = f"/comments/articles/{article.pk}/"
    text = "Naps helped me <b>a lot</b> in the first week."
    with database_refusing():
        response = client.post(url, {"body": text, "notify_replies": "on", "website": ""})
    assertContains(response, "Your comment was not posted", status_code=503)
    assertContains(
        response, "Naps helped me &lt;b&gt;a lot&lt;/b&gt; in the first week.", status_code=503
    )
    assertContains(response, f'action="{url}"', status_code=503)
    assertContains(response, 'name="notify_replies" value="on"', status_code=503)
    assert response["Retry-After"] == "5"
    assert not Comment.objects.exists()

    # Sent again once the database is back, the comment is posted.
    response = client.post(url, {"body": text, "notify_replies": "on", "website": ""})
    assert response.status_code == 302
    assert Comment.objects.get().body == text


def test_the_site_works_again_by_itself(client):
    article = make_article(title="Sleep after surgery")
    client.force_login(make_user(username="reader"))
    with database_refusing():
        assert client.get(article.get_absolute_url()).status_code == 503
    assertContains(client.get(article.get_absolute_url()), "Sleep after surgery")

"""After the database is restored from a backup into a site whose cache (Redis) stays,
`manage.py clear_page_cache` (which the restore runs) makes every cached page stale at once,
on every process sharing the cache, and leaves the comment limits alone."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from healthsite.caching.namespace import NAMESPACE_KEY
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

REDIS_DB = "redis://127.0.0.1:6379/13"  # a database of these tests' own


@pytest.fixture(params=["redis", "local-memory"])
def site_cache(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "BACKEND": "healthsite.caching.redis.RedisCache",
                "LOCATION": REDIS_DB,
            }
        }
    cache.clear()
    yield request.param
    cache.clear()


def restore_backup(article, *, title: str, comment_count: int) -> None:
    """What a restore does to the database: rows written under the site, in SQL, with no
    save() of ours to tell the cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {article._meta.db_table} SET title = %s, comment_count = %s WHERE id = %s",
            [title, comment_count, article.pk],
        )


def test_a_restore_then_clear_page_cache_shows_the_restored_pages(client, site_cache):
    article = make_article(title="Sleep after surgery")
    make_comment(article=article)
    reader = make_user(username="reader")
    url = article.get_absolute_url()
    page = client.get(url)
    assertContains(page, "Comments (1)")
    assertContains(client.get("/"), "Sleep after surgery")

    restore_backup(article, title="Sleeping well after an operation", comment_count=4)
    # The cache does not know: the pre-restore pages are still served.
    assert client.get(url)["X-Page-Cache"] == "hit"
    assertContains(client.get(url), "Comments (1)")

    out = io.StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "Cached pages are stale" in out.getvalue()

    page = client.get(url)
    assert "X-Page-Cache" not in page
    assertContains(page, "Sleeping well after an operation")
    assertContains(page, "Comments (4)")
    assertNotContains(client.get("/"), "Sleep after surgery")
    # Signed-in readers' pages are made of cached parts and rows: those are stale too.
    client.force_login(reader)
    assertContains(client.get(url), "Sleeping well after an operation")


def test_clearing_the_page_cache_keeps_the_comment_limits(client, site_cache, settings):
    settings.COMMENTS_PER_MINUTE = 1
    article = make_article()
    client.force_login(make_user(username="reader"))
    url = f"/comments/articles/{article.pk}/"
    assert client.post(url, {"body": "The first one.", "website": ""}).status_code == 302
    call_command("clear_page_cache", stdout=io.StringIO())
    response = client.post(url, {"body": "One too many.", "website": ""})
    assert response.status_code == 400


def test_every_clear_moves_to_a_namespace_never_used_before(client, site_cache):
    seen = set()
    for _ in range(3):
        call_command("clear_page_cache", stdout=io.StringIO())
        seen.add(cache.get(NAMESPACE_KEY))
    cache.delete(NAMESPACE_KEY)  # Redis emptied, or restored from a copy of its own
    make_article()
    # The next page read makes one afresh, not a value used before.
    client.get("/")
    assert cache.get(NAMESPACE_KEY) not in seen | {None}

"""With Redis gone, the site keeps working without its cache and says why in the log."""

import logging

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from comments.models import Comment
from healthsite.caching import redis as cache_redis
from tests.factories import PASSWORD, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings, monkeypatch):
    # Nothing listens on port 1: every cache call fails at once with a connection error.
    settings.CACHES = {
        "default": {
            "BACKEND": "healthsite.caching.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    monkeypatch.setattr(cache_redis.OncePerOutage, "last_logged", 0.0)


def test_pages_sign_in_and_comments_work_without_redis(client, redis_down, caplog):
    article = make_article(title="Steady breathing")
    reader = make_user(username="reader")
    make_comment(article=make_article(), user=reader)

    with caplog.at_level(logging.WARNING, logger="healthsite.caching.redis"):
        assertContains(client.get(article.get_absolute_url()), "Steady breathing")
        assertContains(client.get("/"), "Steady breathing")

        response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD})
        assertRedirects(response, "/")

        response = client.post(
            f"/comments/articles/{article.pk}/", {"body": "Still works", "website": ""}
        )
        assert response.status_code == 302
    assert Comment.objects.filter(body="Still works", status="visible").exists()
    assertContains(client.get(article.get_absolute_url()), "Still works")

    warnings = [record.getMessage() for record in caplog.records]
    assert any("Redis cache unavailable" in message for message in warnings)
    # Logged once for the outage, not once per cache call.
    assert len(warnings) == 1

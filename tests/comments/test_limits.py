import os
import uuid

import pytest
import redis
from django.core.cache import cache
from pytest_django.asserts import assertContains

from comments.limits import count_comment
from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The production set-up: counters in Redis, shared by every server process."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "healthsite.caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.mark.django_db
def test_requests_reuse_one_redis_client(redis_cache, client, monkeypatch, settings):
    # Django's own Redis cache builds a redis-py client (a few hundred response handlers)
    # for every operation; ours builds one per connection pool and keeps it.
    article = make_article()
    reader = make_user()
    make_comment(article=make_article(), user=reader)  # a regular: posts go up at once
    client.force_login(reader)
    client.get(article.get_absolute_url())

    built = []
    original = redis.Redis.__init__

    def counting_init(self, *a, **kw):
        built.append(1)
        original(self, *a, **kw)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    client.get(article.get_absolute_url())
    response = client.post(
        f"/comments/articles/{article.pk}/", {"body": "Counted in Redis", "website": ""}
    )
    assert response.status_code == 302
    assertContains(client.get(article.get_absolute_url()), "Counted in Redis")
    assert built == []
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert any(redis_cache.scan_iter(f"{prefix}:*"))  # the counts and pages are in Redis


def test_counts_live_in_redis_where_every_process_sees_them(redis_cache, settings):
    for _ in range(settings.COMMENTS_PER_MINUTE):
        assert count_comment(user_id=7) is None
    # Another server process reads the same counter straight from Redis.
    keys = [key.decode() for key in redis_cache.scan_iter(f"{cache.key_prefix}:*:m:*")]
    assert len(keys) == 1
    assert int(redis_cache.get(keys[0])) == settings.COMMENTS_PER_MINUTE
    # Kept for two windows and a minute (the next window reads it), never for ever.
    assert 0 < redis_cache.ttl(keys[0]) <= 2 * 60 + 60
    message = count_comment(user_id=7)
    assert message is not None
    assert "a minute" in message
    # Other users have their own counters.
    assert count_comment(user_id=8) is None


def test_local_memory_fallback_counts_too(settings):
    for _ in range(settings.COMMENTS_PER_MINUTE):
        assert count_comment(user_id=7) is None
    message = count_comment(user_id=7)
    assert message is not None
    assert "a minute" in message


@pytest.mark.django_db
def test_no_burst_across_a_minute_boundary(client, settings, time_machine):
    """A fixed window would let 5 comments in at 12:00:59 and 5 more at 12:01:00."""
    minute = 1_800_000_000  # a whole minute
    # The clock is set first, so that the login's session is from the same time.
    time_machine.move_to(minute - 1.0, tick=False)
    settings.COMMENTS_PER_MINUTE = 5
    article = make_article()
    reader = make_user(username="quick")
    make_comment(article=make_article(), user=reader)  # has history: posts go straight up
    client.force_login(reader)

    def post(body: str):
        return client.post(f"/comments/articles/{article.pk}/", {"body": body, "website": ""})

    for number in range(5):
        assert post(f"Before the minute {number}").status_code == 302
    time_machine.move_to(minute + 1.0)
    response = post("Just after the minute")
    assertContains(response, "up to 5 comments a minute", status_code=400)
    assertContains(response, "Just after the minute", status_code=400)
    assert Comment.objects.filter(article=article).count() == 5

    # A minute on, there is room again.
    time_machine.move_to(minute + 60.0)
    assert post("A minute later").status_code == 302
    assert Comment.objects.filter(article=article).count() == 6


def test_the_daily_limit_slides_too(settings, time_machine):
    settings.COMMENTS_PER_MINUTE = 1000
    settings.COMMENTS_PER_DAY = 3
    midnight = 1_800_057_600  # a whole day
    time_machine.move_to(midnight - 60.0, tick=False)
    for _ in range(3):
        assert count_comment(user_id=7) is None
    time_machine.move_to(midnight + 60.0)
    message = count_comment(user_id=7)
    assert message is not None
    assert "3 comments a day" in message

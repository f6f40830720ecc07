import os
import uuid

import pytest
import redis
from django.core.cache import cache

from comments.limits import count_comment

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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_counts_live_in_redis_where_every_process_sees_them(redis_cache, settings):
    for _ in range(settings.COMMENTS_PER_MINUTE):
        assert count_comment(user_id=7) is None
    # Another server process reads the same counter straight from Redis.
    keys = [key.decode() for key in redis_cache.scan_iter(f"{cache.key_prefix}:*:m:*")]
    assert len(keys) == 1
    assert int(redis_cache.get(keys[0])) == settings.COMMENTS_PER_MINUTE
    assert "a minute" in count_comment(user_id=7)
    # Other users have their own counters.
    assert count_comment(user_id=8) is None


def test_local_memory_fallback_counts_too(settings):
    for _ in range(settings.COMMENTS_PER_MINUTE):
        assert count_comment(user_id=7) is None
    assert "a minute" in count_comment(user_id=7)

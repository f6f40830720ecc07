"""Redis, as the cache uses it: django-redis with IGNORE_EXCEPTIONS (settings.CACHES), so
that with Redis down the site serves without its cache instead of failing requests.

If Redis goes down, pages still load (rendered every time, so slower), sign-in and comments
still work (comment limits are not enforced while it is down), and the log says why, at most
once every LOG_EVERY seconds per process so that an outage does not flood it.
"""

import logging
import time
from typing import Any

from django.core.cache import caches
from django_redis import cache as django_redis_cache
from django_redis import get_redis_connection
from redis import Redis
from redis.exceptions import RedisError

# django-redis logs what it ignored to this logger (DJANGO_REDIS_LOGGER in settings).
LOGGER = "healthsite.caching.redis"
LOG_EVERY = 30
logger = logging.getLogger(LOGGER)


class OncePerOutage(logging.Filter):
    """Let through one line per LOG_EVERY seconds, naming the error, instead of a
    traceback for every cache call that failed while Redis was away."""

    last_logged = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - OncePerOutage.last_logged < LOG_EVERY:
            return False
        OncePerOutage.last_logged = now
        if record.exc_info:  # django-redis: "Exception ignored", with the traceback
            error = record.exc_info[1]
            cause = error.__cause__ if error is not None and error.__cause__ else error
            record.msg = "Redis cache unavailable (%s): serving without the cache."
            record.args = (cause,)
            record.exc_info = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class RedisCache(django_redis_cache.RedisCache):
    """django-redis, whose touch() alone lets a connection error through instead of
    ignoring it like every other call (django-redis 7.0): it is ignored here the same way.
    tests/test_redis_down.py fails if that changes."""

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().touch(*args, **kwargs)
        except RedisError as error:
            if not self._ignore_exceptions:
                raise
            report_unavailable("touch", error)
            return False


def report_unavailable(operation: str, error: Exception) -> None:
    """Log a Redis error met outside the cache API (LOG_EVERY applies)."""
    logger.warning(
        "Redis cache unavailable during %s (%s): serving without the cache.", operation, error
    )


def shared_redis() -> Redis | None:
    """The default cache's Redis client, for what the cache API cannot say in one round
    trip (a pipeline of counters); None when the cache is not Redis (local memory)."""
    if not isinstance(caches["default"], django_redis_cache.RedisCache):
        return None
    return get_redis_connection("default")

"""A Redis cache that degrades to "no cache" instead of failing requests.

If Redis goes down, pages still load (rendered every time, so slower), sign-in and comments
still work (comment limits are not enforced while it is down), and the log says why, at most
once every LOG_EVERY seconds per process so that an outage does not flood it.
"""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY = 30


def report_unavailable(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - ResilientRedisCache.last_logged >= LOG_EVERY:
        ResilientRedisCache.last_logged = now
        logger.warning(
            "Redis cache unavailable during %s (%s): serving without the cache.", operation, error
        )


def _degrades_to(fallback: Callable[..., Any]) -> Callable:
    """Wrap a cache method: on a Redis error, log and answer `fallback(*arguments)`."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def safe(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                report_unavailable(method.__name__, error)
                return fallback(*args, **kwargs)

        return safe

    return decorate


def _nothing(*args, **kwargs) -> None:
    return None


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django builds a new redis-py client for every cache operation, and building one sets up
    its table of a few hundred response handlers: a few tenths of a millisecond, several
    times per page. A redis-py client is safe to share; it holds no connection of its own.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    # Reads miss; writes are dropped; counters restart, so comment limits fail open.
    get = _degrades_to(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _degrades_to(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _degrades_to(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _degrades_to(lambda *args, **kwargs: False)(RedisCache.add)
    set = _degrades_to(_nothing)(RedisCache.set)
    set_many = _degrades_to(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _degrades_to(lambda *args, **kwargs: False)(RedisCache.touch)
    incr = _degrades_to(lambda key, delta=1, version=None: delta)(RedisCache.incr)
    delete = _degrades_to(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _degrades_to(_nothing)(RedisCache.delete_many)
    clear = _degrades_to(lambda: False)(RedisCache.clear)

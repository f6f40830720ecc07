"""Comment rate limits, counted in the shared cache (Redis in production) so that every
server process sees the same numbers.

Each limit is a sliding window, estimated from two fixed windows: the count so far in the
current window plus the previous window's count, weighted by how much of it still lies
within the last `window` seconds. A fixed window alone would let twice the limit through
in a moment around the boundary (5 comments at 12:00:59 and 5 more at 12:01:00).
"""

from time import time

from django.conf import settings
from django.core.cache import cache
from redis import Redis
from redis.exceptions import RedisError

from healthsite.caching.redis import report_unavailable, shared_redis

# (name, window in seconds) of each limit.
WINDOWS = (("m", 60), ("d", 86400))


def _keys(user_id: int, now: float) -> list[tuple[str, str, float]]:
    """For each limit: the current window's key, the previous window's key, and how much of
    the previous window still lies within the last `window` seconds."""
    keys = []
    for name, window in WINDOWS:
        number, elapsed = divmod(now, window)
        prefix = f"comments:rate:{user_id}:{name}"
        keys.append(
            (f"{prefix}:{int(number)}", f"{prefix}:{int(number) - 1}", 1 - elapsed / window)
        )
    return keys


def _count_in_redis(client: Redis, keys: list[tuple[str, str, float]]) -> list[float]:
    """All counters in one round trip: INCR is atomic, so concurrent posts from every server
    process are all counted. A key lives for two windows: the next one still reads it."""
    pipe = client.pipeline(transaction=False)
    for (current, previous, _), (_, window) in zip(keys, WINDOWS, strict=True):
        current = cache.make_and_validate_key(current)
        pipe.incr(current)
        pipe.expire(current, 2 * window + 60, nx=True)
        pipe.get(cache.make_and_validate_key(previous))
    results = pipe.execute()
    return [
        results[3 * n] + int(results[3 * n + 2] or 0) * weight
        for n, (_, _, weight) in enumerate(keys)
    ]


def _count_in_cache(keys: list[tuple[str, str, float]]) -> list[float]:
    """The same through Django's cache API, for the local-memory cache."""
    counts = []
    for (current, previous, weight), (_, window) in zip(keys, WINDOWS, strict=True):
        cache.add(current, 0, timeout=2 * window + 60)
        try:
            hits = cache.incr(current)
        except ValueError:  # the key expired between add() and incr()
            cache.add(current, 1, timeout=2 * window + 60)
            hits = 1
        counts.append(hits + cache.get(previous, 0) * weight)
    return counts


def count_comment(*, user_id: int) -> str | None:
    """Count one comment for the user; return a message if that goes past a limit."""
    keys = _keys(user_id, time())
    client = shared_redis()
    if client is not None:
        try:
            per_minute, per_day = _count_in_redis(client, keys)
        except RedisError as error:
            # Like every other use of the cache: with Redis down, comments still work.
            report_unavailable("comment limits", error)
            return None
    else:
        per_minute, per_day = _count_in_cache(keys)
    if per_minute > settings.COMMENTS_PER_MINUTE:
        return (
            f"You can post up to {settings.COMMENTS_PER_MINUTE} comments a minute. "
            "Please wait a moment and send it again: your text is kept below."
        )
    if per_day > settings.COMMENTS_PER_DAY:
        return (
            f"You have reached the limit of {settings.COMMENTS_PER_DAY} comments a day. "
            "Your text is kept below; please post it later."
        )
    return None

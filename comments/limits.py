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


def _hit(key: str, *, window: int) -> int:
    # add() is a no-op when the key exists; incr() is atomic on Redis and per process on
    # local memory. Kept for two windows: the next one still reads it as its previous.
    cache.add(key, 0, timeout=2 * window + 60)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=2 * window + 60)
        return 1


def _sliding_count(prefix: str, *, window: int, now: float) -> float:
    """Count one more event and return the estimated number in the last `window` seconds."""
    number, elapsed = divmod(now, window)
    current = _hit(f"{prefix}:{int(number)}", window=window)
    previous = cache.get(f"{prefix}:{int(number) - 1}", 0)
    return current + previous * (1 - elapsed / window)


def count_comment(*, user_id: int) -> str | None:
    """Count one comment for the user; return a message if that goes past a limit."""
    now = time()
    per_minute = _sliding_count(f"comments:rate:{user_id}:m", window=60, now=now)
    per_day = _sliding_count(f"comments:rate:{user_id}:d", window=86400, now=now)
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

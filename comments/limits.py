"""Comment rate limits, counted in the shared cache (Redis in production) so that every
server process sees the same numbers."""

import time

from django.conf import settings
from django.core.cache import cache


def _hit(key: str, *, window: int) -> int:
    # add() is a no-op when the key exists; incr() is atomic on Redis and per process on
    # local memory. A fixed window is enough here: it bounds bursts and daily volume.
    cache.add(key, 0, timeout=window + 60)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window + 60)
        return 1


def count_comment(*, user_id: int) -> str | None:
    """Count one comment for the user; return a message if that goes past a limit."""
    now = int(time.time())
    per_minute = _hit(f"comments:rate:{user_id}:m:{now // 60}", window=60)
    per_day = _hit(f"comments:rate:{user_id}:d:{now // 86400}", window=86400)
    if per_minute > settings.COMMENTS_PER_MINUTE:
        return (
            f"You can post up to {settings.COMMENTS_PER_MINUTE} comments a minute. "
            "Please wait a moment and send it again: your text is kept below."
        )
    if per_day > settings.COMMENTS_PER_DAY:
        return (
            f"You have reached today's limit of {settings.COMMENTS_PER_DAY} comments. "
            "Your text is kept below; please post it tomorrow."
        )
    return None

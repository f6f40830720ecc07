"""Cache keys of any length: the page cache's include the page's full address.

Memcached takes keys of at most 250 characters without spaces or control characters, and
Django warns (CacheKeyWarning) about any other key whatever the backend, once per call: a
long address would log a warning on every request for it. Such keys are stored under a hash
of the whole key instead (settings.CACHES' KEY_FUNCTION), so they stay distinct and short.
"""

import hashlib

from django.core.cache.backends.base import MEMCACHE_MAX_KEY_LENGTH


def make_key(key: str, key_prefix: str, version: int | str) -> str:
    """Django's key (prefix:version:key), or, when that is too long or holds a space or a
    control character, prefix:version:hash: followed by the key's BLAKE2b digest."""
    full = f"{key_prefix}:{version}:{key}"
    if len(full) <= MEMCACHE_MAX_KEY_LENGTH and not any(
        ord(character) < 33 or ord(character) == 127 for character in full
    ):
        return full
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=32).hexdigest()
    return f"{key_prefix}:{version}:hash:{digest}"

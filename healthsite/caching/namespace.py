"""The page cache's namespace: what a database restore moves on.

Every cached page, fragment and article row is keyed on the page version, which starts with
the namespace (versions.read_page_version() reads it in the same round trip as the rest).
Changes to content move the generation; a restore moves the namespace instead, since what
the cache holds was made from data that is no longer there: `manage.py clear_page_cache`,
which the restore runs once the database is back (docs/caching.md).

It lives in the cache, not the database: a cached page is served without a query (and
while the database is away), and a namespace kept in the database would come back from
the backup with the very value the stale pages are cached under. A new namespace is the
time and some random bits, so it is never one used before, even after Redis itself was
emptied or restored. Nothing is deleted: what was cached under the old one expires.
Comment limits, kept in the same cache, are not touched.
"""

import secrets
import time

from django.core.cache import cache

NAMESPACE_KEY = "pages:namespace"


def new_namespace() -> str:
    return f"{time.time_ns() // 1_000_000:x}{secrets.token_hex(2)}"


def move_page_namespace() -> str:
    """Make everything cached for pages stale at once, on every server process sharing the
    cache; returns the new namespace."""
    namespace = new_namespace()
    cache.set(NAMESPACE_KEY, namespace, timeout=None)
    return namespace


def current_namespace(found: str | None) -> str:
    """The namespace as read with the page version (`found`), made when the cache has
    none yet (a new or emptied cache): every process agrees on the first one made."""
    if found is not None:
        return found
    cache.add(NAMESPACE_KEY, new_namespace(), timeout=None)
    return str(cache.get(NAMESPACE_KEY) or "")

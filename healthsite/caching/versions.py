"""Page versions: what every cached page and fragment is keyed on, and how changes move them.

See the package's notes (healthsite/caching/__init__.py) for the whole design.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone

from .namespace import NAMESPACE_KEY, current_namespace

GENERATION_KEY = "pages:generation"
SCHEDULE_KEY = "pages:scheduled-changes"
ARTICLE_KEY = "pages:article:{slug}"
# Present for REPLICA_LAG_SECONDS after a change, when there are read replicas.
SETTLING_KEY = "pages:settling"
ARTICLE_SETTLING_KEY = "pages:article-settling:{slug}"
SETTLING_CACHE_SECONDS = 1
# An article's version outlives any page or fragment cached under it, and goes with time
# when its article no longer changes.
ARTICLE_VERSION_SECONDS = 7 * 24 * 60 * 60
# The view whose pages carry their article's own version, found by its URL's `slug`.
ARTICLE_VIEW = "articles:detail"


def invalidate_pages() -> None:
    """Make every cached page stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation stored yet (or the cache lost it)
        cache.set(GENERATION_KEY, 1, timeout=None)
    _settle(SETTLING_KEY)


def invalidate_article_pages(slug: str) -> None:
    """Make the cached pages of one article stale, and only those."""
    key = ARTICLE_KEY.format(slug=slug)
    try:
        cache.incr(key)
        cache.touch(key, ARTICLE_VERSION_SECONDS)
    except ValueError:  # the article's first change (or its version went)
        # Never back to a version an earlier page may still be cached under.
        cache.set(key, int(time.time() * 1000), timeout=ARTICLE_VERSION_SECONDS)
    _settle(ARTICLE_SETTLING_KEY.format(slug=slug))


def _settle(key: str) -> None:
    if settings.DATABASE_REPLICAS:
        cache.set(key, 1, timeout=settings.REPLICA_LAG_SECONDS)


def invalidate_pages_after_write(invalidate: Callable[[], None] = invalidate_pages) -> None:
    """The one way a change reaches the cache: every model save and delete, tag link and
    admin bulk action ends here.

    Now, so the writer's next request sees the change, and again after the transaction
    commits, so a page rendered from the old data in between does not outlive it."""
    invalidate()
    transaction.on_commit(invalidate)


class InvalidatesPages(models.Model):
    """Models whose changes show on public pages: saving or deleting one invalidates them.

    `pages_ignore_fields` lists fields that never show on a page, so that saving only those
    (a user's last_login at every sign-in, say) keeps the cache.
    """

    pages_ignore_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= self.pages_ignore_fields:
            invalidate_pages_after_write(self.invalidate_cached_pages)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        invalidate_pages_after_write(self.invalidate_cached_pages)
        return result

    def invalidate_cached_pages(self) -> None:
        """Make stale the cached pages that show this object: all of them, unless a model
        knows better."""
        invalidate_pages()


def invalidate_pages_at(moment: datetime) -> None:
    """Make every cached page stale at `moment`, when content goes live by itself (a
    scheduled article): no save happens then to invalidate them."""
    times = cache.get(SCHEDULE_KEY) or []
    cache.set(SCHEDULE_KEY, sorted({*times, moment.timestamp()}), timeout=None)


@dataclass(frozen=True)
class PageVersion:
    """What one request's cached page and fragments are keyed on (`key`: the generation,
    and on an article's pages the article's own version), and whether what it touched is
    still settling on read replicas."""

    key: str
    settling: bool

    def seconds(self, seconds: int) -> int:
        """How long to keep what this request renders: `seconds`, or a second only while
        replicas may still be catching up with a change it shows."""
        return min(seconds, SETTLING_CACHE_SECONDS) if self.settling else seconds


def read_page_version(request: HttpRequest) -> PageVersion:
    """The request's page version, read in one round trip to the cache. The page cache
    middleware reads it once per request, as `request.page_version`."""
    slug = _article_slug(request)
    version_key = ARTICLE_KEY.format(slug=slug) if slug else None
    settling_key = ARTICLE_SETTLING_KEY.format(slug=slug) if slug else None
    values = _current_versions(*filter(None, [version_key, settling_key]))
    article_version = values.get(version_key) if version_key else None
    namespace = current_namespace(values.get(NAMESPACE_KEY))
    return PageVersion(
        key=f"{namespace}.{values[GENERATION_KEY]}.{article_version or 0}",
        settling=SETTLING_KEY in values or settling_key in values,
    )


def page_version(request: HttpRequest) -> PageVersion:
    """`request.page_version`, which the page cache middleware gives every request (read
    lazily, by read_page_version()). Read it through here: HttpRequest declares no such
    attribute, so this is the one place that tells the type checker what it is."""
    version: PageVersion = request.page_version  # type: ignore[attr-defined]
    return version


def _article_slug(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:  # in middleware, before the URL is resolved for the view
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.kwargs.get("slug") if match.view_name == ARTICLE_VIEW else None


def _current_versions(*article_keys: str) -> dict[str, Any]:
    """The namespace (see namespace.py) and the generation, and the values of
    `article_keys` and the settling mark that are set, read in one round trip."""
    values = cache.get_many(
        [NAMESPACE_KEY, GENERATION_KEY, SCHEDULE_KEY, SETTLING_KEY, *article_keys]
    )
    generation = values.get(GENERATION_KEY)
    times = values.get(SCHEDULE_KEY) or []
    now = timezone.now().timestamp()
    if times and times[0] <= now:
        cache.set(SCHEDULE_KEY, [moment for moment in times if moment > now], timeout=None)
        invalidate_pages()
        generation = None
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        values[GENERATION_KEY] = cache.get(GENERATION_KEY, 1)
    return values

"""Whole-page cache for anonymous readers.

Readers who are not signed in all see the same page, so it is rendered once and served from
the cache (Redis in production) until content changes. Signed-in users always get a fresh
page with their own state.

Invalidation is by generation: every cached page's key carries the current generation
number, and `invalidate_pages()` (called when an article, category, user or anything else
that pages show is saved or deleted) moves to a new one, so every page is re-rendered on its
next request. Comments show on their article's pages only, so a comment moves that article's
own version instead (`invalidate_article_pages()`), which the keys of its pages carry too:
a busy discussion does not empty the cache of the rest of the site. With Redis
that happens at once for every server process; PAGE_CACHE_SECONDS bounds how long any page is
kept all the same, so even a change that bypasses `save()` (a queryset `update()`) shows
within that time. Content that goes live by itself (a scheduled article) registers its
moment with `invalidate_pages_at()`, and the first request after it starts a new
generation.

With read replicas, a page rendered just after a change may have read a replica that has
not caught up yet. For REPLICA_LAG_SECONDS after a change, what it touched is therefore
"settling": pages, fragments and the article's row made then are kept for one second only
(`cache_seconds()`), so a copy made from old data is soon made again from new data.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

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
logger = logging.getLogger(__name__)


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
    # Now, so the writer's next request sees the change, and again after the transaction
    # commits, so a page rendered from the old data in between does not outlive it.
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

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= self.pages_ignore_fields:
            invalidate_pages_after_write(self.invalidate_cached_pages)

    def delete(self, *args, **kwargs):
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


def page_version(request: HttpRequest) -> str:
    """The version a page and its cached fragments are keyed on: the generation, and on an
    article's pages the article's own version (see the module's notes).

    Read once per request, in one round trip: the page cache and the fragments share it."""
    if not hasattr(request, "_page_version"):
        slug = _article_slug(request)
        version_key = ARTICLE_KEY.format(slug=slug) if slug else None
        settling_key = ARTICLE_SETTLING_KEY.format(slug=slug) if slug else None
        values = _current_versions(*filter(None, [version_key, settling_key]))
        request._page_version = f"{values[GENERATION_KEY]}.{values.get(version_key) or 0}"
        request._page_settling = SETTLING_KEY in values or settling_key in values
    return request._page_version


def cache_seconds(request: HttpRequest, seconds: int) -> int:
    """How long to keep what this request renders: `seconds`, or a second only while
    replicas may still be catching up with a change it shows (see the module's notes)."""
    page_version(request)
    return min(seconds, SETTLING_CACHE_SECONDS) if request._page_settling else seconds


def _article_slug(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:  # in middleware, before the URL is resolved for the view
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.kwargs.get("slug") if match.view_name == ARTICLE_VIEW else None


def _current_versions(*article_keys: str) -> dict:
    """The generation, and the values of `article_keys` and the settling mark that are
    set, read in one round trip."""
    values = cache.get_many([GENERATION_KEY, SCHEDULE_KEY, SETTLING_KEY, *article_keys])
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


def fragment_cache_context(request: HttpRequest) -> dict:
    """What a template needs to cache a fragment shared by every reader:
    `{% cache fragment_seconds "name" ... fragment_version %}`. The fragment is keyed on
    the page's version, which any change to what it shows moves on."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    return {
        "fragment_seconds": cache_seconds(request, seconds) if seconds else 0,
        "fragment_version": page_version(request) if seconds else None,
    }


class AnonymousPageCacheMiddleware:
    """Serve and store whole GET pages for visitors who are not signed in.

    Placed after AuthenticationMiddleware (it needs request.user) and MessageMiddleware
    (a page carrying a one-time message must be neither served from nor put in the cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            response = self.get_response(request)
            if request.method in {"GET", "HEAD"} and request.user.is_authenticated:
                # Personal pages: a shared cache (CDN, proxy) must never keep them.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key = f"page:{page_version(request)}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return self._rebuild(cached)

        response = self.get_response(request)
        if self._cacheable_response(request, response):
            seconds = cache_seconds(request, settings.PAGE_CACHE_SECONDS)
            patch_vary_headers(response, ["Cookie"])
            # Browsers revalidate (a cheap 304 thanks to the ETag); a CDN may keep it briefly.
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            cache.set(key, self._freeze(response), timeout=seconds)
        return response

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in {"GET", "HEAD"}
            and not request.user.is_authenticated
            and not request.COOKIES.get("messages")
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
        )

    def _cacheable_response(self, request: HttpRequest, response: HttpResponse) -> bool:
        messages = getattr(request, "_messages", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and not (messages and len(messages))
        )

    @staticmethod
    def _freeze(response: HttpResponse) -> dict:
        return {
            "content": response.content,
            "status": response.status_code,
            "headers": dict(response.headers),
        }

    @staticmethod
    def _rebuild(frozen: dict) -> HttpResponse:
        response = HttpResponse(frozen["content"], status=frozen["status"])
        for name, value in frozen["headers"].items():
            response.headers[name] = value
        response.headers["X-Page-Cache"] = "hit"
        return response

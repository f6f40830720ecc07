"""Whole GET pages for visitors who are not signed in, served from and stored in the cache."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject

from .versions import page_version, read_page_version


class AnonymousPageCacheMiddleware:
    """Serve and store whole GET pages for visitors who are not signed in.

    It also gives every request its `request.page_version` (read from the cache at most
    once, when first used), which the fragments of signed-in pages are keyed on too.

    Placed after AuthenticationMiddleware (it needs request.user) and MessageMiddleware
    (a page carrying a one-time message must be neither served from nor put in the cache).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read back through versions.page_version(); HttpRequest declares no such attribute.
        request.page_version = SimpleLazyObject(lambda: read_page_version(request))  # type: ignore[attr-defined]
        if not self._cacheable_request(request):
            response = self.get_response(request)
            if request.method in {"GET", "HEAD"} and request.user.is_authenticated:
                # Personal pages: a shared cache (CDN, proxy) must never keep them.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        version = page_version(request)
        key = f"page:{version.key}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return self._rebuild(cached)

        response = self.get_response(request)
        if self._cacheable_response(request, response):
            seconds = version.seconds(settings.PAGE_CACHE_SECONDS)
            patch_vary_headers(response, ["Cookie"])
            # Browsers revalidate (a cheap 304 thanks to the ETag); a CDN may keep it for
            # the page cache's time, and serve it stale a little longer while it fetches a
            # fresh one.
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=seconds,
                stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
            )
            if settings.PROXY_CACHE_SECONDS:
                # The proxy in front (deploy/nginx/healthsite.conf) keeps it this long,
                # short, since no change here can empty its cache; it does not pass the
                # header on.
                response["X-Accel-Expires"] = str(min(settings.PROXY_CACHE_SECONDS, seconds))
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
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and not len(get_messages(request))
        )

    @staticmethod
    def _freeze(response: HttpResponse) -> dict[str, Any]:
        return {
            "content": response.content,
            "status": response.status_code,
            "headers": dict(response.headers),
        }

    @staticmethod
    def _rebuild(frozen: dict[str, Any]) -> HttpResponse:
        response = HttpResponse(frozen["content"], status=frozen["status"])
        for name, value in frozen["headers"].items():
            response.headers[name] = value
        response.headers["X-Page-Cache"] = "hit"
        return response

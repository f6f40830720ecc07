"""Checking that the sources articles cite can still be reached."""

import urllib.error
import urllib.request

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Reference

USER_AGENT = "healthsite-link-checker/1.0 (+editors checking their sources)"


def check_url(url: str, *, timeout: float) -> tuple[bool, str]:
    """(works, what happened) for one address. HEAD first, as it is cheap; servers that
    refuse HEAD (405, 501) or mishandle it get a GET. Redirects are followed."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return True, f"{response.status} {response.reason}"
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in {403, 405, 501}:
                continue
            return False, f"{error.code} {error.reason}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return False, f"unreachable: {reason}"[:200]
    return False, "no answer"  # pragma: no cover: the GET always returns above


def check_references(*, references: QuerySet, timeout: float = 10) -> list[Reference]:
    """Check each reference's URL once (shared URLs are asked once), store the result on the
    reference, and return the broken ones."""
    results: dict[str, tuple[bool, str]] = {}
    broken = []
    for reference in references.select_related("article").order_by("article__title", "number"):
        if reference.url not in results:
            results[reference.url] = check_url(reference.url, timeout=timeout)
        reference.link_ok, reference.check_result = results[reference.url]
        reference.checked_at = timezone.now()
        reference.save(update_fields=["link_ok", "check_result", "checked_at"])
        if not reference.link_ok:
            broken.append(reference)
    return broken

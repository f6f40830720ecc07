from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, as seen by the outermost proxy we run.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it received the request
    from to X-Forwarded-For; the entry that many places from the right was written by our
    own outermost proxy, so a visitor cannot forge it (unlike the left-most entry).
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")

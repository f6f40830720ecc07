"""Checking that the sources articles cite can still be reached.

The checker runs inside our network, so an address an author typed must not make it ask
something there: a reference to http://127.0.0.1:6379/, to a private address, or to the
cloud's metadata service (169.254.169.254) would otherwise be fetched by us, and its answer
shown in the admin. Every address is resolved first and refused if any address it names is
internal (healthsite.validators.is_internal_address); the connection then goes to the very
address that was checked, so a name cannot resolve to another one in between. Redirects
are followed here, each hop checked the same way, at most MAX_REDIRECTS of them.
"""

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from healthsite.validators import is_internal_address

from ..models import Reference

USER_AGENT = "healthsite-link-checker/1.0 (+editors checking their sources)"
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
# host, port -> the IP addresses the name stands for (socket.getaddrinfo, as connecting would)
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """An address the checker will not ask: what `check_url` reports, said plainly."""


def resolve_host(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_url(url: str, *, timeout: float, resolve: Resolver = resolve_host) -> tuple[bool, str]:
    """(works, what happened) for one address. HEAD first, as it is cheap; servers that
    refuse HEAD (405, 501) or mishandle it get a GET. Redirects are followed, each checked."""
    for method in ("HEAD", "GET"):
        try:
            status, reason = _ask(url, method=method, timeout=timeout, resolve=resolve)
        except Refused as refused:
            return False, f"refused: {refused}"[:200]
        except (OSError, http.client.HTTPException, ValueError, UnicodeError) as error:
            return False, f"unreachable: {error}"[:200]
        if method == "HEAD" and status in {403, 405, 501}:
            continue
        return status < 400, f"{status} {reason}"
    return False, "no answer"  # pragma: no cover: the GET always returns above


def _ask(url: str, *, method: str, timeout: float, resolve: Resolver) -> tuple[int, str]:
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise Refused(f"{url[:100]} is not an http:// or https:// web address")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _public_address(parts.hostname, port, resolve)
        connection = _connection(parts.scheme, parts.hostname, port, address, timeout)
        try:
            target = parts.path or "/"
            if parts.query:
                target += f"?{parts.query}"
            connection.request(method, target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            location = response.getheader("Location")
            status, reason = response.status, response.reason
        finally:
            connection.close()
        if status not in REDIRECTS or not location:
            return status, reason
        url = urljoin(url, location)
    raise Refused(f"more than {MAX_REDIRECTS} redirects")


def _public_address(host: str, port: int, resolve: Resolver) -> str:
    """The address to connect to for `host`: refused if any it resolves to is internal."""
    addresses = [ipaddress.ip_address(found.split("%")[0]) for found in resolve(host, port)]
    if not addresses:
        raise Refused(f"{host} has no address")
    for address in addresses:
        if is_internal_address(address) and not _allowed(address):
            raise Refused(f"{host} is an internal address ({address}), not a public website")
    return str(addresses[0])


def _allowed(address: IPAddress) -> bool:
    """Networks an operator lets the checker ask although they are internal
    (LINK_CHECKER_ALLOWED_NETWORKS: none unless set)."""
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.LINK_CHECKER_ALLOWED_NETWORKS
    )


def _connection(
    scheme: str, host: str, port: int, address: str, timeout: float
) -> http.client.HTTPConnection:
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, address=address, timeout=timeout)
    return _PinnedHTTPConnection(host, port, address=address, timeout=timeout)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """A connection to `host` (its Host header) made to the address checked for it."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host's name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


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

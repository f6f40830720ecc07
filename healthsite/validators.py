"""Validators for what editors and authors type: text that pages and feeds show, and the
web addresses of sources.

Control characters (ESC, BEL and the rest of C0, which no keyboard types into a form) are
not allowed in XML, so one in an article's title or a person's name would stop the RSS and
Atom feeds from being written at all. Fields that feeds carry refuse them; tab and line
breaks are ordinary text and stay allowed. Text stored before this check is cleaned where
the feeds write it (`strip_control_characters`).
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

# C0 controls except tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@deconstructible
class NoControlCharacters:
    message = (
        "This text holds a control character (such as one pasted from a terminal) that "
        "cannot be shown: please remove it. Only letters, digits, punctuation, spaces, "
        "tabs and line breaks are allowed."
    )
    code = "control_characters"

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters)

    def __hash__(self) -> int:
        return hash(type(self))


no_control_characters = NoControlCharacters()


def strip_control_characters(text: str) -> str:
    """`text` without the characters NoControlCharacters refuses."""
    return CONTROL_CHARACTERS.sub("", text)


# Addresses no source an article cites lives at: loopback, private networks, link-local
# (cloud metadata at 169.254.169.254 and fd00:ec2::254 among them), multicast, reserved.
def is_internal_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        address = mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


class PublicWebAddress(URLValidator):
    """An absolute http:// or https:// address of a public host: no other scheme, no
    address without one ("//host/page"), no `localhost` and no internal IP address."""

    message = (
        "Enter a full web address starting with https:// (or http://), e.g. https://www.nhs.uk/."
    )
    internal_message = (
        "This address points inside a private network, not at a public website: enter the "
        "address readers would open."
    )

    def __init__(self) -> None:
        super().__init__(schemes=["http", "https"], message=self.message)

    def __call__(self, value: str) -> None:
        super().__call__(value)
        host = (urlsplit(value).hostname or "").rstrip(".").lower()
        if host == "localhost" or host.endswith(".localhost"):
            raise ValidationError(self.internal_message, code="internal")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return  # a name: the link checker checks what it resolves to
        if is_internal_address(address):
            raise ValidationError(self.internal_message, code="internal")


public_web_address = PublicWebAddress()

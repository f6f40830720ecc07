"""Messages shown where the reader acted, not at the top of a long page.

A view that answers a form in one section of a page (the article's "Was this page
helpful?", its comments) adds its message with `extra_tags=shown_in("helpful")` and
redirects to `#<section>-message`; the section renders it with
`{% for message in messages|placed:"helpful" %}` in an element of that id with
tabindex="-1", so the browser scrolls to it and moves focus there, without JavaScript.
The top of the page (base.html) shows the messages no section claimed:
`messages|placed:""`.
"""

from collections.abc import Iterable

from django import template
from django.contrib.messages.storage.base import Message

register = template.Library()

PREFIX = "shown-in-"


def shown_in(section: str) -> str:
    """The `extra_tags` of a message to be shown inside `section` (its id on the page)."""
    return f"{PREFIX}{section}"


def _section(message: Message) -> str:
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PREFIX):
            return tag.removeprefix(PREFIX)
    return ""


@register.filter
def placed(messages: Iterable[Message], section: str) -> list[Message]:
    """The messages to show in `section`; "" for those no section claimed."""
    return [message for message in messages if _section(message) == section]

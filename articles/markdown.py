"""Turn an editor's Markdown into HTML that is safe to show, once, when an article is saved."""

import re
import secrets
from collections.abc import Mapping

import markdown
import nh3
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.models import Image
from images.pictures import figure_html

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "strong", "em", "b", "i", "code", "pre", "blockquote", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
    "img", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    **{heading: {"id"} for heading in ("h2", "h3", "h4", "h5", "h6")},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Ids the article page gives its own parts (templates/base.html, articles/article_detail.html,
# includes/, comments/) and to citation links. A body heading must not take one: a link to
# "#comments" would land in the body, and a page must not hold an id twice.
PAGE_IDS = re.compile(
    r"main|site-search-q|toc-heading|related-heading|sources-heading"
    r"|helpful|helpful-heading|helpful-comment"
    r"|comments|comments-heading|comment-form|comment-\d+"
    r"|comment-(?:body|help|error|notify|website)-\w+"
    r"|source-\d+|cite-\d+(?:-\d+)?"
)
HEADING_ID = re.compile(r'<h([2-6]) id="([^"]*)">')


def render_markdown(text: str, *, images: Mapping[int, Image] | None = None) -> str:
    """Render Markdown to HTML and sanitize it with an allow-list.

    Headings get ids made from their text, so links to a section stay stable while its
    heading does; an id the page itself uses, or one taken earlier in the body, gets a "_1"
    suffix (`unclash_heading_ids`). A level-one heading becomes a level two: the page title
    is the only h1.
    Anything not on the allow-list goes: script and style with their content, other tags
    with just the tag; event handlers, style attributes and `javascript:` URLs never survive.
    Care cards (`CARE_CARD`) are rendered the same way inside, and framed by markup of ours.
    """
    text, token, cards = extract_care_cards(text)
    html = embed_care_cards(_sanitized_html(text), token, cards)
    return embed_images(link_citations(unclash_heading_ids(html)), images or {})


def _sanitized_html(text: str) -> str:
    html = markdown.markdown(
        text,
        extensions=["toc", "tables", "fenced_code", "sane_lists"],
        extension_configs={"toc": {"baselevel": 1}},
        output_format="html",
    )
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style", "iframe", "object", "noscript", "template"},
    )


# A care card: advice on when to get help, as health services set it apart from the text.
#
#     :::urgent
#     - your walking gets suddenly worse over a day or two
#     :::
#
# The opening line names how soon ("non-urgent", "urgent" or "emergency"); what follows,
# up to a line ":::", is Markdown. The card's heading comes from settings.CARE_CARDS, so a
# site outside the UK names its own numbers.
CARE_CARD = re.compile(
    r"^:::[ \t]*(non-urgent|urgent|emergency)[ \t]*\n(.*?)^:::[ \t]*$", re.M | re.S
)
CARE_CARD_KINDS = ("non-urgent", "urgent", "emergency")


def extract_care_cards(text: str) -> tuple[str, str, list[tuple[str, str]]]:
    """Take the care cards out of a Markdown body: the text with a placeholder paragraph
    for each, the placeholders' token, and each card's (kind, inner Markdown). The token is
    fresh and random, so no text an editor writes can pass for a placeholder."""
    token = secrets.token_hex(8)
    cards: list[tuple[str, str]] = []

    def replace(match: re.Match) -> str:
        cards.append((match.group(1), match.group(2)))
        return f"\n\ncare-card-{token}-{len(cards) - 1}\n\n"

    return CARE_CARD.sub(replace, text), token, cards


def embed_care_cards(html: str, token: str, cards: list[tuple[str, str]]) -> str:
    """Replace each placeholder paragraph with its card: our frame, with a heading that
    says in words how soon to act (never colour alone), around the card's own Markdown,
    sanitized like the rest."""
    for index, (kind, inner) in enumerate(cards):
        label, action = settings.CARE_CARDS[kind]
        card = format_html(
            '<div class="care-card care-card--{}"><p class="care-card__heading">'
            '<strong>{}:</strong> {}</p><div class="care-card__content">{}</div></div>',
            kind,
            label,
            action,
            mark_safe(_sanitized_html(inner)),  # nh3's output: allow-listed already
        )
        html = html.replace(f"<p>care-card-{token}-{index}</p>", card)
    return html


def unclash_heading_ids(html: str) -> str:
    """Give every heading in sanitised HTML an id that is unique in the body and not one of
    the page's own (`PAGE_IDS`), adding "_1", "_2"... as Markdown does for repeated headings.

    Covers headings written in raw HTML too, whose ids Markdown never sees. An id that is
    already fine is left as it is, so links to ordinary headings keep working.
    """
    taken: set[str] = set()

    def replace(match: re.Match) -> str:
        level, anchor = match.groups()
        while not anchor or anchor in taken or PAGE_IDS.fullmatch(anchor):
            stem, _, number = anchor.rpartition("_")
            anchor = (
                f"{stem}_{int(number) + 1}"
                if stem and number.isdigit()
                else f"{anchor or 'section'}_1"
            )
        taken.add(anchor)
        return f'<h{level} id="{anchor}">'

    return HEADING_ID.sub(replace, html)


# A library picture in the body: "[image:12]" on a line of its own.
IMAGE_REFERENCE = re.compile(r"^\[image:(\d+)\]$", re.M)
IMAGE_PARAGRAPH = re.compile(r"<p>\[image:(\d+)\]</p>")


def image_ids(text: str) -> set[int]:
    """Library image ids a Markdown body places with "[image:n]" lines."""
    return {int(number) for number in IMAGE_REFERENCE.findall(text)}


def embed_images(html: str, images: Mapping[int, Image]) -> str:
    """Replace each "[image:n]" paragraph with the picture's figure (lazy: the body is below
    the fold). Runs after sanitising: the markup is ours, built from the library's fields
    with escaping. An id missing from `images` is dropped (the form refuses it first)."""
    return IMAGE_PARAGRAPH.sub(
        lambda match: (
            figure_html(images[int(match.group(1))]) if int(match.group(1)) in images else ""
        ),
        html,
    )


CITATION = re.compile(r"\[(\d{1,3})\]")
# Inside these a "[1]" is left as written: code shows it literally, a link cannot hold one.
NO_CITATIONS_IN = {"a", "code", "pre"}
TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')  # attribute values may hold ">"
TAG_NAME = re.compile(r"</?([a-z0-9]+)")


def cited_numbers(text: str) -> set[int]:
    """Reference numbers a body cites as [1], [2]..."""
    return {int(number) for number in CITATION.findall(text)}


def link_citations(html: str) -> str:
    """Make each "[n]" in sanitised HTML a link to source n, with an id to come back to.

    Runs after sanitising, on HTML whose only "<" and ">" are tags, so splitting on tags is
    safe; what it adds is ours alone. Ids depend only on the body ("cite-2" for the first
    mention of source 2, "cite-2-2" for the second...), so they stay the same at every save.
    """
    seen: dict[int, int] = {}
    skipping = 0

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        seen[number] = seen.get(number, 0) + 1
        anchor = f"cite-{number}" if seen[number] == 1 else f"cite-{number}-{seen[number]}"
        return (
            f'<sup class="citation"><a href="#source-{number}" id="{anchor}">[{number}]</a></sup>'
        )

    parts = TAG.split(html)
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = TAG_NAME.match(part)
            if name and name.group(1) in NO_CITATIONS_IN:
                skipping += -1 if part.startswith("</") else 1
        elif not skipping:
            parts[index] = CITATION.sub(replace, part)
    return "".join(parts)

"""Reading aids derived from an article's rendered body, once, when it is saved."""

import html
import re

WORDS_PER_MINUTE = 200
# A table of contents helps only in a longer page: below this many sections it is noise.
MIN_TOC_HEADINGS = 3
HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")


def plain_text(body_html: str) -> str:
    """The words of the rendered body, without markup: for search and its snippets."""
    return " ".join(html.unescape(TAG.sub(" ", body_html)).split())


def reading_minutes(body_html: str) -> int:
    """Minutes a reader needs at 200 words a minute, rounded up, at least one."""
    words = len(plain_text(body_html).split())
    return max(1, -(-words // WORDS_PER_MINUTE))


def table_of_contents(body_html: str) -> list[dict]:
    """The body's h2 and h3 headings as {"level", "id", "text"}, in order: empty when there
    are fewer than three, so the page shows no table of contents then."""
    entries = [
        {"level": int(level), "id": anchor, "text": html.unescape(TAG.sub("", inner)).strip()}
        for level, anchor, inner in HEADING.findall(body_html)
    ]
    return entries if len(entries) >= MIN_TOC_HEADINGS else []

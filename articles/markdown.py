"""Turn an editor's Markdown into HTML that is safe to show, once, when an article is saved."""

import markdown
import nh3

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


def render_markdown(text: str) -> str:
    """Render Markdown to HTML and sanitize it with an allow-list.

    Headings get ids made from their text, so links to a section stay stable while its
    heading does. A level-one heading becomes a level two: the page title is the only h1.
    Anything not on the allow-list goes: script and style with their content, other tags
    with just the tag; event handlers, style attributes and `javascript:` URLs never survive.
    """
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

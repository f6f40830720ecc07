"""Comment text is plain text: shown as written, never as HTML."""

from django.utils.html import linebreaks, urlize


def render_comment(text: str) -> str:
    """Escape the text, keep its line breaks and make web addresses clickable.

    Links carry rel="nofollow ugc noopener": they pass no search ranking and cannot reach
    back into this page. urlize only links http(s), www. and email addresses, so a
    `javascript:` address stays plain text.
    """
    html = urlize(text, nofollow=True, autoescape=True)
    # urlize writes rel="nofollow" itself; the user's own quotes are escaped by now, so this
    # only touches the links it made.
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return linebreaks(html, autoescape=False)

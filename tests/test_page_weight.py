"""The article page stays light: HTML and CSS together at most 50 KB compressed, and no
JavaScript that could block rendering."""

import gzip
from pathlib import Path

import brotli  # type: ignore[import-untyped]  # ships no type hints or stubs
import pytest
from django.conf import settings

from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

# A long article: about 2,000 words in sections and lists.
BODY = "\n\n".join(
    f"## Part {n}\n\n"
    + "Recovery takes patience and small steady steps. " * 30
    + "\n\n- Rest well\n- Drink water\n- Move gently\n"
    for n in range(8)
)


def test_article_page_html_and_css_under_50_kb_compressed(client):
    article = make_article(body=BODY, tags=["sleep", "fatigue", "walking", "diet", "stress"])
    for number in range(30):
        make_comment(article=article, body=f"Comment {number}: this helped me, thank you. " * 4)
    response = client.get(article.get_absolute_url())
    html = response.content
    css = Path(settings.BASE_DIR, "static", "css", "site.css").read_bytes()

    html_gzip = len(gzip.compress(html, compresslevel=6))
    css_brotli = len(brotli.compress(css))
    assert html_gzip + css_brotli <= 50 * 1024, (html_gzip, css_brotli)
    # No JavaScript at all: the only script element is JSON-LD data.
    assert html.count(b"<script") == html.count(b'<script type="application/ld+json">') == 1

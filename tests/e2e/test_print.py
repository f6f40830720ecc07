"""In a real browser: an article printed is the article and its sources, with each
source's address written out, and none of the page's navigation, comments or forms."""

import pytest

from articles.models import Reference
from tests.factories import make_article, make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_printed_article_keeps_its_text_and_sources_with_their_addresses(live_server, page):
    article = make_article(
        title="Walking again after a stroke",
        slug="walking-again",
        body="## First steps\n\nShort walks help [1].\n\n:::urgent\n- you fall\n:::\n",
    )
    Reference.objects.create(
        article=article, number=1, title="Stroke recovery", url="https://www.nhs.uk/stroke/"
    )
    make_comment(article=article, body="Thank you for this.")
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".comments").is_visible()
    page.emulate_media(media="print")
    for hidden in (".comments", ".helpful", ".site-search", ".related"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_role("heading", name="Walking again after a stroke").is_visible()
    assert page.locator(".care-card--urgent").is_visible()
    written_out = page.locator(".sources__list a[href^='http']").first.evaluate(
        "link => getComputedStyle(link, '::after').content"
    )
    assert written_out == '" <https://www.nhs.uk/stroke/>"'
    pdf = page.pdf()  # Chromium's own print: it renders
    assert pdf.startswith(b"%PDF")
    assert page.problems == []

"""After answering "Was this page helpful?", the thanks shows inside that section."""

import re

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_thanks_shows_in_the_helpful_section(client):
    article = make_article(title="Knee pain", slug="knee-pain")
    response = client.post("/articles/knee-pain/helpful/", {"helpful": "yes"})
    assert response["Location"] == "/articles/knee-pain/#helpful-message"
    page = client.get(response["Location"]).text
    section = re.search(r'<section class="helpful" id="helpful".*?</section>', page, re.S)
    assert section is not None
    assert 'id="helpful-message" tabindex="-1"' in section.group(0)
    assert "Thank you for your feedback." in section.group(0)
    assert page.count("Thank you for your feedback.") == 1
    # Shown once: the next visit has the question alone.
    assert "Thank you" not in client.get(article.get_absolute_url()).text

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.text)


def test_sitemap_lists_public_pages_only(client):
    health = make_category(name="Health", slug="health")
    author = make_user(username="writer")
    reviewer = make_user(username="checker", credentials="MD")
    public = make_article(slug="public-piece", category=health, author=author, tags=["rest"])
    Article.objects.filter(pk=public.pk).update(reviewer=reviewer, reviewed_on=timezone.localdate())
    make_article(slug="draft-piece", status=Article.Status.DRAFT, tags=["secret"])
    make_article(slug="future-piece", published_at=timezone.now() + timedelta(days=2))
    make_user(username="reader")

    sections = locations(client, "/sitemap.xml")
    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        # The Health A to Z's come after the articles app's (conditions.sitemaps), then the
        # site pages (pages.sitemaps).
        for name in ["articles", "categories", "tags", "people", "a-to-z", "conditions", "pages"]
    ]
    pages = [
        loc
        for section in sections
        for loc in locations(client, section.removeprefix("http://testserver"))
    ]
    assert "http://testserver/articles/public-piece/" in pages
    assert "http://testserver/health/" in pages
    assert "http://testserver/tags/rest/" in pages
    assert "http://testserver/authors/writer/" in pages
    assert "http://testserver/authors/checker/" in pages
    for hidden in ["draft-piece", "future-piece", "/tags/secret/", "/authors/reader/"]:
        assert not any(hidden in page for page in pages), hidden


def test_articles_carry_their_last_modified_date(client):
    make_article(slug="dated")
    response = client.get("/sitemap-articles.xml")
    assert re.search(r"<lastmod>\d{4}-\d{2}-\d{2}", response.text)


def test_a_persons_last_change_counts_their_published_articles_only(client):
    writer = make_user(username="writer")
    checker = make_user(username="checker", credentials="MD")
    public = make_article(author=writer)
    public.reviewer, public.reviewed_on = checker, timezone.localdate()
    public.save()
    draft = make_article(author=writer, status=Article.Status.DRAFT)
    Article.objects.filter(pk=public.pk).update(updated_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    Article.objects.filter(pk=draft.pk).update(updated_at=datetime(2026, 6, 1, 12, tzinfo=UTC))
    response = client.get("/sitemap-people.xml")
    entries = dict(
        re.findall(r"<loc>http://testserver/authors/(\w+)/</loc><lastmod>([^<]+)</lastmod>",
                   re.sub(r"\s+", "", response.text))
    )  # fmt: skip
    assert entries == {"checker": "2026-03-01", "writer": "2026-03-01"}


def test_robots_txt_points_at_the_sitemap_and_keeps_out_private_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    text = response.text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ["/admin/", "/accounts/", "/search/", "/comments/"]:
        assert f"Disallow: {path}" in text

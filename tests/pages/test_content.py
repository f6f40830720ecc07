"""The six site pages the migrations create, in our words, and their place in the sitemap."""

import re

import pytest
from pytest_django.asserts import assertContains

from articles.models import Category
from pages.models import SitePage
from tests.factories import make_category

pytestmark = pytest.mark.django_db


def test_the_migrations_create_all_six_pages_with_text(client):
    assert sorted(SitePage.objects.values_list("slug", flat=True)) == sorted(SitePage.Slug.values)
    for page in SitePage.objects.all():
        assert len(page.body_html) > 200, page.slug
    assertContains(client.get("/contact/"), "editors@example.org")
    assertContains(client.get("/contact/"), "example address")
    policy = client.get("/editorial-policy/")
    assertContains(policy, "medical reviewer approves the change")
    assertContains(policy, "[1]")
    assertContains(client.get("/privacy/"), "no trackers or adverts from other companies")
    assertContains(client.get("/accessibility/"), "44 by 44 pixels")
    assertContains(client.get("/terms/"), "It is not medical advice")


def test_the_site_pages_are_in_the_sitemap_with_their_dates(client):
    response = client.get("/sitemap-pages.xml")
    entries = dict(
        re.findall(r"<loc>http://testserver([^<]+)</loc><lastmod>([^<]+)</lastmod>", response.text)
    )
    assert set(entries) == {f"/{slug}/" for slug in SitePage.Slug.values}
    about = SitePage.objects.get(slug="about")
    assert entries["/about/"] == about.updated_at.date().isoformat()


@pytest.mark.parametrize("slug", SitePage.Slug.values)
def test_a_root_category_cannot_take_a_site_pages_address(slug):
    category = Category(name="Clash", slug=slug)
    with pytest.raises(Exception, match="used by the site itself"):
        category.full_clean()
    # Below the root the slug is free: /health/about/ is no site page.
    make_category(name="About", slug=slug, parent=make_category(name="Health", slug="health"))

"""The site pages as readers see them, and the footer that links to them from every page."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from pages.models import SitePage
from tests.page_kinds import make_page_kinds

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/about/",
    "/editorial-policy/",
    "/contact/",
    "/privacy/",
    "/accessibility/",
    "/terms/",
]
FOOTER_LINKS = [*ADDRESSES, "/conditions/", "/feeds/rss/", "/feeds/atom/"]


def footer(html: str) -> str:
    found = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert found is not None, "no site footer"
    return found.group(1)


@pytest.mark.parametrize("address", ADDRESSES)
def test_each_site_page_shows_its_body_and_date_in_one_query(
    client, no_page_cache, django_assert_num_queries, address
):
    page = SitePage.objects.get(slug=address.strip("/"))
    page.body = "## Who we are\n\nA **small** team.\n\n<script>alert(1)</script>"
    page.save()
    with django_assert_num_queries(1):
        response = client.get(address)
    assertContains(response, f"<h1>{page.title}</h1>", html=True)
    assertContains(response, "<strong>small</strong>", html=True)
    assertNotContains(response, "<script>alert")
    moment = timezone.localtime(page.updated_at).replace(microsecond=0)
    shown = timezone.localdate(page.updated_at).strftime("%-d %B %Y")
    assert re.search(
        rf'Last updated\s+<time datetime="{re.escape(moment.isoformat())}">{shown}</time>',
        response.text,
    )


def test_an_editors_change_shows_on_the_page_at_once(client):
    client.get("/terms/")  # now in the page cache
    page = SitePage.objects.get(slug="terms")
    page.body = "Use the site kindly."
    page.save()
    assertContains(client.get("/terms/"), "<p>Use the site kindly.</p>", html=True)


def test_an_address_beside_the_site_pages_is_not_found(client):
    assertContains(client.get("/about-us/"), "Page not found", status_code=404)
    assertContains(client.get("/about/more/"), "Page not found", status_code=404)


def test_a_missing_site_page_is_not_found(client):
    SitePage.objects.filter(slug="privacy").delete()
    assertContains(client.get("/privacy/"), "Page not found", status_code=404)


def test_every_kind_of_page_links_to_the_site_pages_in_its_footer(client):
    for kind in make_page_kinds():
        viewer = Client()
        if kind.viewer:
            viewer.force_login(User.objects.get(username=kind.viewer))
        response = viewer.get(kind.url)
        assert response.status_code == kind.status, kind.name
        links = re.findall(r'href="([^"]+)"', footer(response.text))
        assert links == FOOTER_LINKS, kind.name
        assert '<nav class="site-footer__nav" aria-label="Site">' in response.text, kind.name


def test_the_footer_adds_no_query(client, no_page_cache, django_assert_num_queries):
    # The sign-in page reads nothing from the database: neither does its footer.
    with django_assert_num_queries(0):
        response = client.get("/accounts/login/")
    assert re.findall(r'href="([^"]+)"', footer(response.text)) == FOOTER_LINKS

"""Editors change the site pages in the admin; authors and readers cannot."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from pages.models import SitePage
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST = "/admin/pages/sitepage/"


def change_url(slug: str) -> str:
    return f"{LIST}{SitePage.objects.get(slug=slug).pk}/change/"


def test_editor_changes_a_page_and_readers_see_it(client):
    client.force_login(make_user(username="ed", role="Editors"))
    listing = client.get(LIST)
    assertContains(listing, "Accessibility statement")
    assertNotContains(listing, f"{LIST}add/")
    response = client.post(
        change_url("contact"),
        {"title": "Write to us", "body": "Mail **editors@example.org**.\n\n[Home](/)"},
    )
    assert response.status_code == 302
    page = SitePage.objects.get(slug="contact")
    assert page.title == "Write to us"
    assert "<strong>editors@example.org</strong>" in page.body_html
    shown = client.get("/contact/")
    assertContains(shown, "<h1>Write to us</h1>", html=True)
    assertContains(shown, '<a href="/" rel="noopener noreferrer">Home</a>', html=True)


def test_editor_neither_adds_nor_deletes_a_page(client):
    client.force_login(make_user(username="ed", role="Editors"))
    assert client.get(f"{LIST}add/").status_code == 403
    page = SitePage.objects.get(slug="terms")
    assert client.post(f"{LIST}{page.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SitePage.objects.filter(slug="terms").exists()


def test_a_page_without_a_title_is_refused_and_nothing_changes(client):
    client.force_login(make_user(username="ed", role="Editors"))
    before = SitePage.objects.get(slug="about")
    response = client.post(change_url("about"), {"title": "", "body": "New words"})
    assertContains(response, "This field is required.")
    assert SitePage.objects.get(slug="about").body == before.body


def test_author_cannot_see_or_change_the_pages(client):
    client.force_login(make_user(username="writer", role="Authors"))
    assert client.get(LIST).status_code == 403
    response = client.post(change_url("about"), {"title": "Mine now", "body": "Mine."})
    assert response.status_code == 403
    assert SitePage.objects.get(slug="about").title == "About us"


def test_readers_are_kept_out(client):
    client.force_login(make_user(username="reader"))
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.post(change_url("about"), {"title": "Mine now", "body": "Mine."})
    assert SitePage.objects.get(slug="about").title == "About us"

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def test_author_page_shows_who_they_are_and_their_published_articles(client):
    author = make_user(
        username="dr.ines",
        display_name="Dr Inês Costa",
        credentials="MD, neurologist",
        registration_number="OM 12345",
        bio="Works with people recovering from stroke.",
    )
    make_article(author=author, title="Balance after a stroke")
    make_article(author=author, title="Unfinished thoughts", status=Article.Status.DRAFT)
    make_article(title="Someone else's piece")

    response = client.get("/authors/dr.ines/")
    assert response.status_code == 200
    assertContains(response, "<h1>Dr Inês Costa</h1>", html=True)
    assertContains(response, "MD, neurologist")
    assertContains(response, "OM 12345")
    assertContains(response, "Works with people recovering from stroke.")
    assertContains(response, "Balance after a stroke")
    assertNotContains(response, "Unfinished thoughts")
    assertNotContains(response, "Someone else")


def test_only_people_with_a_published_article_have_a_page(client):
    make_user(username="reader")
    drafter = make_user(username="drafter")
    make_article(author=drafter, status=Article.Status.DRAFT)
    assert client.get("/authors/reader/").status_code == 404
    assert client.get("/authors/drafter/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_article_pages_and_lists_link_the_author(client):
    author = make_user(username="sam", display_name="Sam Okoro", credentials="RN")
    article = make_article(author=author)
    link = '<a href="/authors/sam/">Sam Okoro</a>'
    assertContains(client.get("/"), link, html=True)
    assertContains(
        client.get(article.get_absolute_url()),
        '<a class="byline__author" href="/authors/sam/">Sam Okoro</a>',
        html=True,
    )


def test_author_page_is_paginated_with_fixed_queries(client, no_page_cache):
    author = make_user(username="sam")
    make_article(author=author)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/authors/sam/").status_code == 200
    for _ in range(14):
        make_article(author=author)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/authors/sam/")
    assert len(many) == len(one) <= 3
    assert response.text.count('class="summary"') == 10
    assert client.get("/authors/sam/?page=2").text.count('class="summary"') == 5
    assert client.get("/authors/sam/?page=3").status_code == 404


def test_medical_reviewers_have_a_page_listing_what_they_reviewed(client):
    reviewer = make_user(username="dr.lee", display_name="Dr Lee", credentials="MD, geriatrician")
    article = make_article(title="Falls at home")
    assert article.published_at is not None
    Article.objects.filter(pk=article.pk).update(
        reviewer=reviewer, reviewed_on=article.published_at.date()
    )
    response = client.get("/authors/dr.lee/")
    assert response.status_code == 200
    assertContains(response, "MD, geriatrician")
    assertContains(response, "Falls at home")
    assertContains(
        client.get(article.get_absolute_url()),
        '<a href="/authors/dr.lee/">Dr Lee</a>',
        html=True,
    )

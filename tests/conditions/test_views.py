"""The Health A to Z as readers read it: the letters, each condition's page and the link
from each article about it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.conditions.factories import make_condition
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LETTER_LINK = re.compile(r'<a class="a-to-z__letter" href="#letter-([a-z]+)">([A-Z#])</a>')
EMPTY_LETTER = re.compile(r'<span class="a-to-z__letter a-to-z__letter--empty">([A-Z])<span')
SUMMARY_TITLE = re.compile(r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>')


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def breadcrumbs(response) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', response.text, re.S)
    assert nav is not None
    return [
        re.sub(r"<[^>]+>", "", crumb).strip()
        for crumb in re.findall(r"<li>(.*?)</li>", nav.group(0), re.S)
    ]


def test_a_to_z_shows_every_letter_and_links_only_those_with_conditions(client):
    make_condition(name="Stroke", synonyms="Cerebrovascular accident\nBrain attack")
    make_condition(name="sciatica")
    make_condition(name="Long COVID")
    make_condition(name="Ébola virus disease")
    response = client.get("/conditions/")
    assert response.status_code == 200
    linked = LETTER_LINK.findall(response.text)
    assert linked == [("e", "E"), ("l", "L"), ("s", "S")]
    empty = EMPTY_LETTER.findall(response.text)
    assert len(empty) == 23 and "A" in empty and "Z" in empty
    assert breadcrumbs(response) == ["Home", "Health A to Z"]
    # Under S, in alphabetical order whatever the case, with their other names.
    group = re.search(r'id="letter-s".*?</section>', response.text, re.S)
    assert group is not None
    names = re.findall(r'<a href="/conditions/[^"]+/">([^<]+)</a>', group.group(0))
    assert names == ["sciatica", "Stroke"]
    assertContains(
        response,
        '<span class="a-to-z__synonyms">also called Cerebrovascular accident, Brain attack</span>',
        html=True,
    )


def test_a_name_starting_with_no_letter_is_filed_after_z(client):
    make_condition(name="5q spinal muscular atrophy")
    response = client.get("/conditions/")
    assert LETTER_LINK.findall(response.text) == [("other", "#")]
    assert response.text.index("Z<span") < response.text.index('href="#letter-other"')


def test_a_to_z_with_no_conditions_says_so(client):
    response = client.get("/conditions/")
    assertContains(response, "No conditions are listed yet.")
    assert len(EMPTY_LETTER.findall(response.text)) == 26


def test_a_to_z_reads_the_same_queries_for_three_conditions_or_sixty(client, no_page_cache):
    for number in range(3):
        make_condition(name=f"Alpha {number}", synonyms="One\nTwo")
    few = count_queries(client, "/conditions/")
    for number in range(57):
        make_condition(name=f"{chr(ord('A') + number % 26)}eta {number}", synonyms="Other")
    assert count_queries(client, "/conditions/") == few == 1


@pytest.fixture
def condition():
    return make_condition(
        name="Cerebellar atrophy",
        slug="cerebellar-atrophy",
        synonyms="Cerebellar degeneration\nAtaxia",
        description="The **cerebellum** shrinks.\n\n- Unsteady walking\n- Slurred speech",
        icd10="G31.9",
    )


def test_condition_page_shows_what_it_is_its_codes_and_published_articles(client, condition):
    published = make_article(title="Living with ataxia")
    draft = make_article(title="A draft about balance", status=Article.Status.DRAFT)
    later = make_article(
        title="Not yet out", published_at=timezone.now() + timedelta(days=1), status="scheduled"
    )
    make_article(title="About something else")
    condition.articles.add(published, draft, later)

    response = client.get("/conditions/cerebellar-atrophy/")
    assertContains(response, "<h1>Cerebellar atrophy</h1>", html=True)
    assertContains(response, "Also called Cerebellar degeneration, Ataxia")
    assertContains(response, "<strong>cerebellum</strong>", html=True)
    assertContains(response, "<li>Unsteady walking</li>", html=True)
    assertContains(response, "<div><dt>ICD-10</dt><dd>G31.9</dd></div>", html=True)
    assert breadcrumbs(response) == ["Home", "Health A to Z", "Cerebellar atrophy"]
    assertContains(response, '<a href="/conditions/">Health A to Z</a>', html=True)
    assert SUMMARY_TITLE.findall(response.text) == ["Living with ataxia"]
    assertNotContains(response, "About something else")


def test_a_condition_without_articles_or_codes(client):
    make_condition(name="Sciatica", slug="sciatica")
    response = client.get("/conditions/sciatica/")
    assertContains(response, "No articles have been published here yet.")
    assertNotContains(response, "Medical codes")


def test_unknown_condition_is_not_found(client):
    assert client.get("/conditions/nothing-here/").status_code == 404


def test_condition_articles_come_a_page_at_a_time_newest_first(client, condition, settings):
    per_page = settings.ARTICLES_PER_PAGE
    articles = [make_article(title=f"Piece {number:02}") for number in range(per_page + 2)]
    condition.articles.add(*articles)
    newest_first = [article.title for article in articles]  # make_article: older each time

    first = client.get("/conditions/cerebellar-atrophy/")
    assert SUMMARY_TITLE.findall(first.text) == newest_first[:per_page]
    assertContains(first, 'rel="next" href="?page=2"')
    second = client.get("/conditions/cerebellar-atrophy/?page=2")
    assert SUMMARY_TITLE.findall(second.text) == newest_first[per_page:]
    assert client.get("/conditions/cerebellar-atrophy/?page=3").status_code == 404


def test_condition_page_reads_the_same_queries_for_one_article_or_many(
    client, condition, settings, no_page_cache
):
    condition.articles.add(make_article(tags=["one"]))
    one = count_queries(client, "/conditions/cerebellar-atrophy/")
    condition.articles.add(*(make_article() for _ in range(settings.ARTICLES_PER_PAGE * 2)))
    many = count_queries(client, "/conditions/cerebellar-atrophy/")
    page_two = count_queries(client, "/conditions/cerebellar-atrophy/?page=2")
    # The condition, then a page of its articles with their authors and categories.
    assert one == many == page_two == 2


def test_article_page_links_to_the_conditions_it_is_about(client, condition):
    article = make_article(title="Moving safely with ataxia")
    stroke = make_condition(name="Stroke", slug="stroke")
    condition.articles.add(article)
    stroke.articles.add(article)
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        '<p class="article__about">About: <a href="/conditions/cerebellar-atrophy/">'
        'Cerebellar atrophy</a>, <a href="/conditions/stroke/">Stroke</a></p>',
        html=True,
    )
    assertNotContains(client.get(make_article().get_absolute_url()), "article__about")


def test_article_page_pays_one_query_for_its_conditions_whatever_their_number(
    client, no_page_cache
):
    plain = make_article()
    about_one = make_article()
    about_many = make_article()
    make_condition(articles=[about_one])
    for _ in range(6):
        make_condition(articles=[about_many], synonyms="Another name", icd10="G20")
    baseline = count_queries(client, plain.get_absolute_url())
    assert count_queries(client, about_one.get_absolute_url()) == baseline
    assert count_queries(client, about_many.get_absolute_url()) == baseline


def test_renaming_a_condition_shows_on_the_article_page_at_once(client, condition):
    article = make_article()
    condition.articles.add(article)
    assertContains(client.get(article.get_absolute_url()), "Cerebellar atrophy")
    condition.name = "Cerebellar degeneration of the brain"
    condition.save()
    assertContains(client.get(article.get_absolute_url()), "Cerebellar degeneration of the brain")
    condition.articles.remove(article)
    assertNotContains(client.get(article.get_absolute_url()), "article__about")


def test_conditions_are_in_the_sitemap(client, condition):
    index = client.get("/sitemap.xml").text
    assert "http://testserver/sitemap-conditions.xml" in index
    assert "http://testserver/sitemap-a-to-z.xml" in index
    assert "http://testserver/conditions/" in client.get("/sitemap-a-to-z.xml").text
    pages = client.get("/sitemap-conditions.xml").text
    assert "<loc>http://testserver/conditions/cerebellar-atrophy/</loc>" in pages
    assert re.search(r"<lastmod>\d{4}-\d{2}-\d{2}", pages)

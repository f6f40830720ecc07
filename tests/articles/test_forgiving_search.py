"""A misspelt search finds what was meant and says so; one that still finds nothing
suggests conditions and topics with names like it. The same on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.conditions.factories import make_condition
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def result_titles(response) -> list[str]:
    return re.findall(r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>', response.text)


def correction(response) -> str:
    """The "Showing results for" line as a reader reads it, tags left out."""
    found = re.search(r'<p class="search-correction"[^>]*>(.*?)</p>', response.text, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def exact_link(response) -> str:
    found = re.search(r'<p class="search-correction".*?<a href="([^"]+)">', response.text, re.S)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def articles():
    make_article(title="Recovery after surgery", body="The first weeks at home.")
    make_article(title="Eating well", body="Meals that keep you going.")


def test_a_misspelt_word_finds_what_was_meant_and_says_so(client, articles):
    response = client.get("/search/", {"q": "recovry"})
    assert result_titles(response) == ["Recovery after surgery"]
    assert correction(response) == "Showing results for recovery — search instead for recovry"
    assertContains(response, "<title>Search: recovry")


def test_the_exact_link_searches_what_was_typed_without_correcting(client, articles):
    link = exact_link(client.get("/search/", {"q": "recovry"}))
    assert link == "/search/?q=recovry&exact=1"
    response = client.get(link)
    assert result_titles(response) == []
    assert correction(response) == ""
    assertContains(response, "No article matches “recovry”")


def test_a_misspelt_word_among_right_ones_is_corrected_alone(client, articles):
    make_article(title="Recovery at work", body="Going back slowly.")
    response = client.get("/search/", {"q": "recovry surgery"})
    assert result_titles(response) == ["Recovery after surgery"]
    assert correction(response) == (
        "Showing results for recovery surgery — search instead for recovry surgery"
    )


def test_a_word_that_finds_articles_is_not_corrected(client):
    # "talking" is in no title, so the vocabulary would correct it to "walking": but it
    # finds an article as typed, so it is searched as typed.
    make_article(title="Walking", body="Out every day.")
    make_article(title="Speech therapy", body="Talking again after a stroke.")
    response = client.get("/search/", {"q": "talking"})
    assert result_titles(response) == ["Speech therapy"]
    assert correction(response) == ""


def test_a_correction_that_finds_nothing_either_is_not_offered(client):
    make_article(title="Recovery draft", status=Article.Status.DRAFT)
    response = client.get("/search/", {"q": "recovry"})
    assert result_titles(response) == []
    assert correction(response) == ""
    assertContains(response, "No article matches “recovry”")


def test_the_names_of_tags_categories_and_conditions_are_known(client):
    sleep = make_category(name="Insomnia", slug="insomnia")
    make_article(title="Evening routines", category=sleep, body="Wind down.")
    make_article(title="Stairs at home", tags=["balance"], body="Hold the rail.")
    article = make_article(title="Moving safely", body="Take it slowly.")
    make_condition(name="Cerebellar atrophy", synonyms="Ataxia", articles=[article])
    assert result_titles(client.get("/search/", {"q": "insomnai"})) == ["Evening routines"]
    assert result_titles(client.get("/search/", {"q": "balanse"})) == ["Stairs at home"]
    assert result_titles(client.get("/search/", {"q": "ataxai"})) == ["Moving safely"]


def test_no_results_suggest_conditions_and_topics_with_names_like_it(client):
    make_condition(name="Diabetes", slug="diabetes")
    make_condition(name="Asthma", slug="asthma")
    make_category(name="Diabetes care", slug="diabetes-care")
    make_category(name="Exercise", slug="exercise")
    response = client.get("/search/", {"q": "diabetis"})
    assert result_titles(response) == []
    suggestions = re.search(r'<div class="search-suggestions">(.*?)</div>', response.text, re.S)
    assert suggestions is not None
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', suggestions.group(1))
    assert links == [("/conditions/diabetes/", "Diabetes"), ("/diabetes-care/", "Diabetes care")]
    assertContains(response, '<a href="/conditions/">Health A to Z</a>')


def test_no_results_and_nothing_close_link_the_a_to_z_only(client):
    make_condition(name="Asthma", slug="asthma")
    response = client.get("/search/", {"q": "zzzzzz"})
    assertNotContains(response, "search-suggestions")
    assertContains(response, '<a href="/conditions/">Health A to Z</a>')


def test_a_corrected_search_reads_a_fixed_number_of_queries(
    client, no_page_cache, django_assert_num_queries
):
    make_article(title="Recovery one", tags=["rehab"])
    # The search as typed, the vocabulary's close words, the corrected search, and the
    # page's own.
    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": "recovry"})
    assert result_titles(response) == ["Recovery one"]
    for number in range(15):
        make_article(title=f"Recovery {number} walking{number}", tags=[f"tag{number}", "rehab"])
    make_condition(name="Recovery clinic")
    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": "recovry"})
    assert len(result_titles(response)) == 10


def test_a_search_finding_nothing_reads_a_fixed_number_of_queries(
    client, no_page_cache, django_assert_num_queries
):
    make_condition(name="Asthma", slug="asthma")
    # The search, the vocabulary, close conditions, close topics, and the page's own.
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "asthmaa"})
    assertContains(response, '<a href="/conditions/asthma/">Asthma</a>')
    for number in range(15):
        make_condition(name=f"Asthma type {number}", slug=f"asthma-{number}")
        make_category(name=f"Asthma {number}", slug=f"asthma-{number}")
        make_article(title=f"Breathing {number}")
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "asthmaa"})
    assertContains(response, '<a href="/conditions/asthma/">Asthma</a>')


def test_further_pages_of_a_corrected_search_are_corrected_too(client):
    for number in range(12):
        make_article(title=f"Recovery week {number}")
    first = client.get("/search/", {"q": "recovry"})
    assert len(result_titles(first)) == 10
    second = client.get("/search/", {"q": "recovry", "page": 2})
    assert second.status_code == 200
    assert len(result_titles(second)) == 2
    assert correction(second) == "Showing results for recovery — search instead for recovry"
    assert client.get("/search/", {"q": "recovry", "page": 3}).status_code == 404


def test_the_exact_link_keeps_the_topic(client):
    sleep = make_category(name="Sleep", slug="sleep")
    make_article(title="Recovery and rest", category=sleep)
    response = client.get("/search/", {"q": "recovry", "category": "sleep"})
    assert result_titles(response) == ["Recovery and rest"]
    assert exact_link(response) == "/search/?q=recovry&category=sleep&exact=1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_vocabulary_has_a_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_searchterm_word_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (word gin_trgm_ops)" in definition

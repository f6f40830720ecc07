"""A misspelt search finds what was meant and says so; one that still finds nothing
suggests conditions and topics with names like it. The same on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def count_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return len(queries)


def test_a_corrected_search_reads_a_fixed_number_of_queries(client, no_page_cache):
    make_article(title="Recovery one", tags=["rehab"])
    few = count_queries(client, "recovry")
    for number in range(15):
        make_article(title=f"Recovery {number} walking{number}", tags=[f"tag{number}", "rehab"])
    make_condition(name="Recovery clinic")
    many = count_queries(client, "recovry")
    response = client.get("/search/", {"q": "recovry"})
    assert len(result_titles(response)) == 10
    assert few == many <= 5


def test_a_search_finding_nothing_reads_a_fixed_number_of_queries(client, no_page_cache):
    make_condition(name="Asthma", slug="asthma")
    few = count_queries(client, "asthmaa")
    for number in range(15):
        make_condition(name=f"Asthma type {number}", slug=f"asthma-{number}")
        make_category(name=f"Asthma {number}", slug=f"asthma-{number}")
        make_article(title=f"Breathing {number}")
    many = count_queries(client, "asthmaa")
    assert few == many <= 6

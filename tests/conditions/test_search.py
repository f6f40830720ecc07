"""Search finds an article by the names of the conditions it is about, synonyms included,
on SQLite and PostgreSQL alike, and follows every change of those names and links."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from conditions.models import Condition
from tests.conditions.factories import make_condition
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return re.findall(r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>', response.text)


@pytest.fixture
def article():
    return make_article(title="Moving safely at home", body="Hold the rail on the stairs.")


def test_a_synonym_finds_the_articles_about_its_condition(client, article):
    make_article(title="Something else", body="Nothing about balance.")
    make_condition(
        name="Cerebellar atrophy",
        synonyms="Cerebellar degeneration\nAtaxia",
        articles=[article],
    )
    assert found(client, "ataxia") == ["Moving safely at home"]
    assert found(client, "Cerebellar degeneration") == ["Moving safely at home"]
    assert found(client, "cerebellar atrophy") == ["Moving safely at home"]


def test_linking_from_either_side_and_unlinking_refresh_search(client, article):
    condition = make_condition(name="Stroke", synonyms="Brain attack")
    assert found(client, "brain attack") == []
    condition.articles.add(article)
    assert found(client, "brain attack") == ["Moving safely at home"]
    condition.articles.remove(article)
    assert found(client, "brain attack") == []
    article.conditions.add(condition)
    assert found(client, "brain attack") == ["Moving safely at home"]
    article.conditions.clear()
    assert found(client, "brain attack") == []
    condition.articles.set([article])
    condition.articles.clear()
    assert found(client, "brain attack") == []


def test_renamed_synonyms_and_deleted_conditions_leave_search(client, article):
    condition = make_condition(name="Stroke", synonyms="Brain attack", articles=[article])
    condition.synonyms = "Cerebrovascular accident"
    condition.save()
    assert found(client, "brain attack") == []
    assert found(client, "cerebrovascular") == ["Moving safely at home"]
    condition.delete()
    assert found(client, "cerebrovascular") == []
    assert found(client, "stroke") == []


def test_saving_the_article_keeps_its_conditions_in_search(client, article):
    make_condition(name="Long COVID", synonyms="Post COVID-19 condition", articles=[article])
    article.refresh_from_db()
    article.summary = "New summary."
    article.save()
    assert found(client, "post covid") == ["Moving safely at home"]


def test_renaming_a_condition_of_many_articles_refreshes_them_in_batches(client):
    articles = [make_article(title=f"Piece {number}") for number in range(30)]
    condition = make_condition(name="Osteoarthritis of the knee", articles=articles)
    condition.synonyms = "Gonarthrosis"
    with CaptureQueriesContext(connection) as queries:
        condition.save()
    # A few queries for the lot, never one or more per article.
    assert len(queries) < 15
    assert len(found(client, "gonarthrosis")) == 10  # a page of the 30
    assert Article.objects.filter(search_extra__contains="Gonarthrosis").count() == 30


def test_search_terms_of_an_article(article):
    make_condition(name="Stroke", synonyms="CVA\nBrain attack", articles=[article])
    make_condition(name="Aphasia", articles=[article])
    assert sorted(article.conditions.search_terms()) == ["Aphasia", "Brain attack", "CVA", "Stroke"]
    assert Condition.objects.none().search_terms() == []

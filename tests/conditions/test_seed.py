"""The demo's Health A to Z: its conditions, and the article on cerebellar atrophy."""

import re

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from articles.models import Article
from conditions.models import Condition, ConditionLink

pytestmark = pytest.mark.django_db

SLUG = "cerebellar-atrophy-treatment-and-recovery"


def test_seed_demo_ships_conditions_linked_to_their_articles(client):
    call_command("seed_demo")
    names = set(Condition.objects.values_list("name", flat=True))
    assert names >= {
        "Cerebellar atrophy",
        "Stroke",
        "Long COVID",
        "Osteoarthritis of the knee",
        "Parkinson's disease",
    }
    atrophy = Condition.objects.get(slug="cerebellar-atrophy")
    assert atrophy.synonym_list == ["Cerebellar degeneration", "Ataxia"]
    assert atrophy.icd10 == "G31.9"
    assert Article.objects.get(slug=SLUG) in atrophy.articles.all()
    for condition in Condition.objects.all():
        condition.full_clean()  # every code as the admin would check it
        assert condition.articles.exists(), condition.name

    response = client.get("/conditions/")
    for letter in "CLOPS":
        assertContains(response, f'href="#letter-{letter.lower()}">{letter}</a>')
    assertContains(response, "also called Cerebellar degeneration, Ataxia")
    page = client.get("/conditions/parkinsons-disease/")
    assertContains(page, "<div><dt>SNOMED CT</dt><dd>49049000</dd></div>", html=True)


def test_the_cerebellar_atrophy_article_reads_like_a_health_article(client):
    call_command("seed_demo")
    article = Article.objects.get(slug=SLUG)
    assert article.is_public
    assert article.reviewer is not None  # More > Health is medical
    response = client.get(article.get_absolute_url())
    crumbs = re.findall(r'<li><a href="/[^"]*">([^<]+)</a></li>', response.text)
    assert crumbs[:4] == ["Home", "More", "Health", "Recovery"]
    assertContains(response, "<h1>Cerebellar atrophy: treatment and recovery</h1>", html=True)
    assert len(re.findall(r"<h2 id=", article.body_html)) >= 4
    assert "<h3 id=" in article.body_html
    assert article.body_html.count("<ul>") >= 4
    # Care cards, with the words that say how soon to act.
    assertContains(response, "care-card care-card--urgent")
    assertContains(response, "care-card care-card--emergency")
    assertContains(response, "Urgent advice:")
    # Sources, cited in the text as [1] and [2].
    assertContains(response, '<a href="#source-1" id="cite-1">[1]</a>', html=True)
    assertContains(response, '<a href="#source-2" id="cite-2">[2]</a>', html=True)
    urls = set(article.references.values_list("url", flat=True))
    assert urls == {
        "https://www.nhs.uk/conditions/ataxia/",
        "https://www.ninds.nih.gov/health-information/disorders/ataxia",
    }
    assertContains(response, "https://www.nhs.uk/conditions/ataxia/")
    assertContains(
        response,
        '<p class="article__about">About: '
        '<a href="/conditions/cerebellar-atrophy/">Cerebellar atrophy</a></p>',
        html=True,
    )
    # Search finds it by the condition's other name.
    results = client.get("/search/", {"q": "cerebellar degeneration"})
    assertContains(results, "Cerebellar atrophy: treatment and recovery")


def test_seed_demo_twice_adds_no_conditions_or_links():
    call_command("seed_demo")
    counts = (Condition.objects.count(), ConditionLink.objects.count())
    # An editor's change stays as it is.
    ConditionLink.objects.filter(condition__slug="stroke").delete()
    call_command("seed_demo")
    assert (Condition.objects.count(), ConditionLink.objects.count() + 1) == counts

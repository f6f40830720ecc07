import json
import re
from datetime import date

import pytest
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def meta(response) -> dict:
    html = response.text
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    found = {"title": title.group(1)}
    for _attribute, name, content in re.findall(
        r'<meta (name|property)="([^"]+)" content="([^"]*)">', html
    ):
        found[name] = content
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    found["canonical"] = canonical.group(1) if canonical else None
    return found


def json_ld(response) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def article():
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more, is_medical=True)
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    author = make_user(username="ana", display_name="Ana Reyes", credentials="RN")
    reviewer = make_user(username="dr.kim", display_name="Dr Kim", credentials="MD")
    article = make_article(
        title='Rest "first" </script><script>alert(1)</script> & more',
        slug="rest-first",
        summary="Why rest comes first.",
        category=recovery,
        author=author,
        tags=["rest"],
    )
    Article.objects.filter(pk=article.pk).update(reviewer=reviewer, reviewed_on=date(2026, 1, 5))
    return Article.objects.get(pk=article.pk)


def test_article_json_ld_survives_any_title(client, article):
    response = client.get("/articles/rest-first/")
    assert "</script><script>alert(1)" not in response.text
    data = json_ld(response)
    page, breadcrumbs = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage"
    assert page["headline"] == 'Rest "first" </script><script>alert(1)</script> & more'
    assert page["description"] == "Why rest comes first."
    assert page["author"] == {
        "@type": "Person",
        "name": "Ana Reyes",
        "url": "http://testserver/authors/ana/",
        "jobTitle": "RN",
    }
    assert page["reviewedBy"]["name"] == "Dr Kim"
    assert page["lastReviewed"] == "2026-01-05"
    assert page["datePublished"].startswith(str(timezone.localtime(article.published_at).date()))
    assert page["dateModified"]
    assert page["publisher"]["name"] == "healthsite"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "More",
        "Health",
        "Recovery",
    ]
    assert breadcrumbs["itemListElement"][2]["item"] == "http://testserver/more/health/recovery/"


def test_non_medical_article_is_an_article_without_review_fields(client):
    make_article(slug="plain", category=make_category(name="Living", slug="living"))
    page = json_ld(client.get("/articles/plain/"))["@graph"][0]
    assert page["@type"] == "Article"
    assert "reviewedBy" not in page
    assert "image" not in page


def test_article_page_metadata(client, article):
    found = meta(client.get("/articles/rest-first/"))
    assert found["title"].endswith(" · healthsite")
    assert found["description"] == "Why rest comes first."
    assert found["canonical"] == "http://testserver/articles/rest-first/"
    assert found["og:type"] == "article"
    assert found["og:title"] == escape(article.title)
    assert found["og:description"] == "Why rest comes first."
    assert found["og:url"] == "http://testserver/articles/rest-first/"
    assert found["twitter:card"] == "summary"


def test_every_page_type_has_its_own_title_description_and_canonical(client, article):
    pages = {
        "/": "Latest articles · healthsite",
        "/more/health/": "Health (More) · healthsite",
        "/tags/rest/": "Articles tagged “rest” · healthsite",
        "/authors/ana/": "Ana Reyes · healthsite",
        "/search/?q=rest": "Search: rest · healthsite",
        "/accounts/login/": "Log in · healthsite",
    }
    titles = set()
    for url, title in pages.items():
        found = meta(client.get(url))
        assert found["title"] == title, url
        assert found["description"], url
        assert found["og:title"], url
        assert found["twitter:card"] == "summary", url
        assert found["canonical"] == "http://testserver" + url.split("?")[0], url
        titles.add(found["title"])
    assert len(titles) == len(pages)
    assert meta(client.get("/search/?q=rest"))["robots"] == "noindex"


def test_categories_of_the_same_name_have_different_titles(client):
    for parent in ("Adults", "Children"):
        top = make_category(name=parent, slug=parent.lower())
        make_category(name="Exercise", slug="exercise", parent=top)
    top = make_category(name="Exercise", slug="exercise")
    older = make_category(
        name="Older", slug="older", parent=make_category(name="Sport", parent=top)
    )
    make_category(name="Exercise", slug="exercise", parent=older)
    titles = {
        meta(client.get(url))["title"] for url in ["/adults/exercise/", "/children/exercise/"]
    }
    assert titles == {"Exercise (Adults) · healthsite", "Exercise (Children) · healthsite"}
    assert meta(client.get("/exercise/"))["title"] == "Exercise · healthsite"
    arrow = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
    deep = meta(client.get(f"/exercise/{older.path.split('/')[1]}/older/exercise/"))["title"]
    assert deep == f"Exercise (Exercise {arrow} Sport {arrow} Older) · healthsite"


def test_second_pages_have_their_own_title_and_canonical(client):
    for number in range(12):
        make_article(title=f"Piece {number}")
    found = meta(client.get("/?page=2"))
    assert found["title"] == "Latest articles, page 2 · healthsite"
    assert found["canonical"] == "http://testserver/?page=2"

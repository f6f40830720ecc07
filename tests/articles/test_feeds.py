import feedparser  # type: ignore[import-untyped]  # ships no type hints or stubs
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    sleep = make_category(name="Sleep", slug="sleep", parent=health)
    other = make_category(name="Other", slug="other")
    ana = make_user(username="ana", display_name="Ana Reyes")
    return {
        "nap": make_article(
            title="Naps that help", category=sleep, author=ana, tags=["rest", "sleep"]
        ),
        "walk": make_article(title="Walking daily", category=health, tags=["rest"]),
        "elsewhere": make_article(title="Other topic", category=other),
        "draft": make_article(title="Unfinished", category=sleep, status=Article.Status.DRAFT),
    }


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_latest_feed_entries(client, site, kind):
    feed = parse(client, f"/feeds/{kind}/")
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Naps that help", "Walking daily", "Other topic"]
    nap = feed.entries[0]
    assert nap.link == "http://testserver/articles/" + site["nap"].slug + "/"
    assert nap.summary == site["nap"].summary
    assert nap.author == "Ana Reyes" if kind == "atom" else "Ana Reyes" in nap.author
    assert {tag.term for tag in nap.tags} == {"Sleep", "rest", "sleep"}
    assert nap.published_parsed is not None
    if kind == "atom":
        assert nap.updated_parsed is not None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/feeds/categories/more/health/rss/", ["Naps that help", "Walking daily"]),
        ("/feeds/categories/more/health/sleep/atom/", ["Naps that help"]),
        ("/feeds/tags/rest/rss/", ["Naps that help", "Walking daily"]),
        ("/feeds/authors/ana/atom/", ["Naps that help"]),
    ],
)
def test_feeds_per_category_tag_and_author(client, site, url, expected):
    assert [entry.title for entry in parse(client, url).entries] == expected


def test_unknown_feed_objects_are_404(client, site):
    for url in ["/feeds/categories/nowhere/rss/", "/feeds/tags/none/rss/", "/feeds/authors/x/rss/"]:
        assert client.get(url).status_code == 404


def test_pages_link_their_feeds(client, site):
    assertContains(client.get("/"), 'type="application/rss+xml"')
    assertContains(client.get("/more/health/"), 'href="/feeds/categories/more/health/atom/"')
    assertContains(client.get("/tags/rest/"), 'href="/feeds/tags/rest/rss/"')
    assertContains(client.get("/authors/ana/"), 'href="/feeds/authors/ana/rss/"')


def test_feed_queries_do_not_grow_with_entries(client, no_page_cache):
    make_article(tags=["rest"])
    with CaptureQueriesContext(connection) as one:
        client.get("/feeds/rss/")
    for _ in range(12):
        make_article(tags=["rest", "sleep"], author=make_user())
    with CaptureQueriesContext(connection) as many:
        feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert len(feed.entries) == 13
    assert len(many) == len(one) <= 2


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_list_pages_offer_their_feeds_and_say_what_a_feed_is(client, kind):
    author = make_user(username="amara", display_name="Amara Okafor")
    article = make_article(author=author, tags=["walking"])
    url, rss, atom = {
        "category": (
            article.category.get_absolute_url(),
            f"/feeds/categories/{article.category.path}/rss/",
            f"/feeds/categories/{article.category.path}/atom/",
        ),
        "tag": ("/tags/walking/", "/feeds/tags/walking/rss/", "/feeds/tags/walking/atom/"),
        "author": ("/authors/amara/", "/feeds/authors/amara/rss/", "/feeds/authors/amara/atom/"),
    }[kind]
    page = client.get(url)
    assertContains(page, "A feed lets a feed reader app")
    assertContains(page, f'<a href="{rss}">RSS feed', count=1)
    assertContains(page, f'<a href="{atom}">Atom feed', count=1)
    for feed in (rss, atom):
        assert client.get(feed).status_code == 200

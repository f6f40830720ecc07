import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from comments.models import Comment, recount_comments
from tests.factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


def breadcrumbs(response) -> list[tuple[str, str]]:
    """(href, text) of each crumb, in page order."""
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', response.text, re.S)
    assert nav is not None
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(0))


@pytest.fixture
def recovery():
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    return make_category(name="Recovery", slug="recovery", parent=health)


@pytest.fixture
def article(recovery):
    author = make_user(username="minh", display_name="Minh Tran")
    return make_article(
        title="Walking again after a long illness",
        slug="walking-again",
        summary="Small steps, taken often.",
        body="## Start small\n\nFive minutes is enough.\n\n- Wear good shoes\n- Rest after\n",
        author=author,
        category=recovery,
        tags=["walking", "fatigue"],
        published_at=timezone.now() - timedelta(days=1),
    )


def test_article_page_shows_everything_a_reader_needs(client, article):
    response = client.get("/articles/walking-again/")
    assert response.status_code == 200
    assert breadcrumbs(response) == [
        ("/", "Home"),
        ("/more/", "More"),
        ("/more/health/", "Health"),
        ("/more/health/recovery/", "Recovery"),
    ]
    assertContains(response, '<nav class="breadcrumbs" aria-label="Breadcrumb">')
    assertContains(response, "<h1>Walking again after a long illness</h1>", html=True)
    assertContains(response, "Minh Tran")
    local = timezone.localtime(article.published_at)
    assertContains(response, f'datetime="{local.isoformat()}"')
    assertContains(response, local.strftime("%H:%M"))
    assertContains(response, '<h2 id="start-small">Start small</h2>', html=True)
    assertContains(response, "<li>Wear good shoes</li>", html=True)
    assertContains(response, '<a href="/tags/walking/">walking</a>', html=True)
    assertContains(response, '<a href="/tags/fatigue/">fatigue</a>', html=True)
    assertContains(response, "Comments (0)")
    assertContains(response, "Login is required before commenting.")


def test_login_link_comes_back_to_the_article(client, article):
    response = client.get(article.get_absolute_url())
    link = re.search(r'href="(/accounts/login/\?next=[^"]+)">Log in to comment', response.text)
    assert link is not None
    assert link.group(1) == "/accounts/login/?next=/articles/walking-again/%23comment-form"

    make_user(username="reader", password="a-long-test-password")
    login_page = client.get(link.group(1))
    assertContains(login_page, 'name="next" value="/articles/walking-again/#comment-form"')
    response = client.post(
        "/accounts/login/",
        {
            "username": "reader",
            "password": "a-long-test-password",
            "next": "/articles/walking-again/#comment-form",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/articles/walking-again/#comment-form"
    page = client.get(article.get_absolute_url())
    assertNotContains(page, "Login is required before commenting.")
    assertContains(page, "Signed in as reader")


def test_comment_count_counts_visible_comments_only(client, article):
    make_comment(article=article, body="Visible one")
    make_comment(article=article, body="Visible two")
    make_comment(article=article, body="Waiting", status=Comment.Status.PENDING)
    make_comment(article=article, body="Hidden", status=Comment.Status.HIDDEN)
    response = client.get(article.get_absolute_url())
    assertContains(response, "Comments (2)")
    assertContains(response, "Visible one")
    assertNotContains(response, "Waiting")
    assertNotContains(response, "Hidden")


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "future"],
)
def test_unpublished_articles_are_not_found(client, article, changes):
    Article.objects.filter(pk=article.pk).update(**changes)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, article.title, status_code=404)


def test_unknown_pages_are_not_found(client, article):
    for url in ["/articles/no-such-article/", "/more/nowhere/", "/tags/no-such-tag/"]:
        assert client.get(url).status_code == 404, url


def test_home_lists_newest_published_articles(client, article):
    older = make_article(title="An older piece", published_at=timezone.now() - timedelta(days=9))
    make_article(title="Still a draft", status=Article.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    text = response.text
    assert text.index(article.title) < text.index(older.title)
    assertNotContains(response, "Still a draft")
    assertContains(response, "Small steps, taken often.")
    assertContains(response, '<a href="/more/health/recovery/">Recovery</a>', html=True)
    assertContains(response, "Minh Tran")


def test_home_is_paginated_and_out_of_range_pages_are_404(client, settings):
    for number in range(12):
        make_article(title=f"Piece {number:02d}")
    first = client.get("/")
    assert first.text.count('class="summary"') == 10
    assertContains(first, '<a rel="next" href="?page=2">Older articles</a>', html=True)
    second = client.get("/?page=2")
    assert second.text.count('class="summary"') == 2
    assertContains(second, '<a rel="prev" href="?page=1">Newer articles</a>', html=True)
    assert client.get("/?page=3").status_code == 404


def test_category_page_shows_its_tree_and_articles_below_it(client, article, recovery):
    health = recovery.parent
    make_category(name="Sleep", slug="sleep", parent=health)
    elsewhere = make_article(title="Not in health", category=make_category(name="Other"))
    response = client.get("/more/health/")
    assert response.status_code == 200
    assert breadcrumbs(response) == [("/", "Home"), ("/more/", "More")]
    assertContains(response, '<span aria-current="page">Health</span>', html=True)
    assertContains(response, '<a href="/more/health/recovery/">Recovery</a>', html=True)
    assertContains(response, '<a href="/more/health/sleep/">Sleep</a>', html=True)
    assertContains(response, article.title)
    assertNotContains(response, elsewhere.title)


def test_tag_page_lists_published_articles_with_the_tag(client, article):
    make_article(title="Tagged draft", tags=["walking"], status=Article.Status.DRAFT)
    make_article(title="Other tag", tags=["sleep"])
    response = client.get("/tags/walking/")
    assert response.status_code == 200
    assertContains(response, "Articles tagged “walking”")
    assertContains(response, article.title)
    assertNotContains(response, "Tagged draft")
    assertNotContains(response, "Other tag")


def test_tag_pages_follow_on_newest_first_with_every_article_once(client):
    author = make_user(username="ines", display_name="Inès Moreau")
    for number in range(12):
        make_article(title=f"Stretching day {number}", tags=["stretching"], author=author)
    make_article(title="Stretching draft", tags=["stretching"], status=Article.Status.DRAFT)
    first = client.get("/tags/stretching/")
    second = client.get("/tags/stretching/", {"page": 2})
    titles = re.findall(r'<a href="[^"]+">(Stretching [^<]+)</a></h2>', first.text + second.text)
    assert titles == [f"Stretching day {number}" for number in range(12)]
    assertContains(second, "Inès Moreau")
    assert client.get("/tags/stretching/", {"page": 3}).status_code == 404


def test_tag_pages_break_ties_the_same_way_on_every_page(client):
    # Published at the same moment: the newest row first, the same order on both pages.
    moment = timezone.now() - timedelta(days=1)
    articles = [
        make_article(title=f"Balance drill {n}", tags=["balance"], published_at=moment)
        for n in range(12)
    ]
    pages = [client.get("/tags/balance/", {"page": n}).text for n in (1, 2)]
    titles = re.findall(r'<a href="[^"]+">(Balance drill [^<]+)</a></h2>', "".join(pages))
    assert titles == [article.title for article in reversed(articles)]


def test_pages_send_a_strict_content_security_policy(client, article):
    for url in ["/", article.get_absolute_url(), "/accounts/login/", "/no/such/page/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client, article):
    for url in ["/", article.get_absolute_url(), "/more/health/", "/accounts/login/"]:
        html = client.get(url).text
        # Only JSON-LD data blocks, which browsers never run.
        assert html.count("<script") == html.count('<script type="application/ld+json">')
        assert "<style" not in html
        assert "style=" not in html


def test_logout_is_post_only(client, article):
    user = make_user(username="leaving")
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assertContains(client.get(article.get_absolute_url()), "Login is required before commenting.")


# Query counts: every page runs a fixed number of queries whatever the data size.


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_page_queries_do_not_grow_with_tags_or_comments(client, recovery, no_page_cache):
    few = make_article(category=recovery, tags=["one"])
    many = make_article(category=recovery, tags=[f"tag-{n}" for n in range(20)])
    commenter = make_user()
    threads = Comment.objects.bulk_create(
        Comment(article=many, user=commenter, body=f"Thread {n}", status=Comment.Status.VISIBLE)
        for n in range(150)
    )
    Comment.objects.bulk_create(
        Comment(article=many, user=make_user(), parent=thread, body="A reply", status="visible")
        for thread in threads
    )
    recount_comments(many)  # bulk_create skips save(), which keeps the count
    response = client.get(many.get_absolute_url())
    assertContains(response, "Comments (300)")
    assertContains(response, "Comments page 1")
    assertContains(response, "?comments=2#comments")
    assert count_queries(client, many.get_absolute_url()) == count_queries(
        client, few.get_absolute_url()
    )
    # Article, tags, references, the page of comments (replies included), related articles.
    assert count_queries(client, few.get_absolute_url()) <= 6
    # Signed in, the page adds only the session and user look-ups.
    client.force_login(commenter)
    assert count_queries(client, many.get_absolute_url()) == count_queries(
        client, few.get_absolute_url()
    )


@pytest.mark.parametrize("url", ["/", "/more/", "/more/health/recovery/", "/tags/shared/"])
def test_list_page_queries_do_not_grow_with_articles(client, recovery, url, no_page_cache):
    make_article(category=recovery, tags=["shared"])
    one = count_queries(client, url)
    for _ in range(9):
        make_article(category=recovery, tags=["shared"], author=make_user())
    assert count_queries(client, url) == one
    assert one <= 3

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article, make_category, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_an_article_from_the_home_page(live_server, page):
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    make_article(
        title="Getting back on your feet",
        slug="back-on-your-feet",
        author=make_user(username="ines", display_name="Inês Costa"),
        category=recovery,
        body="## First days\n\nShort walks indoors.\n\n- Use a rail\n- Rest often\n",
        published_at=timezone.now() - timedelta(hours=2),
    )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Getting back on your feet").click()
    page.wait_for_url("**/articles/back-on-your-feet/")

    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    assert crumbs.all_inner_texts() == ["Home", "More", "Health", "Recovery"]
    assert page.get_by_role("heading", level=1).inner_text() == "Getting back on your feet"
    assert "Inês Costa" in page.locator(".byline").inner_text()
    assert page.get_by_role("heading", name="Comments (0)").is_visible()
    assert page.get_by_text("Login is required before commenting.").is_visible()
    # The stylesheet loaded and applied (the skip link is moved off screen by it).
    assert page.locator(".skip-link").bounding_box()["y"] < 0
    assert page.problems == []

    page.get_by_role("link", name="Log in to comment").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_label("Username").is_visible()
    assert page.problems == []


def test_admin_login_page_works_under_the_policy(live_server, page):
    make_user(username="boss", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Articles").first.wait_for()
    page.goto(live_server.url + "/admin/articles/article/add/")
    assert page.get_by_label("Title:", exact=True).is_visible()
    assert page.problems == []


def test_search_from_the_header(live_server, page):
    make_article(title="Gentle stretching in the morning", body="Stretch slowly, every day.")
    make_article(title="Something else entirely")
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search articles").fill("stretching")
    page.get_by_role("searchbox", name="Search articles").press("Enter")
    page.wait_for_url("**/search/?q=stretching")
    results = page.locator(".search-results h3")
    assert results.all_inner_texts() == ["Gentle stretching in the morning"]
    assert page.problems == []


@pytest.mark.parametrize(
    "viewport",
    [{"width": 360, "height": 740}, {"width": 640, "height": 400}],
    ids=["phone", "desktop-at-200-percent-zoom"],
)
def test_pages_fit_narrow_screens_without_sideways_scrolling(live_server, browser, viewport):
    article = make_article(
        title="A rather long title about getting back to everyday activities after surgery",
        body="## Section\n\n" + "Words that wrap onto new lines as they should. " * 40,
        tags=["recovery", "walking", "everyday life"],
    )
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for url in ["/", article.get_absolute_url(), "/search/?q=words", "/accounts/login/"]:
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (url, overflow)
    context.close()

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from healthsite.pagination import MAX_OFFSET
from tests.factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # far past what a database offset can hold


@pytest.fixture
def article():
    author = make_user(username="sam")
    category = make_category(name="Recovery", slug="recovery")
    return make_article(title="Walking plan", author=author, category=category, tags=["walking"])


LISTS = [
    "/",
    "/recovery/",
    "/tags/walking/",
    "/search/?q=walking",
    "/authors/sam/",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_page_number_too_large_for_the_database_is_not_found(client, article, url):
    joiner = "&" if "?" in url else "?"
    assertContains(client.get(url), "Walking plan")
    response = client.get(f"{url}{joiner}page={HUGE}")
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "Walking plan", status_code=404)


@pytest.mark.parametrize("url", LISTS)
def test_the_last_page_the_database_can_address_is_simply_empty(client, article, settings, url):
    joiner = "&" if "?" in url else "?"
    last = MAX_OFFSET // settings.ARTICLES_PER_PAGE - 1
    assert client.get(f"{url}{joiner}page={last}").status_code == 404
    assert client.get(f"{url}{joiner}page={last + 1}").status_code == 404


def test_a_huge_comments_page_shows_the_first_page_of_comments(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    for number in range(3):
        make_comment(article=article, body=f"Thread number {number}")
    response = client.get(f"{article.get_absolute_url()}?comments={HUGE}")
    assertContains(response, "Comments (3)")
    assertContains(response, "Thread number 0")
    assertContains(response, "Thread number 1")
    assertNotContains(response, "Thread number 2")


@pytest.mark.parametrize("number", ["abc", "0", "-1", "2.5"])
def test_a_comments_page_that_is_not_a_page_number_shows_the_first(client, article, number):
    make_comment(article=article, body="The only thread")
    response = client.get(f"{article.get_absolute_url()}?comments={number}")
    assertContains(response, "Comments (1)")
    assertContains(response, "The only thread")


@pytest.mark.parametrize("number", ["abc", "0", "-1"])
def test_a_results_page_that_is_not_a_page_number_is_not_found(client, article, number):
    response = client.get(f"/search/?q=walking&page={number}")
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "Walking plan", status_code=404)

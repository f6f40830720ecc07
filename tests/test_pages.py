"""Pages that belong to no app: sign-in and the error pages."""

import pytest
from django.test import Client
from django.urls import path
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("Something broke while building the page")


# The 500 test serves this module as the whole site: one address that always fails.
urlpatterns = [path("broken/", broken_view)]


def test_login_page_runs_no_query(client, no_page_cache, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/accounts/login/")
    assertContains(response, 'name="username"')
    assertContains(response, 'name="password"')


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/no/such/page/", 1),  # the category look-up the catch-all address makes
        ("/articles/no-such-article/", 3),  # the article, an old slug, an archived article
    ],
)
def test_not_found_page_runs_a_fixed_number_of_queries(
    client, no_page_cache, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assertContains(response, "Page not found", status_code=404)


def test_server_error_page_is_calm_and_keeps_the_strict_policy(settings, caplog):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assertContains(response, "Something went wrong", status_code=500)
    assertContains(response, "a problem on our side", status_code=500)
    assertNotContains(response, "RuntimeError", status_code=500)
    assertNotContains(response, "Something broke", status_code=500)
    assert "<script" not in response.text
    assert "style=" not in response.text
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # The error itself goes to the log for the people running the site.
    assert "Something broke while building the page" in caplog.text

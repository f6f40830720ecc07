import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Category
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(databases=["default", "replica1"])


@pytest.fixture(autouse=True)
def _route_reads_to_the_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def copy_to_replica(article: Article, *, title: str) -> None:
    """Make the replica hold the same article as the primary, but with another title, so a
    page shows which database it was read from."""
    for category in Category.objects.using("default").order_by("path"):
        category.save(using="replica1")
    user = article.author
    user.save(using="replica1")
    article.title = title
    Article.save(article, using="replica1")


def test_reads_go_to_the_replica(client, no_page_cache):
    article = make_article(title="Title on the primary", slug="routed")
    copy_to_replica(article, title="Title on the replica")
    with CaptureQueriesContext(connections["replica1"]) as replica_queries:
        response = client.get("/articles/routed/")
    assert "Title on the replica" in response.text
    assert len(replica_queries) > 0


def test_a_visitor_reads_their_own_writes_from_the_primary(client, no_page_cache):
    make_user(username="reader")
    article = make_article(title="Title on the primary", slug="routed")
    copy_to_replica(article, title="Title on the replica")

    response = client.post(
        "/accounts/login/", {"username": "reader", "password": "a-long-test-password"}
    )
    assert response.cookies["read_primary"]["max-age"] == 10
    page = client.get("/articles/routed/")
    assert "Title on the primary" in page.text

    # Once the replica has caught up (the cookie expired), reads go back to it.
    del client.cookies["read_primary"]
    assert "Title on the replica" in client.get("/articles/routed/").text

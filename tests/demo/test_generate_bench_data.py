import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.asserts import assertContains

from accounts.models import User
from articles.models import Article
from comments.models import Comment
from demo.management.commands import generate_bench_data
from demo.management.commands.generate_bench_data import (
    ARTICLES_PER_AUTHOR,
    BENCH_ARTICLE_SLUG,
    BENCH_USER,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(monkeypatch):
    """The small data set's shape at a size a test can afford."""
    sizes = {"small": {"articles": 300, "comments": 400, "categories": 20, "tags": 30, "users": 60}}
    monkeypatch.setattr(generate_bench_data, "SIZES", sizes)


def test_generated_site_has_the_measured_article_and_realistic_authors(client, tiny):
    call_command("generate_bench_data", "--size", "small")

    assert Article.objects.count() == 300
    assert Comment.objects.count() == 400
    article = Article.objects.get(slug=BENCH_ARTICLE_SLUG)
    assert article.is_public
    assert article.hero_image is not None
    assert article.references.count() == 5
    assert len(set(article.tags.names())) == 5
    assert article.comment_count == 30 == article.comments.visible().count()
    # Every author writes the same number of articles whatever the size of the site, and
    # the reader the benchmark signs in as writes none.
    authors = User.objects.filter(articles__isnull=False).distinct()
    assert authors.count() == 300 // ARTICLES_PER_AUTHOR
    assert {author.articles.count() for author in authors} == {ARTICLES_PER_AUTHOR}
    assert not Article.objects.filter(author__username=BENCH_USER).exists()
    # The reader has commented before, so their comments show at once.
    reader = User.objects.get(username=BENCH_USER)
    assert reader.comments.visible().exists()

    response = client.get(article.get_absolute_url())
    assertContains(response, "Comments (30)")
    assertContains(response, article.tags.first().name)
    # Tag names are words of their own: searching one finds the article carrying it.
    tag = article.tags.first()
    found = client.get("/search/", {"q": tag.name})
    assertContains(found, article.title)


def test_refuses_a_database_with_articles(tiny):
    call_command("generate_bench_data", "--size", "small")
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("generate_bench_data", "--size", "small")

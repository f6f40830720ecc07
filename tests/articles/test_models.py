from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.editorial.workflow import save_article
from articles.models import Article, Category, Disclaimer, Reference
from tests.factories import make_article, make_category


@pytest.mark.django_db
def test_published_means_marked_published_and_due():
    public = make_article(title="Public")
    make_article(title="Draft", status=Article.Status.DRAFT)
    make_article(title="Future", published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [public]


@pytest.mark.django_db
def test_is_public_agrees_with_published_and_with_what_readers_get(client):
    now = timezone.now()
    times = {"past": now - timedelta(days=1), "future": now + timedelta(days=1), "none": None}
    articles = {}
    for status in Article.Status:
        for when, published_at in times.items():
            article = make_article(slug=f"{status}-{when}")
            # Stored as is: save() would turn some of these into another status.
            Article.objects.filter(pk=article.pk).update(status=status, published_at=published_at)
            article.refresh_from_db()
            articles[status, when] = article

    public = {key for key, article in articles.items() if article.is_public}
    assert public == {("published", "past"), ("scheduled", "past")}
    assert set(Article.objects.published()) == {articles[key] for key in public}
    for key, article in articles.items():
        response = client.get(f"/articles/{article.slug}/")
        assert (response.status_code == 200) == (key in public), (key, response.status_code)


@pytest.mark.django_db
def test_publishing_without_a_date_uses_now():
    before = timezone.now().replace(microsecond=0)  # the time is kept to the second
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.status = Article.Status.PUBLISHED
    save_article(article)
    assert article.published_at is not None
    assert before <= article.published_at <= timezone.now()
    assert list(Article.objects.published()) == [article]


@pytest.mark.django_db
def test_nested_category_url_is_its_path():
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    assert recovery.path == "more/health/recovery"
    assert recovery.get_absolute_url() == "/more/health/recovery/"
    assert [crumb["path"] for crumb in recovery.ancestry] == [
        "more",
        "more/health",
        "more/health/recovery",
    ]


@pytest.mark.django_db
def test_renaming_a_category_moves_its_descendants():
    more = make_category(slug="more")
    health = make_category(slug="health", parent=more)
    recovery = make_category(slug="recovery", parent=health)
    health.slug = "wellbeing"
    health.name = "Wellbeing"
    health.save()
    recovery.refresh_from_db()
    assert recovery.path == "more/wellbeing/recovery"
    assert [crumb["name"] for crumb in recovery.ancestry] == [more.name, "Wellbeing", recovery.name]
    assert recovery.ancestry[1]["path"] == "more/wellbeing"
    assert Category.objects.get(path="more").pk == more.pk


@pytest.mark.django_db
def test_slug_is_unique_among_siblings_only():
    first = make_category(slug="first")
    second = make_category(slug="second")
    make_category(slug="sleep", parent=first)
    # The same slug under another parent is fine.
    make_category(slug="sleep", parent=second).full_clean()
    duplicate = Category(name="Sleep again", slug="sleep", parent=first)
    with pytest.raises(ValidationError, match="sibling category already uses this slug"):
        duplicate.full_clean()


@pytest.mark.django_db
def test_top_level_slugs_are_unique_and_not_reserved():
    make_category(slug="health")
    with pytest.raises(ValidationError, match="top-level category already uses"):
        Category(name="Health", slug="health").full_clean()
    with pytest.raises(ValidationError, match="used by the site itself"):
        Category(name="Admin", slug="admin").full_clean()


@pytest.mark.django_db
def test_a_category_cannot_move_inside_itself():
    parent = make_category(slug="parent")
    child = make_category(slug="child", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="cannot sit inside itself"):
        parent.full_clean()


@pytest.mark.django_db
def test_articles_in_and_below_a_category():
    more = make_category(slug="more")
    health = make_category(slug="health", parent=more)
    other = make_category(slug="more-things")  # shares a prefix, not a parent
    in_more = make_article(category=more)
    below = make_article(category=health)
    make_article(category=other)
    assert set(Article.objects.in_category(more)) == {in_more, below}
    assert set(Article.objects.in_category(health)) == {below}


@pytest.mark.django_db
def test_editors_text_is_stored_with_plain_line_breaks(client):
    # Browsers send a textarea's line breaks as CRLF; pasted or imported text may hold a
    # lone CR. Code that saves without a form gets the same as the admin.
    category = make_category(description="Knees\r\nand hips\rand more")
    article = make_article(
        category=category, summary="One.\r\nTwo.", body="## Moves\r\n\r\nRest [1].\r"
    )
    article.change_summary = "New\r\nadvice"
    save_article(article)
    reference = Reference.objects.create(
        article=article, number=1, title="Knee\r\npain", url="https://a.example/"
    )
    Disclaimer(text="**Not advice.**\r\nAsk a doctor.").save()
    article.refresh_from_db()
    category.refresh_from_db()
    reference.refresh_from_db()
    assert (article.summary, article.body, article.change_summary) == (
        "One.\nTwo.",
        "## Moves\n\nRest [1].\n",
        "New\nadvice",
    )
    assert category.description == "Knees\nand hips\nand more"
    assert reference.title == "Knee\npain"
    assert Disclaimer.objects.get().text == "**Not advice.**\nAsk a doctor."

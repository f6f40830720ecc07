"""The article forms of the admin as their pages post them, for tests that go through it."""

from django.utils import timezone
from pytest_django.asserts import assertRedirects

from articles.models import Article


def admin_form(article: Article, **overrides) -> dict:
    """The admin change form for `article` as its page would post it, with changes."""
    published_at = timezone.localtime(article.published_at) if article.published_at else None
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "tags": "",
        "author": article.author_id,
        "status": article.status,
        "published_at_0": f"{published_at:%Y-%m-%d}" if published_at else "",
        "published_at_1": f"{published_at:%H:%M:%S}" if published_at else "",
        "replaced_by": article.replaced_by_id or "",
        "archive_note": article.archive_note,
        # The references inline, empty: enough for articles that have none.
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        **overrides,
    }


def pending_form(version: Article, **overrides) -> dict:
    """A pending version's admin form as its page posts it."""
    return {
        "title": version.title,
        "slug": version.slug,
        "summary": version.summary,
        "body": version.body,
        "category": version.category_id,
        "tags": ", ".join(version.tags.names()),
        "change_kind": version.change_kind,
        "change_summary": version.change_summary,
        "assigned_reviewer": version.assigned_reviewer_id or "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        **overrides,
    }


def start_pending(client, article: Article) -> Article:
    """Press "Change the text in a pending version" on a live article's page."""
    response = client.post(f"/admin/articles/article/{article.pk}/pending/")
    version = Article.objects.get(live=article)
    assertRedirects(response, f"/admin/articles/article/{version.pk}/change/")
    return version


def change_live(client, article: Article, *, kind: str = "minor", **changes) -> None:
    """As an editor: change a live article through a pending version and publish it."""
    version = start_pending(client, article)
    form = pending_form(version, change_kind=kind, _publish_changes="1", **changes)
    if kind == "substantive" and not form["change_summary"]:
        form["change_summary"] = "Updated advice"
    response = client.post(f"/admin/articles/article/{version.pk}/change/", form)
    assert response.status_code == 302, response.text
    assert not Article.objects.filter(pk=version.pk).exists(), "the change was not published"
    article.refresh_from_db()

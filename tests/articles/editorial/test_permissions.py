"""Who may change what of a live article and its pending version, tried through the admin
as each role would try it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Reference
from tests.articles.editorial.admin_forms import pending_form, start_pending
from tests.factories import make_article

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def live(author):
    return make_article(
        title="Living with knee pain", slug="knee-pain", body="Rest the knee.", author=author
    )


def reference_form(**fields) -> dict:
    """The reference admin's form as its page posts it."""
    return {
        "number": 1, "title": "A trial", "publisher": "", "year": "",
        "url": "https://example.org/trial", "doi": "", "pubmed_id": "", "accessed_on": "",
        **fields,
    }  # fmt: skip


def test_an_author_cannot_change_a_version_an_editor_set_to_publish_at_a_time(
    client, editor, author, live, time_machine
):
    client.force_login(editor)
    version = start_pending(client, live)
    later = timezone.localtime() + timedelta(days=1)
    client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(
            version, body="Rest the knee, a typo fixed.", change_kind="minor",
            _publish_changes="1", publish_at=f"{later:%Y-%m-%dT%H:%M}",
        ),
    )  # fmt: skip
    version.refresh_from_db()
    assert version.publish_changes_at is not None

    # What goes out at that time is what the editor saw: the author's later edits, of the
    # text or of its sources, are refused.
    client.force_login(author)
    url = f"/admin/articles/article/{version.pk}/change/"
    response = client.post(url, pending_form(version, body="Advice no editor read."))
    assert response.status_code == 403
    response = client.post(
        "/admin/articles/reference/add/", reference_form(article=version.pk, title="Unread")
    )
    assert response.status_code == 200  # the form again, with the article refused
    assert not version.references.exists()

    time_machine.move_to(later + timedelta(minutes=1))
    call_command("publish_due_changes")
    live.refresh_from_db()
    assert live.body == "Rest the knee, a typo fixed."
    assert not live.references.exists()


def test_editors_change_the_sources_of_a_live_article_only_through_its_pending_version(
    client, editor, author, live
):
    draft = make_article(title="Ankles", author=author, status=Status.DRAFT)
    source = Reference.objects.create(
        article=draft, number=1, title="A trial", url="https://example.org/trial"
    )
    client.force_login(editor)

    response = client.post("/admin/articles/reference/add/", reference_form(article=live.pk))
    assert response.status_code == 200
    response = client.post(
        f"/admin/articles/reference/{source.pk}/change/", reference_form(article=live.pk)
    )
    assert response.status_code == 200

    assert not live.references.exists()
    source.refresh_from_db()
    assert source.article_id == draft.pk

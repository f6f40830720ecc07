"""Any two revisions of an article side by side, with their sources and tags, and one of
them restored: into the draft, or into a live article's pending version."""

import re

import pytest
import reversion
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from reversion.models import Version

from articles.models import Article, Reference
from tests.articles.editorial.admin_forms import admin_form
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status
CAPTION = re.compile(r'<table class="side-by-side">\s*<caption>([^<]+)</caption>')


def save(client, article: Article, *, sources: list[dict], **changes) -> None:
    """Save the article's admin form with these sources (by number: a source of the
    article not among them is deleted) and these changes."""
    existing = {reference.number: reference for reference in article.references.all()}
    wanted = {source["number"]: source for source in sources}
    rows: list[tuple[Reference | None, dict | None]] = [
        (existing[number], wanted.get(number)) for number in sorted(existing)
    ]
    rows += [(None, source) for number, source in wanted.items() if number not in existing]
    data = {
        **admin_form(article, **{"tags": ", ".join(article.tags.names()), **changes}),
        "references-TOTAL_FORMS": str(len(rows)),
        "references-INITIAL_FORMS": str(len(existing)),
    }
    for index, (reference, source) in enumerate(rows):
        prefix = f"references-{index}-"
        if reference is not None:
            data[prefix + "id"] = reference.pk
            data[prefix + "article"] = article.pk
        if source is None:
            assert reference is not None  # only a stored source is left out
            data[prefix + "DELETE"] = "on"
            source = {"number": reference.number, "title": reference.title, "url": reference.url}
        data.update({prefix + name: value for name, value in source.items()})
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.text
    article.refresh_from_db()


GUIDE = {"number": 1, "title": "Rest after illness", "url": "https://nhs.example/rest"}
TRIAL = {"number": 2, "title": "A trial of pacing", "url": "https://bmj.example/pacing"}


@pytest.fixture
def written(client, author):
    """A draft its author saved three times: new words, a new source and tag, a source's
    title changed."""
    article = make_article(
        author=author, title="Pacing", slug="pacing", status=Status.DRAFT, body="Rest well."
    )
    client.force_login(author)
    save(client, article, sources=[GUIDE], body="Rest well [1].", tags="fatigue")
    save(
        client,
        article,
        sources=[GUIDE, TRIAL],
        body="Rest well [1], then walk a little [2].",
        title="Pacing your energy",
        tags="fatigue, walking",
    )
    save(
        client,
        article,
        sources=[{**GUIDE, "title": "Rest after a viral illness"}, TRIAL],
        body="Rest well [1], then walk a little more each day [2].",
        tags="fatigue, walking",
    )
    return article


def versions_of(article: Article) -> list[Version]:
    return list(Version.objects.get_for_object(article).order_by("pk"))


def compare(client, article: Article, old: Version, new: Version):
    url = f"/admin/articles/article/{article.pk}/history/compare/"
    return client.get(url, {"old": old.pk, "new": new.pk})


def test_the_history_offers_any_two_revisions_in_a_form_without_javascript(client, written):
    history = client.get(f"/admin/articles/article/{written.pk}/history/")
    _, before, newest = versions_of(written)
    assertContains(history, f'action="/admin/articles/article/{written.pk}/history/compare/"')
    assertContains(history, 'method="get"')
    assertContains(history, 'type="radio" name="old"', count=3)
    assertContains(history, 'type="radio" name="new"', count=3)
    # The newest is "To", the one before it "From", unless the editor picks others.
    checked = re.findall(r'name="(old|new)" value="(\d+)"\s+checked', history.text)
    assert checked == [("new", str(newest.pk)), ("old", str(before.pk))]
    assertContains(history, '<button type="submit">Compare</button>', html=True)
    # Each choice is labelled with what it picks.
    assertContains(history, '<span class="visually-hidden"> the revision of', count=6)


def test_two_revisions_side_by_side_with_the_words_sources_and_tags_that_changed(client, written):
    first, _, newest = versions_of(written)
    response = compare(client, written, first, newest)

    assert CAPTION.findall(response.text) == ["Title", "Body", "Tags", "Sources"]
    assertContains(response, "Pacing<ins> your energy</ins>")
    assertContains(response, "Rest well [1<ins>], then walk a little more each day [2</ins>].")
    assertContains(response, '<span class="side-by-side__text">walking</span>')
    # A source whose title changed: its changed words; a source added: whole.
    assertContains(response, "[1] Rest after<ins> a viral</ins> illness")
    assertContains(response, "[2] A trial of pacing. https://bmj.example/pacing</span>", count=1)
    assertContains(response, '<td class="side-by-side__added"', count=2)  # the tag, the source
    assertContains(response, "From the revision of")

    # The other way round: what was added shows as removed.
    backwards = compare(client, written, newest, first)
    assertContains(backwards, "Pacing<del> your energy</del>")
    assertContains(backwards, '<td class="side-by-side__removed"', count=2)


def test_other_fields_that_changed_show_by_name(client, written, editor):
    client.force_login(editor)
    reviewer = make_user(username="drsaad", display_name="Dr Saad", credentials="MD")
    save(
        client,
        written,
        sources=[{**GUIDE, "title": "Rest after a viral illness"}, TRIAL],
        archive_note="Kept for the record.",
        reviewer=reviewer.pk,
        reviewed_on="2026-01-05",
        tags="fatigue, walking",
    )
    *_, before, after = versions_of(written)
    response = compare(client, written, before, after)
    assert CAPTION.findall(response.text) == [
        "Archive note",
        "Medical reviewer",
        "Medical review date",
    ]
    assertContains(response, '<span class="side-by-side__text">Dr Saad</span>')
    assertContains(response, "5 Jan 2026")


def test_a_revision_from_before_sources_and_tags_were_kept_says_so(client, written):
    # As revisions were made before: the article's fields only, no fingerprint.
    article = Article.objects.get(pk=written.pk)
    article.content_hash = ""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
    old = Version.objects.get_for_object(article).first()
    assert old is not None
    Version.objects.filter(revision=old.revision).exclude(pk=old.pk).delete()

    newest = versions_of(written)[2]
    response = compare(client, written, old, newest)
    assert CAPTION.findall(response.text) == ["Tags", "Sources"]
    assertContains(response, "Not recorded in this revision", count=2)
    assertNotContains(response, '<td class="side-by-side__added"')

    # Restoring it leaves the sources and tags as they are.
    client.post(f"/admin/articles/article/{written.pk}/history/{old.pk}/restore/")
    written.refresh_from_db()
    assert sorted(written.tags.names()) == ["fatigue", "walking"]
    assert written.references.count() == 2


def test_restoring_a_draft_brings_back_its_text_sources_and_tags(client, written):
    first = versions_of(written)[0]
    page = compare(client, written, first, versions_of(written)[2])
    assertContains(page, "with its sources and tags.")
    response = client.post(
        f"/admin/articles/article/{written.pk}/history/{first.pk}/restore/", follow=True
    )
    assertContains(response, "Restored the text")
    written.refresh_from_db()
    assert (written.title, written.body) == ("Pacing", "Rest well [1].")
    assert list(written.tags.names()) == ["fatigue"]
    assert list(written.references.values_list("number", "title")) == [(1, "Rest after illness")]
    assert written.status == Status.DRAFT

    # The restore is a revision of its own, holding what it restored.
    restored, newest = versions_of(written)[-1], versions_of(written)[2]
    assert restored.revision.get_comment().startswith("Restored the revision of")
    again = compare(client, written, restored, first)
    assertContains(again, "These two revisions have the same content.")
    assertContains(compare(client, written, newest, restored), "<caption>Sources</caption>")


def test_restoring_a_live_articles_revision_goes_into_its_pending_version(client, written, editor):
    first = versions_of(written)[0]
    client.force_login(editor)
    save(client, written, sources=[GUIDE, TRIAL], status=Status.PUBLISHED, tags="fatigue")
    live_body = written.body
    page = compare(client, written, versions_of(written)[-1], first)
    assertContains(page, "goes into its pending version")

    response = client.post(f"/admin/articles/article/{written.pk}/history/{first.pk}/restore/")
    version = Article.objects.get(live=written)
    assertRedirects(response, f"/admin/articles/article/{version.pk}/change/")
    assert version.body == "Rest well [1]."
    assert list(version.tags.names()) == ["fatigue"]
    assert list(version.references.values_list("number", flat=True)) == [1]
    # Readers still read the live article, with its sources.
    written.refresh_from_db()
    assert written.body == live_body
    assert written.status == Status.PUBLISHED
    assert written.references.count() == 2
    assertContains(client.get(written.get_absolute_url()), "then walk a little")


def test_no_one_else_compares_or_restores(client, written, editor):
    first, _, newest = versions_of(written)
    restore = f"/admin/articles/article/{written.pk}/history/{first.pk}/restore/"
    for user in (
        make_user(username="other", role="Authors"),
        make_user(username="mod", role="Moderators"),
    ):
        client.force_login(user)
        assert compare(client, written, first, newest).status_code == 403
        assert client.post(restore).status_code == 403
    client.force_login(make_user(username="reader"))
    assert compare(client, written, first, newest)["Location"].startswith("/admin/login/")
    assert client.post(restore)["Location"].startswith("/admin/login/")
    # A restore is a form: never by following a link.
    client.force_login(editor)
    assert client.get(restore).status_code == 405
    written.refresh_from_db()
    assert written.title == "Pacing your energy"
    assert Version.objects.get_for_object(written).count() == 3


def test_a_reviewer_reads_a_comparison_but_cannot_restore(client, written, author):
    reviewer = make_user(username="drsaad", credentials="MD", role="Medical reviewers")
    written.category.is_medical = True
    written.category.save()
    written.assigned_reviewer = reviewer
    written.save()
    first, _, newest = versions_of(written)
    client.force_login(reviewer)
    assert compare(client, written, first, newest).status_code == 200
    response = client.post(f"/admin/articles/article/{written.pk}/history/{first.pk}/restore/")
    assert response.status_code == 403
    written.refresh_from_db()
    assert written.title == "Pacing your energy"


def test_unknown_revisions_lead_back_to_the_history(client, written):
    other = make_article(title="Other")
    with reversion.create_revision():
        other.save()
    foreign = Version.objects.get_for_object(other).get()
    newest = versions_of(written)[2]
    url = f"/admin/articles/article/{written.pk}/history/compare/"
    for query in ({"old": foreign.pk, "new": newest.pk}, {"new": "x"}, {"old": 0}):
        assertRedirects(client.get(url, query), f"/admin/articles/article/{written.pk}/history/")


def test_the_compare_page_reads_as_many_queries_however_many_revisions(
    client, written, django_assert_num_queries
):
    first, _, newest = versions_of(written)
    compare(client, written, first, newest)  # the content types, once per process

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert compare(client, written, first, newest).status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        save(client, written, sources=[GUIDE, TRIAL], body=f"Edit {number} [1] [2].", tags="x")
    with django_assert_num_queries(few):
        assert compare(client, written, first, newest).status_code == 200
    assert Reference.objects.filter(article=written).count() == 2

"""The editorial workflow: statuses, scheduling, archiving, old addresses, preview and
revisions, tried through the admin and the pages as editors, authors and readers use them."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from articles.editorial.workflow import (
    archive_article,
    publish_article,
    restore_revision,
    return_to_draft,
    submit_for_review,
)
from articles.models import Article, OldSlug, Reference
from tests.articles.editorial.admin_forms import admin_form, change_live, pending_form
from tests.factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def draft(author):
    return make_article(
        title="Pacing your energy", slug="pacing", author=author, status=Status.DRAFT
    )


# Who may do what.


def test_author_submits_a_draft_for_review_from_the_admin(client, author, draft):
    client.force_login(author)
    form = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(form, 'name="_submit_for_review"')
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        {**admin_form(draft, title="Pacing your energy well"), "_submit_for_review": "1"},
    )
    assert response.status_code == 302, response.text
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.title == "Pacing your energy well"
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_author_cannot_publish_by_any_route(client, author, draft):
    with pytest.raises(PermissionDenied):
        publish_article(article=draft, by=author)
    client.force_login(author)
    listing = client.get("/admin/articles/article/")
    assertNotContains(listing, "publish_now")
    client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        admin_form(draft, status=Status.PUBLISHED),
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


def test_only_a_draft_can_be_submitted(author, draft):
    submit_for_review(article=draft, by=author)
    with pytest.raises(ValidationError, match="Only a draft"):
        submit_for_review(article=draft, by=author)


def test_another_author_cannot_submit_my_draft(draft):
    with pytest.raises(PermissionDenied):
        submit_for_review(article=draft, by=make_user(role="Authors"))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_editor_publishes_now_with_the_admin_action(client, editor, draft):
    submit_for_review(article=draft, by=draft.author)
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
        follow=True,
    )
    assertContains(response, "“Pacing your energy” published.")
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at <= timezone.now()
    assertContains(client.get("/"), "Pacing your energy")


def test_editor_sends_a_published_article_back_to_draft_with_the_admin_action(client, editor):
    live = make_article(title="Pacing your energy", slug="pacing")
    assert client.get("/articles/pacing/").status_code == 200
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "send_back_to_draft", "_selected_action": [live.pk]},
        follow=True,
    )
    assertContains(response, "“Pacing your energy” sent back to draft.")
    live.refresh_from_db()
    assert live.status == Status.DRAFT
    revision = Version.objects.get_for_object(live).get().revision
    assert (revision.user, revision.get_comment()) == (editor, "Returned to draft.")
    client.logout()
    assert client.get("/articles/pacing/").status_code == 404
    assertNotContains(client.get("/"), "Pacing your energy")


def test_an_archived_article_back_in_draft_no_longer_sends_readers_on(client, editor):
    old = make_article(title="Bed rest", slug="bed-rest")
    archive_article(article=old, by=editor, replacement=make_article(slug="keep-moving"))
    assert client.get("/articles/bed-rest/").status_code == 301
    return_to_draft(article=old, by=editor)
    old.refresh_from_db()
    assert old.status == Status.DRAFT
    assert old.replaced_by is None  # only an archived article has a replacement
    assert client.get("/articles/bed-rest/").status_code == 404


def test_authors_cannot_send_an_article_back_to_draft(client, author):
    live = make_article(author=author, title="Pacing your energy")
    with pytest.raises(PermissionDenied):
        return_to_draft(article=live, by=author)
    client.force_login(author)
    assertNotContains(client.get("/admin/articles/article/"), "send_back_to_draft")
    client.post(
        "/admin/articles/article/",
        {"action": "send_back_to_draft", "_selected_action": [live.pk]},
    )
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED
    assert not Version.objects.get_for_object(live).exists()


def test_an_admin_action_refused_for_one_article_goes_on_with_the_others(client, editor):
    joints = make_category(name="Joints", is_medical=True)
    unreviewed = make_article(title="Knee pain", category=joints, status=Status.DRAFT)
    plain = make_article(title="Sleeping well", status=Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [unreviewed.pk, plain.pk]},
        follow=True,
    )
    assertContains(
        response,
        "“Knee pain” not published: Articles in “Joints” need a medical review "
        "(reviewer and date) before they are published.",
    )
    assertContains(response, "“Sleeping well” published.")
    unreviewed.refresh_from_db()
    plain.refresh_from_db()
    assert unreviewed.status == Status.DRAFT
    assert not Version.objects.get_for_object(unreviewed).exists()
    assert plain.status == Status.PUBLISHED


def test_authors_read_their_public_articles_but_only_editors_change_them(client, author, editor):
    live = make_article(author=author, title="Pacing", body="Reviewed advice.")
    source = Reference.objects.create(
        article=live, number=1, title="Guideline", url="https://example.org/guideline"
    )
    scheduled = make_article(
        author=author,
        title="Sleep",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(editor)
    change_live(client, live, body="Reviewed advice, checked.")
    checked = Version.objects.get_for_object(live).get()

    client.force_login(author)
    for article in (live, scheduled):
        url = f"/admin/articles/article/{article.pk}/change/"
        form = client.get(url)
        assertContains(form, "<h1>View article</h1>", html=True)
        assertContains(form, article.body.splitlines()[0])  # shown, not in a text box
        assertNotContains(form, 'name="body"')
        assertNotContains(form, 'name="_save"')
        response = client.post(url, admin_form(article, body="Unreviewed advice."))
        assert response.status_code == 403
        assert client.get(f"/admin/articles/article/{article.pk}/preview/").status_code == 200
    reference_url = f"/admin/articles/reference/{source.pk}/change/"
    assert client.get(reference_url).status_code == 200
    response = client.post(
        reference_url,
        {"article": live.pk, "number": 1, "title": "Blog post", "url": "https://example.org/b"},
    )
    assert response.status_code == 403
    # A restore, like any change of theirs to a live article, goes into a pending version.
    restore = f"/admin/articles/article/{live.pk}/history/{checked.pk}/restore/"
    response = client.post(restore)
    assert response["Location"] == f"/admin/articles/article/{live.pending.pk}/change/"

    live.refresh_from_db()
    scheduled.refresh_from_db()
    source.refresh_from_db()
    assert live.body == "Reviewed advice, checked."
    assert scheduled.body != "Unreviewed advice."
    assert source.title == "Guideline"
    page = client.get(live.get_absolute_url())
    assertContains(page, "Reviewed advice, checked.")
    assertNotContains(page, "Unreviewed advice.")

    client.force_login(editor)
    change_live(client, live, body="Editors may still change it.")
    assert live.body == "Editors may still change it."


def test_authors_still_change_their_drafts_and_articles_in_review(client, author, draft):
    submit_for_review(article=draft, by=author)
    client.force_login(author)
    edit(client, draft, body="Better wording while in review.")
    assert draft.body == "Better wording while in review."
    assert draft.status == Status.IN_REVIEW


# Scheduling.


def test_scheduled_article_appears_by_itself_at_its_time(client, editor, draft, time_machine):
    at = timezone.now() + timedelta(hours=2)
    publish_article(article=draft, by=editor, at=at)
    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    assert client.get(draft.get_absolute_url()).status_code == 404
    assertNotContains(client.get("/"), "Pacing your energy")

    time_machine.move_to(at + timedelta(minutes=1), tick=False)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assertContains(client.get("/"), "Pacing your energy")
    assert Article.objects.get(pk=draft.pk).status == Status.SCHEDULED  # no job needed


def test_editor_schedules_in_the_admin_and_needs_a_future_time(client, editor, draft):
    client.force_login(editor)
    url = f"/admin/articles/article/{draft.pk}/change/"
    response = client.post(url, admin_form(draft, status=Status.SCHEDULED))
    assertContains(response, "A scheduled article needs a publish time in the future.")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    at = timezone.localtime() + timedelta(days=1)
    response = client.post(
        url,
        admin_form(
            draft,
            status=Status.SCHEDULED,
            published_at_0=f"{at:%Y-%m-%d}",
            published_at_1=f"{at:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302, response.text
    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_with_a_time_to_come_is_saved_as_scheduled(author):
    article = make_article(
        author=author, status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=3)
    )
    assert article.status == Status.SCHEDULED


def test_a_scheduled_article_can_be_saved_and_restored_after_its_time(
    client, editor, draft, time_machine
):
    at = timezone.now() + timedelta(hours=2)
    publish_article(article=draft, by=editor, at=at)
    client.force_login(editor)
    change_live(client, draft, body="First wording.")
    first = Version.objects.get_for_object(draft).first()

    time_machine.move_to(at + timedelta(minutes=5), tick=False)
    change_live(client, draft, body="Second wording, with a typo fixed.")
    assert draft.status == Status.PUBLISHED  # lists now say what readers see
    assert abs(draft.published_at - at) < timedelta(seconds=1)
    assertContains(client.get(draft.get_absolute_url()), "Second wording, with a typo fixed.")

    response = client.post(
        f"/admin/articles/article/{draft.pk}/history/{first.pk}/restore/", follow=True
    )
    assertContains(response, "Restored the text")
    # Into the live article's pending version, published like any change.
    version = Article.objects.get(live=draft)
    assert version.body == "First wording."
    client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(version, change_kind="minor", _publish_changes="1"),
    )
    draft.refresh_from_db()
    assert draft.body == "First wording."
    assert draft.status == Status.PUBLISHED
    assertContains(client.get(draft.get_absolute_url()), "First wording.")


def test_scheduling_for_a_time_already_past_is_refused(client, editor, draft):
    past = timezone.localtime() - timedelta(hours=1)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        admin_form(
            draft,
            status=Status.SCHEDULED,
            published_at_0=f"{past:%Y-%m-%d}",
            published_at_1=f"{past:%H:%M:%S}",
        ),
    )
    assertContains(response, "A scheduled article needs a publish time in the future.")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


# Archiving.


def test_archived_article_is_gone_with_a_note(client, editor):
    article = make_article(title="Old advice on bed rest", slug="bed-rest", tags=["rest"])
    archive_article(article=article, by=editor, note="Current advice is to keep moving.")
    response = client.get("/articles/bed-rest/")
    assert response.status_code == 410
    assertContains(response, "This article has been archived", status_code=410)
    assertContains(response, "Current advice is to keep moving.", status_code=410)
    for url in ["/", article.category.get_absolute_url(), "/tags/rest/"]:
        assertNotContains(client.get(url), "Old advice on bed rest")


def test_archived_article_redirects_to_its_replacement(client, editor):
    article = make_article(slug="bed-rest")
    replacement = make_article(slug="keep-moving")
    archive_article(article=article, by=editor, replacement=replacement)
    response = client.get("/articles/bed-rest/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/keep-moving/"


def test_archive_replacement_must_be_public(client, editor):
    article = make_article(slug="bed-rest")
    unpublished = make_article(status=Status.DRAFT)
    with pytest.raises(ValidationError, match="must be a published article"):
        archive_article(article=article, by=editor, replacement=unpublished)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED

    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, status=Status.ARCHIVED, replaced_by=unpublished.pk),
    )
    assertContains(response, "The replacement must be a published article.")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_only_an_archived_article_has_a_replacement_and_never_itself(client, editor):
    article = make_article(slug="bed-rest")
    replacement = make_article(slug="keep-moving")
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.post(url, admin_form(article, replaced_by=replacement.pk))
    assertContains(response, "Only an archived article can have a replacement.")
    response = client.post(url, admin_form(article, status=Status.ARCHIVED, replaced_by=article.pk))
    assertContains(response, "An article cannot replace itself.")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.replaced_by is None
    assert client.get("/articles/bed-rest/").status_code == 200


# Old addresses.


def test_changing_a_published_slug_redirects_the_old_address(client, editor):
    article = make_article(slug="walking-again")
    client.force_login(editor)
    change_live(client, article, slug="walking-after-illness")
    client.logout()
    old = client.get("/articles/walking-again/")
    assert old.status_code == 301
    assert old["Location"] == "/articles/walking-after-illness/"
    assert client.get("/articles/walking-after-illness/").status_code == 200


def test_a_draft_slug_change_leaves_no_redirect(draft):
    draft.slug = "pacing-energy"
    draft.save()
    assert not OldSlug.objects.exists()


def test_a_new_article_may_take_an_old_address(client):
    article = make_article(slug="sleep")
    article.slug = "sleep-well"
    article.save()
    newcomer = make_article(slug="sleep", title="Sleep, the new guide")
    response = client.get("/articles/sleep/")
    assert response.status_code == 200
    assertContains(response, newcomer.title)
    assert not OldSlug.objects.filter(slug="sleep").exists()


def test_old_address_of_an_unpublished_article_is_not_found(client, editor):
    article = make_article(slug="sleep")
    article.slug = "sleep-well"
    article.save()
    article.status = Status.DRAFT
    article.save()
    assert client.get("/articles/sleep/").status_code == 404


# Preview.


def test_author_and_editor_preview_a_draft(client, author, editor, draft):
    for user in (author, editor):
        client.force_login(user)
        response = client.get(f"/admin/articles/article/{draft.pk}/preview/")
        assert response.status_code == 200
        assertContains(response, "<h1>Pacing your energy</h1>", html=True)
        assertContains(response, "Preview of a draft article")
        assertContains(response, '<h2 id="what-helps">What helps</h2>', html=True)
        assertNotContains(response, "<script")
    change = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(change, f'href="/admin/articles/article/{draft.pk}/preview/"')


def test_others_cannot_preview(client, draft):
    url = f"/admin/articles/article/{draft.pk}/preview/"
    assert client.get(url).status_code == 302  # to the admin sign-in
    client.force_login(make_user(username="reader"))
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(make_user(username="other", role="Authors"))
    assert client.get(url).status_code == 403
    client.force_login(make_user(username="ed2", role="Editors"))
    assert client.get("/admin/articles/article/999999/preview/").status_code == 404


# Revisions.


def edit(client, article: Article, **changes) -> None:
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", admin_form(article, **changes)
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()


def test_every_save_keeps_a_revision_with_who_and_what(client, editor, draft):
    client.force_login(editor)
    edit(client, draft, body="## Plan\n\nRest before you need it.\n")
    edit(client, draft, body="## Plan\n\nRest before you are tired.\n")
    publish_article(article=draft, by=editor)
    versions = Version.objects.get_for_object(draft)
    assert versions.count() == 3
    assert {version.revision.user for version in versions} == {editor}
    history = client.get(f"/admin/articles/article/{draft.pk}/history/")
    assertContains(history, "Published.")
    assertContains(history, "Compare with the revision before", count=2)

    newest, middle = versions[1], versions[2]  # the two body edits, newest first
    compare = client.get(
        f"/admin/articles/article/{draft.pk}/history/compare/?old={middle.pk}&new={newest.pk}"
    )
    assert compare.status_code == 200
    assertContains(compare, "Rest before you <del>need it</del>.")
    assertContains(compare, "Rest before you <ins>are tired</ins>.")


def test_restore_brings_back_the_text_and_keeps_the_status(client, editor, author):
    article = make_article(author=author, slug="pacing", title="Pacing", status=Status.DRAFT)
    client.force_login(editor)
    edit(client, article, body="First wording.")
    first = Version.objects.get_for_object(article).get()
    edit(client, article, title="Pacing, revised", body="Second wording.")
    edit(client, article, status=Status.DRAFT)

    client.force_login(author)
    response = client.post(
        f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/", follow=True
    )
    assertContains(response, "Restored the text")
    article.refresh_from_db()
    assert article.body == "First wording."
    assert article.title == "Pacing"
    assert "First wording." in article.body_html
    assert article.status == Status.DRAFT  # restoring never publishes
    assert Version.objects.get_for_object(article).count() == 4


def test_reversions_own_revert_form_cannot_publish(client, editor, author, draft):
    client.force_login(editor)
    edit(client, draft, status=Status.PUBLISHED)
    published = Version.objects.get_for_object(draft).get()
    edit(client, draft, status=Status.DRAFT)
    client.force_login(author)
    url = f"/admin/articles/article/{draft.pk}/history/{published.pk}/"
    response = client.post(url, admin_form(draft))
    assert response.status_code == 302
    assert re.search(r"/history/compare/\?new=\d+$", response["Location"])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get("/admin/articles/article/recover/").status_code == 403


def test_compare_shows_only_what_editors_wrote(client, editor):
    article = make_article(title="Fever", body="Rest.", tags=["fever"], status=Status.DRAFT)
    client.force_login(editor)
    edit(client, article, body="## Rest\n\nRest and drink water.\n", tags="fever, water")
    before = Version.objects.get_for_object(article).get()
    make_comment(article=article)  # the stored comment count changes too
    body = "## Rest\n\nRest, drink water and eat a little.\n"
    edit(client, article, body=body, tags="fever, water")
    after = Version.objects.get_for_object(article).first()

    compare = client.get(
        f"/admin/articles/article/{article.pk}/history/compare/?old={before.pk}&new={after.pk}"
    )
    assert re.findall(r"<caption>([^<]+)</caption>", compare.text) == ["Body"]
    assertContains(compare, "Rest<ins>,</ins> drink water<ins> and eat a little</ins>.")
    assert set(after.field_dict).isdisjoint(
        {"body_html", "body_text", "toc", "reading_minutes", "search_extra", "search_vector",
         "comment_count", "next_review_due", "folded_body"}
    )  # fmt: skip


def test_restoring_recomputes_what_is_derived_from_the_text(client, editor):
    article = make_article(
        title="Fever", body="## Rest\n\nSleep helps the body recover.\n", status=Status.DRAFT
    )
    client.force_login(editor)
    edit(client, article, body="## Rest\n\nLie down.\n")
    first = Version.objects.get_for_object(article).get()
    edit(client, article, body="## Drink\n\nWater through the day.\n")
    client.post(f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/")
    article.refresh_from_db()
    assert article.body == "## Rest\n\nLie down."
    assert '<h2 id="rest">Rest</h2>' in article.body_html
    assert article.body_text == "Rest Lie down."
    publish_article(article=article, by=editor)
    client.logout()
    assert "Fever" in client.get("/search/", {"q": "lie down"}).text
    assert "Fever" not in client.get("/search/", {"q": "water"}).text


def test_restore_is_only_for_the_articles_own_revisions(client, editor):
    one = make_article()
    other = make_article()
    client.force_login(editor)
    edit(client, other, body="Other text.")
    foreign = Version.objects.get_for_object(other).get()
    response = client.post(f"/admin/articles/article/{one.pk}/history/{foreign.pk}/restore/")
    assert response.status_code == 404
    one.refresh_from_db()
    assert one.body != "Other text."
    with pytest.raises(ValidationError, match="belongs to another article"):
        restore_revision(article=one, version=foreign, by=editor)


def test_compare_goes_back_to_the_history_without_revisions_to_compare(client, editor):
    article = make_article()  # made outside the admin: no revision yet
    client.force_login(editor)
    compare = f"/admin/articles/article/{article.pk}/history/compare/"
    history = f"/admin/articles/article/{article.pk}/history/"
    assert client.get(compare)["Location"] == history
    edit(client, article, body="Edited once.")
    for unknown in ["?new=999999", "?old=999999", "?new=first"]:
        assert client.get(compare + unknown)["Location"] == history
    assert client.get(compare).status_code == 200


def test_a_restore_the_article_would_refuse_says_why_and_changes_nothing(client, editor):
    article = make_article(slug="bed-rest", body="First wording.", status=Status.DRAFT)
    client.force_login(editor)
    edit(client, article, body="Second wording.")
    second = Version.objects.get_for_object(article).get()
    replacement = make_article(slug="keep-moving")
    archive_article(article=article, by=editor, replacement=replacement)
    # Then the replacement is archived too: the first one's redirect would lead nowhere.
    archive_article(article=replacement, by=editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/history/{second.pk}/restore/", follow=True
    )
    assertContains(response, "The replacement must be a published article.")
    assertNotContains(response, "Restored the text")
    article.refresh_from_db()
    assert article.body == "Second wording."
    assert Version.objects.get_for_object(article).count() == 2


def test_only_editors_recover_a_deleted_article(client, editor, author):
    article = make_article(author=author, title="Deleted piece", status=Status.DRAFT)
    client.force_login(editor)
    edit(client, article, body="Kept in a revision.")
    version = Version.objects.get_for_object(article).get()
    article.delete()
    recover = "/admin/articles/article/recover/"
    client.force_login(author)
    assert client.get(recover).status_code == 403
    assert client.get(f"{recover}{version.pk}/").status_code == 403
    client.force_login(editor)
    assertContains(client.get(recover), "Deleted piece")
    assertContains(client.get(f"{recover}{version.pk}/"), "Kept in a revision.")


def test_category_path_on_pages_is_unchanged_by_status(client):
    # A scheduled article that is due is listed like a published one.
    category = make_category(slug="sleep")
    make_article(title="Due now", category=category, status=Status.SCHEDULED,
                 published_at=timezone.now() - timedelta(minutes=1))  # fmt: skip
    assertContains(client.get("/sleep/"), "Due now")


def test_saving_a_published_article_unchanged_records_no_change(client, editor, draft):
    client.force_login(editor)
    publish_article(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.published_at.microsecond == 0
    edit(client, draft)  # the form as loaded, saved again
    newest, published = Version.objects.get_for_object(draft)[:2]
    compare = client.get(
        f"/admin/articles/article/{draft.pk}/history/compare/?old={published.pk}&new={newest.pk}"
    )
    assertContains(compare, "These two revisions have the same content.")
    assertNotContains(compare, "<caption>Published at</caption>", html=True)


def test_a_submission_from_the_admin_says_the_status_changed(client, author, draft):
    client.force_login(author)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        {**admin_form(draft), "_submit_for_review": "1"},
    )
    assert response.status_code == 302, response.text
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    newest = Version.objects.get_for_object(draft).first()
    assert newest.field_dict["status"] == Status.IN_REVIEW
    history = client.get(f"/admin/articles/article/{draft.pk}/history/")
    assertContains(history, "Changed Status.")
    assertNotContains(history, "No fields changed")


# What authors are shown.


def test_only_those_who_can_recover_are_offered_recovery(client, editor, author):
    make_article(author=author, status=Status.DRAFT)
    client.force_login(author)
    listing = client.get("/admin/articles/article/")
    assertNotContains(listing, "/admin/articles/article/recover/")
    assertContains(listing, "/admin/articles/article/add/")  # the list's own button stays
    client.force_login(editor)
    assertContains(client.get("/admin/articles/article/"), "/admin/articles/article/recover/")


def test_authors_draft_shows_its_status_without_sections_they_cannot_use(client, author, draft):
    client.force_login(author)
    for url in (f"/admin/articles/article/{draft.pk}/change/", "/admin/articles/article/add/"):
        page = client.get(url)
        for heading in ("Publishing", "Medical review", "Archiving"):
            assertNotContains(page, f">{heading}</h2>")
        assertContains(page, 'name="comments_closed"')
    page = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(page, '<div class="readonly">Draft</div>', html=True)
    # Saving it keeps it a draft of theirs.
    edit(client, draft, title="Pacing, gently")
    assert (draft.title, draft.status, draft.author) == ("Pacing, gently", Status.DRAFT, author)


def test_editors_keep_every_section_of_a_draft(client, editor, draft):
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{draft.pk}/change/")
    for heading in ("Publishing", "Medical review", "Archiving"):
        assertContains(page, f">{heading}</h2>")


def test_the_article_list_fits_a_laptop_screen(client, editor, author):
    make_article(author=author, status=Status.DRAFT)
    client.force_login(editor)
    listing = client.get("/admin/articles/article/")
    assertContains(listing, "/static/css/admin-editorial.css")
    assertNotContains(listing, "column-updated_at")
    client.force_login(author)
    # An author's list holds their own articles only: no column says who wrote them.
    listing = client.get("/admin/articles/article/")
    assertContains(listing, "column-title")
    assertNotContains(listing, "column-author")

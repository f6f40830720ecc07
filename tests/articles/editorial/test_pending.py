"""Changes to live articles wait in a pending version until an editor publishes them."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from reversion.models import Version

from articles.editorial.pending import start_pending_version
from articles.editorial.review import approve_version
from articles.editorial.workflow import submit_for_review
from articles.models import Article, Reference
from tests.articles.editorial.admin_forms import admin_form, pending_form, start_pending
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def reviewer():
    return make_user(
        username="dr.rae", role="Medical reviewers", display_name="Dr Rae", credentials="MD"
    )


@pytest.fixture
def medical():
    return make_category(name="Conditions", slug="conditions", is_medical=True)


@pytest.fixture
def live(author, reviewer, medical):
    article = make_article(
        title="Living with knee pain",
        slug="knee-pain",
        body="Rest the knee for two days.\n",
        author=author,
        category=medical,
        tags=["knees"],
    )
    article.reviewer = reviewer
    article.reviewed_on = timezone.localdate() - timedelta(days=400)
    article.save()
    Reference.objects.create(article=article, number=1, title="A trial", url="https://e.org/1")
    return article


def test_an_authors_change_to_a_live_article_waits_and_readers_see_the_live_text(
    client, author, live
):
    client.force_login(author)
    version = start_pending(client, live)
    assert version.status == Status.DRAFT
    assert list(version.tags.names()) == ["knees"]
    assert list(version.references.values_list("title", flat=True)) == ["A trial"]

    response = client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(
            version, body="Gentle cycling helps the knee.\n", change_summary="New exercise advice"
        ),
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert "Gentle cycling" in version.body_html

    client.logout()
    page = client.get(live.get_absolute_url())
    assertContains(page, "Rest the knee for two days.")
    assertNotContains(page, "Gentle cycling")
    assertNotContains(client.get("/search/?q=cycling"), "Living with knee pain")
    feed = client.get("/feeds/rss/")
    assertContains(feed, "Living with knee pain")
    assertNotContains(feed, "Gentle cycling")

    # Staff preview the pending version exactly as readers will see it.
    client.force_login(author)
    assertContains(client.get(f"/admin/articles/article/{version.pk}/preview/"), "Gentle cycling")
    # The list shows the live article once, saying a change is pending.
    client.force_login(make_user(role="Editors"))
    listing = client.get("/admin/articles/article/")
    assertContains(listing, "Live · changes pending")
    assertContains(listing, f'href="/admin/articles/article/{live.pk}/change/"')
    assertNotContains(listing, f'href="/admin/articles/article/{version.pk}/change/"')
    assertContains(listing, "1 article")


def test_the_live_article_page_offers_a_pending_version_instead_of_editing(client, editor, live):
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{live.pk}/change/")
    assertContains(page, "This article is live.")
    assertContains(page, "Change the text in a pending version")
    # Its text is read-only: a post with a new title leaves it as it was.
    client.post(
        f"/admin/articles/article/{live.pk}/change/",
        admin_form(live, title="Changed behind the reviewer's back"),
    )
    live.refresh_from_db()
    assert live.title == "Living with knee pain"


def test_a_substantive_medical_change_is_published_only_once_approved(
    client, editor, author, reviewer, live
):
    version = start_pending_version(article=live, by=author)
    version.body = "Gentle cycling helps the knee.\n"
    version.change_summary = "New exercise advice"
    version.save()
    client.force_login(editor)
    url = f"/admin/articles/article/{version.pk}/change/"

    response = client.post(url, pending_form(version, _publish_changes="1"), follow=True)
    assertContains(response, "A medical reviewer has to approve this version")
    live.refresh_from_db()
    assert live.body == "Rest the knee for two days.\n"

    submit_for_review(article=version, by=author)
    approve_version(article=version, by=reviewer)
    response = client.post(url, pending_form(version, _publish_changes="1"))
    assertRedirects(response, f"/admin/articles/article/{live.pk}/change/")
    live.refresh_from_db()
    assert live.body.strip() == "Gentle cycling helps the knee."
    assert live.reviewed_on == timezone.localdate()
    assert live.substantively_updated_at is not None
    assert not Article.objects.filter(live=live).exists()
    # The sources came along, once.
    assert list(live.references.values_list("title", flat=True)) == ["A trial"]

    client.logout()
    page = client.get(live.get_absolute_url())
    assertContains(page, "Gentle cycling helps the knee.")
    assertContains(page, f"{timezone.localdate():%-d %B %Y}")


def test_a_change_after_the_approval_needs_approval_again(client, editor, author, reviewer, live):
    version = start_pending_version(article=live, by=author)
    version.change_summary = "Clearer advice"
    version.save()
    submit_for_review(article=version, by=author)
    approve_version(article=version, by=reviewer)

    client.force_login(editor)
    url = f"/admin/articles/article/{version.pk}/change/"
    response = client.post(
        url,
        pending_form(version, body="Something the reviewer never read.\n", _publish_changes="1"),
        follow=True,
    )
    assertContains(response, "A medical reviewer has to approve this version")
    live.refresh_from_db()
    assert "never read" not in live.body


def test_moving_a_medical_article_out_of_its_category_needs_an_approval(
    client, editor, author, reviewer, live
):
    everyday = make_category(name="Everyday life", slug="everyday")
    client.force_login(author)
    version = start_pending(client, live)
    url = f"/admin/articles/article/{version.pk}/change/"
    client.post(
        url,
        pending_form(
            version, category=everyday.pk, body="Run through the pain.\n",
            change_summary="New advice",
        ),
    )  # fmt: skip
    version.refresh_from_db()
    assert version.category == everyday

    client.force_login(editor)
    response = client.post(url, pending_form(version, _publish_changes="1"), follow=True)
    assertContains(response, "A medical reviewer has to approve this version")
    live.refresh_from_db()
    assert "Run through the pain" not in live.body

    # It waits for the medical reviewers, who can open it.
    submit_for_review(article=version, by=author)
    client.force_login(reviewer)
    assert client.get(f"/admin/articles/article/{version.pk}/review/").status_code == 200


def test_a_minor_change_keeps_the_last_review_and_is_listed_as_minor(client, editor, live):
    reviewed_on = live.reviewed_on
    client.force_login(editor)
    version = start_pending(client, live)
    response = client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(
            version, body="Rest the knee for two days.\n\nA typo fixed.\n", change_kind="minor",
            _publish_changes="1",
        ),
    )  # fmt: skip
    assertRedirects(response, f"/admin/articles/article/{live.pk}/change/")
    live.refresh_from_db()
    assert "A typo fixed." in live.body
    assert live.reviewed_on == reviewed_on
    assert live.substantively_updated_at is None
    assert [entry["kind"] for entry in live.change_log] == ["corrected"]


def test_publishing_a_change_at_a_set_time(client, editor, live, time_machine):
    client.force_login(editor)
    version = start_pending(client, live)
    later = timezone.localtime() + timedelta(days=1)
    client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(
            version, body="Tomorrow's advice.\n", change_kind="minor", _publish_changes="1",
            publish_at=f"{later:%Y-%m-%dT%H:%M}",
        ),
    )  # fmt: skip
    live.refresh_from_db()
    assert "Tomorrow" not in live.body

    call_command("publish_due_changes")
    live.refresh_from_db()
    assert "Tomorrow" not in live.body
    time_machine.move_to(later + timedelta(minutes=1))
    call_command("publish_due_changes")
    live.refresh_from_db()
    assert "Tomorrow's advice." in live.body


def test_a_set_time_change_that_cannot_be_applied_waits_and_the_others_go_out(
    client, editor, author, live, time_machine
):
    ankles = make_article(title="Ankles", slug="ankles", body="Ice the ankle.\n", author=author)
    later = timezone.localtime() + timedelta(days=1)
    client.force_login(editor)
    for article, changes in (
        (ankles, {"body": "Ice the ankle, then rest it.\n"}),
        # Taken by another article: the live one cannot take this address.
        (live, {"slug": "ankles", "body": "Rest the knee for three days.\n"}),
    ):
        version = start_pending(client, article)
        client.post(
            f"/admin/articles/article/{version.pk}/change/",
            pending_form(
                version, change_kind="minor", _publish_changes="1",
                publish_at=f"{later:%Y-%m-%dT%H:%M}", **changes,
            ),
        )  # fmt: skip
    blocked = Article.objects.get(live=live)

    time_machine.move_to(later + timedelta(minutes=1))
    err = io.StringIO()
    call_command("publish_due_changes", stderr=err, stdout=io.StringIO())

    ankles.refresh_from_db()
    assert "then rest it" in ankles.body
    live.refresh_from_db()
    assert (live.slug, live.body) == ("knee-pain", "Rest the knee for two days.\n")
    assert Article.objects.get(pk=blocked.pk).body.startswith("Rest the knee for three days.")
    assert f"pending version {blocked.pk} " in err.getvalue()


def test_only_editors_publish_or_discard_a_pending_version(client, author, editor, live):
    client.force_login(author)
    version = start_pending(client, live)
    client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(version, body="My new text.\n", _publish_changes="1"),
    )
    live.refresh_from_db()
    assert "My new text" not in live.body
    assert client.post(f"/admin/articles/article/{version.pk}/discard/").status_code == 403
    assert Article.objects.filter(pk=version.pk).exists()

    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{version.pk}/discard/")
    assertRedirects(response, f"/admin/articles/article/{live.pk}/change/")
    assert not Article.objects.filter(pk=version.pk).exists()
    live.refresh_from_db()
    assert live.body == "Rest the knee for two days.\n"


def test_others_cannot_start_or_open_a_pending_version(client, live):
    for user in (make_user(role="Authors"), make_user(role="Moderators")):
        client.force_login(user)
        response = client.post(f"/admin/articles/article/{live.pk}/pending/")
        assert response.status_code in {403, 302}, user
        assert not Article.objects.filter(live=live).exists()
    version = start_pending_version(article=live, by=live.author)
    client.force_login(make_user(role="Authors"))
    assert client.get(f"/admin/articles/article/{version.pk}/change/").status_code in {302, 403}


def test_two_editors_saving_the_same_article_are_told_before_one_overwrites_the_other(
    client, editor, author
):
    draft = make_article(title="Sleep after surgery", author=author, status=Status.DRAFT)
    url = f"/admin/articles/article/{draft.pk}/change/"
    client.force_login(editor)
    page = client.get(url)
    loaded = page.context["adminform"].form.initial["loaded_version"]

    # Meanwhile the author saves their own change.
    other = make_user(role="Editors")
    client.force_login(other)
    form = admin_form(draft, body="The author's new paragraph.\n", loaded_version=loaded)
    assert client.post(url, form).status_code == 302

    client.force_login(editor)
    mine = admin_form(draft, body="The editor's new paragraph.\n", loaded_version=loaded)
    response = client.post(url, mine)
    assert response.status_code == 200
    assertContains(response, "saved this article at")
    assertContains(response, "The editor&#x27;s new paragraph.")  # what they typed is kept
    draft.refresh_from_db()
    assert draft.body.strip() == "The author's new paragraph."

    # Saving again, having read the message, replaces it on purpose.
    again = response.context["adminform"].form.data.copy()
    assert client.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.body.strip() == "The editor's new paragraph."


def test_restoring_a_revision_of_a_live_article_goes_into_its_pending_version(client, editor):
    article = make_article(title="A working title", status=Status.DRAFT)
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    client.post(url, admin_form(article, title="First title"))
    client.post(url, admin_form(article, title="Second title", status="published"))
    article.refresh_from_db()
    assert article.is_public
    first = Version.objects.get_for_object(article).order_by("pk").first()
    response = client.post(f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/")
    version = Article.objects.get(live=article)
    assertRedirects(response, f"/admin/articles/article/{version.pk}/change/")
    assert version.title == "First title"
    article.refresh_from_db()
    assert article.title == "Second title"


def test_an_editor_assigns_a_reviewer_who_is_emailed_a_link_they_can_open(
    client, editor, reviewer, live, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    version = start_pending(client, live)
    with django_capture_on_commit_callbacks(execute=True):  # sent once the save is stored
        response = client.post(
            f"/admin/articles/article/{version.pk}/change/",
            pending_form(version, change_summary="New advice", assigned_reviewer=reviewer.pk),
        )
    assert response.status_code == 302, response.text
    version.refresh_from_db()
    assert version.assigned_reviewer == reviewer
    [email] = mailoutbox
    assert email.to == [reviewer.email]
    link = next(line for line in email.body.splitlines() if "/review/" in line).split()[-1]
    client.force_login(reviewer)
    assert client.get(link.removeprefix("http://testserver")).status_code == 200

    # Only members of Medical reviewers are offered, and a choice outside them is refused.
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(version, assigned_reviewer=live.author.pk),
    )
    assertContains(response, "Select a valid choice.")
    version.refresh_from_db()
    assert version.assigned_reviewer == reviewer


def test_the_authors_reply_and_resubmission_go_back_to_the_same_reviewer(
    client, author, reviewer, live, mailoutbox, django_capture_on_commit_callbacks
):
    version = start_pending_version(article=live, by=author)
    version.change_summary = "New advice"
    version.save()
    submit_for_review(article=version, by=author)
    client.force_login(reviewer)
    review_url = f"/admin/articles/article/{version.pk}/review/"
    read = client.get(review_url).context["reviewed_hash"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url,
            {
                "_request_changes": "1",
                "changes-note": "Please cite the trial for the cycling advice.",
                "reviewed_hash": read,
            },
        )
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.assigned_reviewer == reviewer
    assert "Please cite the trial" in mailoutbox[-1].body

    client.force_login(author)
    page = client.get(f"/admin/articles/article/{version.pk}/change/")
    assertContains(page, "Please cite the trial for the cycling advice.")
    assertContains(page, "Your reply to Dr Rae")
    client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(
            version, _submit_for_review="1", reply_note="Added the 2024 trial as source 2."
        ),
    )
    version.refresh_from_db()
    assert version.status == Status.IN_REVIEW
    assert version.assigned_reviewer == reviewer
    last_note = version.review_notes.last()
    assert last_note is not None
    assert last_note.note == "Added the 2024 trial as source 2."
    client.force_login(reviewer)
    assertContains(client.get("/admin/"), "Living with knee pain")


def test_discarding_what_is_not_a_pending_version_says_so_and_changes_nothing(client, editor, live):
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{live.pk}/discard/", follow=True)
    assertContains(response, "This is not a pending version of a live article.")
    assert Article.objects.filter(pk=live.pk).exists()


def test_discarding_a_pending_version_asks_first(client, editor, live):
    client.force_login(editor)
    version = start_pending(client, live)
    page = client.get(f"/admin/articles/article/{version.pk}/change/")
    assertContains(page, f'href="/admin/articles/article/{version.pk}/discard/"')
    confirm = client.get(f"/admin/articles/article/{version.pk}/discard/")
    assertContains(confirm, "Yes, discard the pending version")
    assertContains(confirm, "No, keep it")
    assert Article.objects.filter(pk=version.pk).exists()  # asking discards nothing


def test_only_editors_are_asked_to_discard(client, author, live):
    version = start_pending_version(article=live, by=author)
    client.force_login(author)
    assert client.get(f"/admin/articles/article/{version.pk}/discard/").status_code == 403

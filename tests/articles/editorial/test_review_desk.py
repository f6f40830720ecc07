"""The medical reviewer's desk: the review page of a version (approve, request changes),
the reviewer's dashboard on the admin home page, and what else reviewers may do in the
admin (read, never edit or publish). Through the test client, as each role."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial.content import content_hash, content_of, refresh_content_hash
from articles.editorial.models import ReviewNote
from articles.editorial.pending import publish_pending_version, start_pending_version
from articles.editorial.review import approve_version
from articles.editorial.workflow import publish_article
from articles.models import Article, add_months
from tests.articles.editorial.test_workflow import admin_form
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status
# The clock of the tests that check when a verdict was recorded.
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def reviewer():
    return make_user(
        username="drsaad",
        display_name="Dr Amal Saad",
        credentials="MD, rheumatologist",
        role="Medical reviewers",
    )


@pytest.fixture
def other_reviewer():
    return make_user(
        username="drlee", display_name="Dr Kim Lee", credentials="MD", role="Medical reviewers"
    )


@pytest.fixture
def medical():
    """Health (medical) > Joints: medical because its parent is."""
    health = make_category(name="Health", slug="health", is_medical=True)
    return make_category(name="Joints", slug="joints", parent=health)


def in_review(title: str, *, author, category, assigned=None, **fields) -> Article:
    """An article submitted for review, saved as the admin saves it: with the fingerprint
    of its content, which the desk compares with the approvals."""
    article = make_article(title=title, author=author, category=category, status=Status.IN_REVIEW)
    Article.objects.filter(pk=article.pk).update(assigned_reviewer=assigned, **fields)
    article.refresh_from_db()
    refresh_content_hash(article)
    return article


def review_url(article: Article) -> str:
    return reverse("admin:articles_article_review", args=[article.pk])


def approve(client, article: Article, note: str = "", reviewed_hash: str | None = None):
    return client.post(
        review_url(article),
        {
            "approve-note": note,
            "reviewed_hash": reviewed_hash or content_hash(content_of(article)),
            "_approve": "",
        },
    )


def request_changes(client, article: Article, note: str, reviewed_hash: str | None = None):
    return client.post(
        review_url(article),
        {
            "changes-note": note,
            "reviewed_hash": reviewed_hash or content_hash(content_of(article)),
            "_request_changes": "",
        },
    )


def desk(client):
    """The reviewer's "Awaiting your review" module of the admin home page, as HTML."""
    page = client.get("/admin/").content.decode()
    start = page.index('id="reviewer-desk-awaiting"')
    return page[start : page.index('id="reviewer-desk-overdue"')]


# The desk on the admin home page.


def test_desk_lists_what_awaits_this_reviewer_oldest_first(
    client, reviewer, other_reviewer, author, medical
):
    older = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    Article.objects.filter(pk=older.pk).update(updated_at=NOW - timedelta(days=3))
    in_review("Hip pain", author=author, category=medical)  # assigned to nobody
    in_review("Wrist pain", author=author, category=medical, assigned=other_reviewer)
    in_review("Bread recipes", author=author, category=make_category(name="Cooking"))
    make_article(title="Elbow draft", author=author, category=medical, status=Status.DRAFT)
    in_review("My own piece", author=reviewer, category=medical)
    client.force_login(reviewer)

    listed = desk(client)

    assert listed.index("Knee pain") < listed.index("Hip pain")
    assert f'href="{review_url(older)}"' in listed
    for elsewhere in ("Wrist pain", "Bread recipes", "Elbow draft", "My own piece"):
        assert elsewhere not in listed
    assertContains(client.get("/admin/"), "Any medical reviewer", count=1)  # Hip pain


def test_desk_lists_overdue_articles_the_reviewer_looks_after(
    client, reviewer, other_reviewer, medical
):
    today = timezone.localdate()

    def published(title: str, *, by, months_ago: int) -> Article:
        article = make_article(title=title, category=medical)
        article.reviewer, article.reviewed_on = by, add_months(today, -months_ago)
        article.save()
        return article

    theirs = published("Old knee advice", by=reviewer, months_ago=40)
    published("Old hip advice", by=other_reviewer, months_ago=40)
    published("Fresh knee advice", by=reviewer, months_ago=2)
    nobodys = make_article(
        title="Unreviewed old piece",
        category=make_category(is_medical=True, review_period_months=1),
        published_at=timezone.now() - timedelta(days=90),
    )
    client.force_login(reviewer)

    page = client.get("/admin/")

    overdue = page.content.decode().split('id="reviewer-desk-overdue"')[1]
    assert f'href="{review_url(theirs)}"' in overdue
    assert f'href="{review_url(nobodys)}"' in overdue
    assert "Old hip advice" not in overdue
    assert "Fresh knee advice" not in overdue


def test_only_reviewers_get_the_desk(client, editor, author):
    for user in (editor, author):
        client.force_login(user)
        assertNotContains(client.get("/admin/"), "Awaiting your review")


def test_desk_queries_stay_fixed_with_more_articles(
    client, reviewer, author, medical, django_assert_max_num_queries
):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries)

    client.force_login(reviewer)
    for number in range(5):
        in_review(f"Piece {number}", author=author, category=medical)
        make_article(
            title=f"Overdue {number}",
            category=medical,
            published_at=timezone.now() - timedelta(days=4000),
        )
    with django_assert_max_num_queries(8):
        few = count_queries()
    for number in range(5, 50):
        in_review(f"Piece {number}", author=author, category=medical)
        make_article(
            title=f"Overdue {number}",
            category=medical,
            published_at=timezone.now() - timedelta(days=4000),
        )
    with django_assert_max_num_queries(8):
        assert count_queries() == few
    assertContains(client.get("/admin/"), "the 20 oldest are shown")


# The review page. These need ArticleAdmin.get_urls to route <pk>/review/ to review_view.


def test_review_page_shows_the_version_and_the_forms(client, reviewer, author, medical):
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    client.force_login(reviewer)

    page = client.get(review_url(article))

    assertContains(page, "<h1>Medical review of “Knee pain”</h1>", html=True)
    assertContains(page, "Wren Writer")
    assertContains(page, "Joints (Health)")
    assertContains(page, "In review")
    assertContains(page, reverse("admin:articles_article_preview", args=[article.pk]))
    assertContains(page, "No version of this article was approved before")
    assertContains(page, "Rest, fluids and patience.")  # all of it is new to the review
    assertContains(page, '<form method="post" class="editorial-actions">', count=2)
    assertContains(page, '<label for="id_approve-note">Note (optional):</label>', html=True)
    assertContains(page, '<label for="id_changes-note">What needs to change:</label>', html=True)
    assertNotContains(page, "style=")


def test_approving_records_who_when_and_what_and_leaves_the_desk(
    client, reviewer, author, medical, time_machine
):
    time_machine.move_to(NOW, tick=False)
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    client.force_login(reviewer)
    assert "Knee pain" in desk(client)

    response = approve(client, article, note="Checked against the 2025 guideline.")

    assert response.status_code == 302
    assert response["Location"] == review_url(article)
    approval = ReviewNote.objects.get(article=article)
    assert (approval.kind, approval.by, approval.created_at) == ("approved", reviewer, NOW)
    assert approval.content_hash == article.content_hash == content_hash(content_of(article))
    assert approval.note == "Checked against the 2025 guideline."
    article.refresh_from_db()
    assert (article.reviewer, article.reviewed_on) == (reviewer, timezone.localdate(NOW))
    page = client.get(review_url(article))
    assertContains(page, "You approved this version of “Knee pain”.")
    assertContains(page, "Dr Amal Saad approved this exact version on")
    assertContains(page, "Checked against the 2025 guideline.")
    assertNotContains(page, 'name="_approve"')
    assert "Knee pain" not in desk(client)


def test_a_change_after_the_approval_puts_it_back_on_the_desk(client, reviewer, author, medical):
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    client.force_login(reviewer)
    assert approve(client, article).status_code == 302
    assert "Knee pain" not in desk(client)

    client.force_login(author)
    article.refresh_from_db()
    changed = "## What helps\n\nRest, fluids and ice.\n"
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        admin_form(article, body=changed),
    )
    assert response.status_code == 302, response.text

    client.force_login(reviewer)
    assert "Knee pain" in desk(client)
    page = client.get(review_url(article))
    assertContains(page, "What changed since the version last approved")
    assertContains(page, "Last approved")
    assertContains(page, "This version")
    assertContains(page, "<ins>ice</ins>", html=True)
    assertContains(page, 'name="_approve"')


def test_an_editor_cannot_publish_from_the_form_what_the_reviewer_did_not_approve(
    client, reviewer, editor, author, medical
):
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    approve_version(article=article, by=reviewer)
    client.force_login(author)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    article.refresh_from_db()
    client.post(change_url, admin_form(article, body="## What helps\n\nRun it off.\n"))
    client.force_login(editor)
    article.refresh_from_db()
    # The review the approval recorded, as the editor's form shows and posts it.
    review = {"reviewer": reviewer.pk, "reviewed_on": f"{article.reviewed_on:%Y-%m-%d}"}

    # As the "Publish" action refuses it: the reviewer approved another text.
    response = client.post(change_url, admin_form(article, status=Status.PUBLISHED, **review))
    assert response.status_code == 200
    assertContains(response, "needs their approval again")
    # Nor is a change made in the same save as the publishing.
    approve_version(article=article, by=reviewer)
    article.refresh_from_db()
    response = client.post(
        change_url,
        admin_form(article, status=Status.PUBLISHED, body="Unreviewed advice.", **review),
    )
    assert response.status_code == 200

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert "Run it off." in article.body
    assert client.get(article.get_absolute_url()).status_code == 404


def test_reviewing_a_change_to_a_live_article_compares_with_its_last_approval(
    client, reviewer, editor, author, medical
):
    article = in_review("Knee pain", author=author, category=medical)
    approve_version(article=article, by=reviewer)
    publish_article(article=article, by=editor)
    version = start_pending_version(article=article, by=author)
    version.body = "## What helps\n\nRest, fluids and gentle exercise.\n"
    version.status = Status.IN_REVIEW
    version.save()
    refresh_content_hash(version)
    client.force_login(reviewer)

    assert "(a change to a live article)" in desk(client)
    page = client.get(review_url(version))

    assertContains(page, "a pending version of")
    assertContains(page, "What changed since the version last approved")
    assertContains(page, "gentle exercise")


def test_changes_requested_after_an_editor_set_a_time_keep_the_version_from_going_out(
    client, reviewer, editor, author, medical, time_machine
):
    article = in_review("Knee pain", author=author, category=medical)
    approve_version(article=article, by=reviewer)
    publish_article(article=article, by=editor)
    version = start_pending_version(article=article, by=author)
    version.body = "## What helps\n\nRest, fluids and gentle exercise.\n"
    version.change_summary = "Exercise advice"
    version.status = Status.IN_REVIEW
    version.save()
    approve_version(article=version, by=reviewer)
    later = timezone.now() + timedelta(days=1)
    publish_pending_version(pending=version, by=editor, at=later)
    client.force_login(reviewer)

    # On second thoughts: the approval of this text stands, the request comes after it.
    response = request_changes(client, version, note="Not in the first weeks after surgery.")
    assert response.status_code == 302
    time_machine.move_to(later + timedelta(minutes=1))
    call_command("publish_due_changes")

    article.refresh_from_db()
    assert "gentle exercise" not in article.body
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.publish_changes_at is None


def test_request_changes_needs_a_note(client, reviewer, author, medical):
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    client.force_login(reviewer)

    response = request_changes(client, article, note="   ")

    assert response.status_code == 200
    assertContains(response, "Say what needs to change: the author reads this note.")
    assert not ReviewNote.objects.exists()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert mail.outbox == []


def test_a_verdict_on_a_version_changed_meanwhile_is_refused_and_keeps_the_text(
    client, reviewer, author, medical
):
    article = in_review("Knee pain", author=author, category=medical, assigned=reviewer)
    client.force_login(reviewer)
    read = content_hash(content_of(article))
    article.body = "## What helps\n\nSomething else entirely.\n"
    article.save()  # the author saved again while the reviewer was reading

    response = request_changes(
        client, article, note="Please cite the 2025 guideline.", reviewed_hash=read
    )

    assert response.status_code == 200
    assertContains(response, "This version changed after you opened the page")
    assertContains(response, "Please cite the 2025 guideline.</textarea>")
    assertContains(response, "Something else entirely.")  # the page shows it as it is now
    assertContains(response, f'value="{content_hash(content_of(article))}"')
    assert approve(client, article, reviewed_hash=read).status_code == 200
    assert not ReviewNote.objects.exists()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_request_changes_emails_the_author_and_shows_the_note(
    client, reviewer, author, medical, django_capture_on_commit_callbacks
):
    article = in_review("Knee pain", author=author, category=medical)
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = request_changes(client, article, note="Please cite the 2025 guideline.")

    assert response.status_code == 302
    note = ReviewNote.objects.get(article=article)
    assert (note.kind, note.by, note.note) == (
        "changes",
        reviewer,
        "Please cite the 2025 guideline.",
    )
    article.refresh_from_db()
    assert (article.status, article.assigned_reviewer) == (Status.DRAFT, reviewer)
    [email] = mail.outbox
    assert email.to == [author.email]
    assert "Please cite the 2025 guideline." in email.body
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert f"http://testserver{change_url}" in email.body
    # The reviewer can still read what they sent back, and the author can read it too.
    page = client.get(review_url(article))
    assertContains(page, "went back to Wren Writer with your note")
    assertContains(page, "Please cite the 2025 guideline.")
    assertNotContains(page, 'name="_request_changes"')  # a draft is not in review
    client.force_login(author)
    assertContains(client.get(review_url(article)), "Please cite the 2025 guideline.")


# Who may do what.


def test_author_reads_the_review_page_of_their_article_but_cannot_approve(
    client, reviewer, author, medical
):
    article = in_review("Knee pain", author=author, category=medical)
    client.force_login(author)

    page = client.get(review_url(article))

    assert page.status_code == 200
    assertContains(page, "Knee pain")
    assertNotContains(page, 'name="_approve"')
    assertNotContains(page, 'name="_request_changes"')
    assert approve(client, article).status_code == 403
    assert request_changes(client, article, note="Fine by me.").status_code == 403
    assert not ReviewNote.objects.exists()

    client.force_login(make_user(role="Authors"))  # another author
    assert client.get(review_url(article)).status_code == 403


def test_editors_read_the_review_page_without_the_forms(client, editor, author, medical):
    article = in_review("Knee pain", author=author, category=medical)
    client.force_login(editor)

    page = client.get(review_url(article))

    assert page.status_code == 200
    assertNotContains(page, 'name="_approve"')
    assert approve(client, article).status_code == 403
    assert not ReviewNote.objects.exists()


def test_moderators_cannot_open_the_review_page(client, author, medical):
    article = in_review("Knee pain", author=author, category=medical)
    client.force_login(make_user(role="Moderators"))
    assert client.get(review_url(article)).status_code == 403


def test_reviewers_cannot_open_what_is_assigned_to_another(
    client, reviewer, other_reviewer, author, medical
):
    article = in_review("Knee pain", author=author, category=medical, assigned=other_reviewer)
    client.force_login(reviewer)
    assert client.get(review_url(article)).status_code == 403
    assert approve(client, article).status_code == 403
    assert not ReviewNote.objects.exists()


def test_reviewers_cannot_edit_or_publish(client, reviewer, author, medical):
    article = in_review("Knee pain", author=author, category=medical)
    approve_version(article=article, by=reviewer)
    article.refresh_from_db()
    client.force_login(reviewer)
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    assert client.get(change_url).status_code == 200  # read-only
    response = client.post(change_url, admin_form(article, title="Knee pain, rewritten"))
    assert response.status_code == 403
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )

    article.refresh_from_db()
    assert (article.title, article.status) == ("Knee pain", Status.IN_REVIEW)


def test_reviewers_see_only_articles_categories_and_tags_in_the_admin(client, reviewer):
    client.force_login(reviewer)
    home = client.get("/admin/")
    for listed in ("/admin/articles/article/", "/admin/articles/category/", "/admin/taggit/tag/"):
        assertContains(home, f'href="{listed}"')
    for hidden in ("/admin/comments/", "/admin/accounts/", "/admin/images/", "/add/"):
        assertNotContains(home, hidden)


def test_reviewers_article_list_holds_what_is_theirs(
    client, reviewer, other_reviewer, author, medical
):
    in_review("Knee pain", author=author, category=medical)
    in_review("Wrist pain", author=author, category=medical, assigned=other_reviewer)
    make_article(title="Elbow draft", author=author, category=medical, status=Status.DRAFT)
    in_review("Bread recipes", author=author, category=make_category(name="Cooking"))
    client.force_login(reviewer)

    listing = client.get(reverse("admin:articles_article_changelist"))

    assertContains(listing, "Knee pain")
    for hidden in ("Wrist pain", "Elbow draft", "Bread recipes"):
        assertNotContains(listing, hidden)


def test_review_page_queries_stay_fixed_with_more_notes(client, reviewer, author, medical):
    article = in_review("Knee pain", author=author, category=medical)
    client.force_login(reviewer)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(review_url(article)).status_code == 200
        return len(queries)

    count_queries()  # the session and permissions, read once
    first = count_queries()
    for number in range(5):
        ReviewNote.objects.create(
            article=article,
            by=make_user(),
            kind=ReviewNote.Kind.CHANGES_REQUESTED,
            note=f"Note {number}",
            content_hash="x",
        )
    assert count_queries() == first

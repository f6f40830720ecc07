from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

import comments.models
from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Sleeping well after surgery", slug="sleeping-well")


@pytest.fixture
def regular(client):
    """A signed-in reader with a confirmed email and a comment history."""
    user = make_user(username="regular", display_name="Regular Reader")
    make_comment(article=make_article(), user=user)
    client.force_login(user)
    return user


@pytest.fixture
def author_hears_of_comments(article):
    """The article's author, who asked to be emailed about new comments."""
    author = article.author
    author.notify_comments = True
    author.save()
    return author


def post(client, article, **data):
    return client.post(f"/comments/articles/{article.pk}/", {"website": "", **data})


def test_signed_in_reader_posts_a_comment_and_sees_the_count_change(client, article, regular):
    assertContains(client.get(article.get_absolute_url()), "Comments (0)")
    response = post(client, article, body="This helped me a lot.\nThank you.")
    comment = Comment.objects.get(article=article)
    assert response.status_code == 302
    # To the comment's permanent address, which leads to the page that holds it.
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert client.get(response["Location"])["Location"] == (
        f"/articles/sleeping-well/#comment-{comment.pk}"
    )
    assert comment.status == Comment.Status.VISIBLE
    assert comment.user == regular

    page = client.get(article.get_absolute_url())
    assertContains(page, "Comments (1)")
    assertContains(page, f'id="comment-{comment.pk}"')
    assertContains(page, "<p>This helped me a lot.<br>Thank you.</p>", html=True)
    assertContains(page, "Regular Reader")


def test_anonymous_post_saves_nothing_and_goes_to_sign_in(client, article):
    response = post(client, article, body="Sneaky comment")
    assert response.status_code == 302
    assert response["Location"] == ("/accounts/login/?next=/articles/sleeping-well/%23comment-form")
    assert not Comment.objects.exists()


def test_csrf_token_is_required(article, regular):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(regular)
    response = post(csrf_client, article, body="No token here")
    assert response.status_code == 403
    assert not Comment.objects.filter(article=article).exists()


def test_unconfirmed_reader_cannot_comment_yet(client, article):
    user = make_user(username="newbie", email_confirmed_at=None)
    client.force_login(user)
    page = client.get(article.get_absolute_url())
    assertContains(page, "Please confirm your email address to comment.")
    assertNotContains(page, 'name="body"')
    response = post(client, article, body="Let me in")
    assert response.status_code == 400
    assertContains(response, "Please confirm your email address", status_code=400)
    assertContains(response, "Let me in", status_code=400)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x", "Ensure this value has at least 2 characters"),
        ("y" * 5001, "Ensure this value has at most 5000 characters"),
        ("   ", "This field is required"),
    ],
    ids=["too-short", "too-long", "blank"],
)
def test_rejected_comment_keeps_the_text(client, article, regular, body, message):
    response = post(client, article, body=body)
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    if body.strip():
        assertContains(response, body, status_code=400)
    assert not Comment.objects.filter(article=article).exists()


def test_honeypot_catches_bots(client, article, regular):
    response = post(client, article, body="Buy now", website="https://spam.example")
    assertContains(response, "looks automated", status_code=400)
    assert not Comment.objects.filter(article=article).exists()


def test_first_comment_and_links_wait_for_approval(client, article):
    newcomer = make_user(username="newcomer")
    client.force_login(newcomer)
    post(client, article, body="My first words here")
    first = Comment.objects.get(user=newcomer)
    assert first.status == Comment.Status.PENDING

    page = client.get(article.get_absolute_url())
    assertContains(page, "My first words here")
    assertContains(page, "Awaiting approval")
    assertContains(page, "Comments (0)")
    assertNotContains(Client().get(article.get_absolute_url()), "My first words here")

    first.status = Comment.Status.VISIBLE
    first.save()
    post(client, article, body="See https://example.org/miracle for more")
    assert Comment.objects.get(body__contains="miracle").status == Comment.Status.PENDING
    post(client, article, body="A plain second thought")
    assert Comment.objects.get(body="A plain second thought").status == Comment.Status.VISIBLE


def test_moderators_comments_need_no_approval(client, article):
    client.force_login(make_user(username="mod", role="Moderators"))
    post(client, article, body="Welcome, everyone.")
    assert Comment.objects.get(body="Welcome, everyone.").status == Comment.Status.VISIBLE


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(1)",
        '"><svg onload=alert(1)>',
        "<b><i>broken",
    ],
)
def test_html_in_comments_comes_out_as_text(client, article, regular, payload):
    post(client, article, body=f"Look: {payload}")
    html = client.get(article.get_absolute_url()).text
    comment_html = Comment.objects.get(article=article).body_html
    assert comment_html in html
    lowered = comment_html.lower()
    for dangerous in ("<script", "<img", "<svg", '<a href="javascript', "<b>", "<i>"):
        assert dangerous not in lowered
    assert "&lt;" in comment_html or payload == "javascript:alert(1)"


def test_links_are_clickable_and_marked(client, article, regular):
    make_comment(article=article, user=regular, body="Read https://example.org/sleep please")
    page = client.get(article.get_absolute_url())
    assertContains(
        page,
        '<a href="https://example.org/sleep" rel="nofollow ugc noopener">'
        "https://example.org/sleep</a>",
        html=True,
    )


def test_replies_are_one_level_deep(client, article, regular):
    top = make_comment(article=article, body="How long did it take?")
    response = post(client, article, body="About six weeks for me.", parent=top.pk)
    reply = Comment.objects.get(parent=top)
    assert client.get(response["Location"])["Location"].endswith(f"#comment-{reply.pk}")
    page = client.get(article.get_absolute_url())
    assertContains(page, "Comments (2)")
    assertContains(page, 'class="comment comment--reply"')

    response = post(client, article, body="A reply to a reply", parent=reply.pk)
    assertContains(response, "no longer there", status_code=400)
    assert not Comment.objects.filter(parent=reply).exists()


def test_replying_from_a_page_of_its_own(client, article, regular):
    top = make_comment(
        article=article, user=make_user(display_name="Noor"), body="How long did it take?"
    )
    page = client.get(article.get_absolute_url())
    # A link under the thread, not a form under every thread: the page stays light.
    # Named with the comment's date too, for when one person started several threads.
    date = f"{top.created_at:%-d %B %Y, %H:%M}"
    assertContains(
        page,
        f'<a href="/comments/{top.pk}/reply/">Reply to Noor'
        f'<span class="visually-hidden">, comment of {date}</span></a>',
        html=True,
    )
    assertContains(page, 'name="body"', count=1)

    response = client.get(f"/comments/{top.pk}/reply/")
    assertContains(response, "<h1>Reply to Noor</h1>", html=True)
    assertContains(response, "How long did it take?")
    assertContains(response, f'<input type="hidden" name="parent" value="{top.pk}">', html=True)
    assertContains(response, "Post reply")

    post(client, article, body="About six weeks for me.", parent=top.pk)
    assert Comment.objects.get(parent=top).body == "About six weeks for me."


def test_a_refused_reply_keeps_its_text_and_its_place(client, article, regular):
    top = make_comment(article=article, body="How long did it take?")
    response = post(client, article, body="x", parent=top.pk)
    assert response.status_code == 400
    assertContains(response, ">x</textarea>", status_code=400)
    assertContains(
        response, f'<input type="hidden" name="parent" value="{top.pk}">', status_code=400
    )
    assertContains(response, "Post reply", status_code=400)


def test_who_may_open_a_reply_page(client, article):
    top = make_comment(article=article, body="How long did it take?")
    reply = make_comment(article=article, parent=top, body="Six weeks")
    hidden = make_comment(article=article, body="Hidden one", status=Comment.Status.HIDDEN)
    draft = make_article(status="draft")
    on_draft = make_comment(article=draft, body="On a draft")

    response = client.get(f"/comments/{top.pk}/reply/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/comments/{top.pk}/reply/"

    client.force_login(make_user(email_confirmed_at=None))
    assertContains(client.get(f"/comments/{top.pk}/reply/"), "confirm your email", status_code=403)
    client.force_login(make_user())
    # Replies go one level deep, to comments readers can see on public articles.
    for comment in (reply, hidden, on_draft):
        assert client.get(f"/comments/{comment.pk}/reply/").status_code == 404
    article.comments_closed = True
    article.save()
    assertContains(client.get(f"/comments/{top.pk}/reply/"), "closed", status_code=403)


def test_closed_comments(client, article, regular):
    make_comment(article=article, body="Earlier thoughts")
    article.comments_closed = True
    article.save()
    page = client.get(article.get_absolute_url())
    assertContains(page, "Comments are closed on this article.")
    assertContains(page, "Earlier thoughts")
    assertNotContains(page, 'name="body"')
    response = post(client, article, body="Too late")
    assertContains(response, "Comments are closed", status_code=400)
    assert not Comment.objects.filter(body="Too late").exists()


def test_visitors_are_not_asked_to_log_in_where_comments_are_closed(client, article):
    article.comments_closed = True
    article.save()
    page = client.get(article.get_absolute_url())
    assertContains(page, "Comments are closed on this article.")
    # Logging in would not let them comment: they are not sent to do it.
    assertNotContains(page, "Login is required before commenting.")


def test_comments_on_a_draft_are_refused(client, regular):
    draft = make_article(status="draft")
    assert post(client, draft, body="Hello").status_code == 404


def test_threads_are_paginated_without_losing_the_count(client, article, settings):
    settings.COMMENTS_PER_PAGE = 3
    for number in range(5):
        thread = make_comment(article=article, body=f"Thread number {number}")
    make_comment(article=article, parent=thread, body="Reply on the last")
    first = client.get(article.get_absolute_url())
    assertContains(first, "Comments (6)")
    assertContains(first, "Thread number 0")
    assertNotContains(first, "Thread number 3")
    second = client.get(article.get_absolute_url() + "?comments=2")
    assertContains(second, "Comments (6)")
    assertContains(second, "Thread number 4")
    assertContains(second, "Reply on the last")
    assertNotContains(second, "Thread number 0")


def test_edit_within_fifteen_minutes(client, article, regular):
    comment = make_comment(article=article, user=regular, body="Original words")
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Better words"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Better words"
    assert comment.edited_at is not None
    assertContains(client.get(article.get_absolute_url()), "(edited)")

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Too late now"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Better words"


def test_editing_and_deleting_start_from_a_page_showing_the_comment(client, article, regular):
    comment = make_comment(article=article, user=regular, body="Original words")
    edit_page = client.get(f"/comments/{comment.pk}/edit/")
    assertContains(edit_page, "Original words</textarea>")
    assertContains(edit_page, "You can edit a comment for 15 minutes after posting it")
    delete_page = client.get(f"/comments/{comment.pk}/delete/")
    assertContains(delete_page, "<h1>Delete your comment?</h1>", html=True)
    assertContains(delete_page, "Original words")
    assertContains(delete_page, "This cannot be undone.")
    comment.refresh_from_db()
    assert comment.body == "Original words"
    assert comment.status == Comment.Status.VISIBLE


def test_no_one_else_can_edit_or_delete_a_comment(client, article, regular):
    theirs = make_comment(article=article, body="Someone else's words")
    assert client.get(f"/comments/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{theirs.pk}/edit/", {"body": "Mine now"}).status_code == 403
    assert client.post(f"/comments/{theirs.pk}/delete/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.body == "Someone else's words"
    assert theirs.status == Comment.Status.VISIBLE


def test_readers_cannot_approve_comments(client, article, regular):
    pending = make_comment(article=article, body="Waiting", status=Comment.Status.PENDING)
    response = client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_delete_keeps_a_placeholder_when_there_are_replies(client, article, regular):
    lonely = make_comment(article=article, user=regular, body="Nobody answered")
    answered = make_comment(article=article, user=regular, body="Answered question")
    make_comment(article=article, parent=answered, body="Here is an answer")

    client.post(f"/comments/{lonely.pk}/delete/")
    client.post(f"/comments/{answered.pk}/delete/")
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    answered.refresh_from_db()
    assert answered.status == Comment.Status.REMOVED
    assert answered.body == ""

    page = client.get(article.get_absolute_url())
    assertContains(page, "Comment removed.")
    assertContains(page, "Here is an answer")
    assertNotContains(page, "Answered question")
    assertContains(page, "Comments (1)")


def test_limits_per_minute_keep_the_text(client, article, regular, settings):
    for number in range(settings.COMMENTS_PER_MINUTE):
        assert post(client, article, body=f"Quick note {number}").status_code == 302
    response = post(client, article, body="One too many")
    assertContains(response, "up to 5 comments a minute", status_code=400)
    assertContains(response, "One too many", status_code=400)
    assert Comment.objects.filter(article=article).count() == settings.COMMENTS_PER_MINUTE


def test_limits_per_day(client, article, regular, settings):
    settings.COMMENTS_PER_MINUTE = 100
    settings.COMMENTS_PER_DAY = 3
    for number in range(3):
        post(client, article, body=f"Daily note {number}")
    response = post(client, article, body="Fourth today")
    assertContains(response, "limit of 3 comments", status_code=400)
    assert not Comment.objects.filter(body="Fourth today").exists()


def test_three_reports_hide_a_comment_until_reviewed(client, article):
    comment = make_comment(article=article, body="Stop taking your medicine")
    reporters = [make_user() for _ in range(3)]
    for number, reporter in enumerate(reporters):
        client.force_login(reporter)
        response = client.post(
            f"/comments/{comment.pk}/report/", {"reason": "misinformation", "note": ""}
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        expected = Comment.Status.HIDDEN if number == 2 else Comment.Status.VISIBLE
        assert comment.status == expected
    # Reporting twice counts once.
    client.force_login(reporters[0])
    client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert comment.reports.count() == 3
    assertNotContains(Client().get(article.get_absolute_url()), "Stop taking your medicine")

    moderator = make_user(username="mod", role="Moderators")
    client.force_login(moderator)
    listing = client.get("/admin/comments/comment/?reported=open")
    assertContains(listing, "Stop taking your medicine")
    client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert not comment.reports.filter(reviewed_at__isnull=True).exists()


def test_moderators_act_in_bulk_and_are_recorded(client, article):
    moderator = make_user(username="mod", role="Moderators")
    pending = [
        make_comment(article=article, body=f"Pending {n}", status=Comment.Status.PENDING)
        for n in range(3)
    ]
    client.force_login(moderator)
    assertContains(client.get("/admin/comments/comment/?status__exact=pending"), "Pending 2")
    before = timezone.now()
    client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [c.pk for c in pending[:2]]},
    )
    client.post(
        "/admin/comments/comment/",
        {"action": "remove", "_selected_action": [pending[2].pk]},
    )
    statuses = dict(Comment.objects.filter(article=article).values_list("body", "status"))
    assert statuses == {"Pending 0": "visible", "Pending 1": "visible", "Pending 2": "removed"}
    for comment in Comment.objects.filter(article=article):
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None
        assert before <= comment.moderated_at <= timezone.now()
    assertContains(Client().get(article.get_absolute_url()), "Comments (2)")


def test_reply_and_author_notifications_with_unsubscribe(
    client, article, regular, django_capture_on_commit_callbacks, author_hears_of_comments
):
    author = author_hears_of_comments
    top = make_comment(article=article, user=regular, body="Any tips?", notify_replies=True)

    helper = make_user(username="helper")
    make_comment(article=make_article(), user=helper)  # has history: posts go straight up
    client.force_login(helper)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, body="Keep a regular bedtime.", parent=top.pk)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {regular.email, author.email}
    reply_mail = by_recipient[regular.email]
    assert "replied to your comment" in reply_mail.body
    assert "Keep a regular bedtime." in reply_mail.body
    unsubscribe_url = reply_mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url in reply_mail.body

    # The link opens a page to confirm, without signing in: opening it changes nothing (mail
    # scanners open links too); its button unsubscribes.
    anonymous = Client(enforce_csrf_checks=True)
    path = unsubscribe_url.removeprefix("http://testserver")
    page = anonymous.get(path)
    assertContains(page, "Stop these emails?")
    assertContains(page, "when someone replies to your comments")
    assertContains(page, '<button type="submit" class="button">Unsubscribe</button>', html=True)
    top.refresh_from_db()
    assert top.notify_replies is True
    response = anonymous.post(path)
    assertContains(response, "no longer get emails about replies")
    top.refresh_from_db()
    assert top.notify_replies is False

    # The mail program's own one-click unsubscribe (RFC 8058): a POST, no CSRF token.
    author_mail = by_recipient[author.email]
    assert author_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = anonymous.post(
        author_mail.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver"),
        {"List-Unsubscribe": "One-Click"},
    )
    assertContains(response, "no longer get emails about comments on your articles")
    author.refresh_from_db()
    assert author.notify_comments is False

    for method in (anonymous.get, anonymous.post):
        response = method("/comments/unsubscribe/forged-token/")
        assertContains(response, "This link does not work", status_code=400)


def test_no_notification_for_pending_comments_until_approved(
    client, article, django_capture_on_commit_callbacks, author_hears_of_comments
):
    author = author_hears_of_comments
    newcomer = make_user(username="newcomer")
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, body="First time here")
    assert mail.outbox == []

    client.force_login(make_user(username="mod", role="Moderators"))
    comment = Comment.objects.get(user=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}
        )
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_saving_an_article_keeps_its_comment_count(client, article):
    stale = type(article).objects.get(pk=article.pk)  # loaded before the comment
    make_comment(article=article, body="Posted while an editor was editing")
    stale.title = "Sleeping well after surgery, revised"
    stale.save()
    stale.refresh_from_db()
    assert stale.comment_count == 1
    assertContains(client.get(article.get_absolute_url()), "Comments (1)")


def test_admin_removal_keeps_the_stored_count(client, article):
    kept = make_comment(article=article, body="Kept words")
    doomed = make_comment(article=article, body="Deleted words")
    make_comment(article=article, parent=doomed, body="A reply that goes with it")
    moderated = make_comment(article=article, body="Removed words")
    assertContains(Client().get(article.get_absolute_url()), "Comments (4)")

    # No bulk delete, for anyone: it would skip the moderation record and the recount.
    client.force_login(make_user(username="root", is_superuser=True, is_staff=True))
    assertNotContains(client.get("/admin/comments/comment/"), "delete_selected")
    client.post(
        "/admin/comments/comment/", {"action": "delete_selected", "_selected_action": [kept.pk]}
    )
    assert Comment.objects.filter(pk=kept.pk).exists()

    # A superuser deletes one comment (its reply goes with it).
    response = client.post(f"/admin/comments/comment/{doomed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.filter(body__in=["Deleted words", "A reply that goes with it"])
    article.refresh_from_db()
    assert article.comment_count == 2
    assertContains(Client().get(article.get_absolute_url()), "Comments (2)")

    # Moderators remove, which is recorded, and cannot delete.
    client.force_login(make_user(username="mod", role="Moderators"))
    assert (
        client.post(f"/admin/comments/comment/{kept.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(
        "/admin/comments/comment/", {"action": "remove", "_selected_action": [moderated.pk]}
    )
    article.refresh_from_db()
    assert article.comment_count == 1
    assert Comment.objects.get(pk=kept.pk).status == Comment.Status.VISIBLE
    assertContains(Client().get(article.get_absolute_url()), "Comments (1)")


def test_a_mail_server_that_is_down_does_not_lose_the_comment(
    client,
    article,
    regular,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
    author_hears_of_comments,
):
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.FailingEmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, body="Posted while the mail server is down.")
    comment = Comment.objects.get(article=article)
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert comment.status == Comment.Status.VISIBLE
    assert "Could not send the comments/email/new_comment email" in caplog.text
    assertContains(
        client.get(response["Location"], follow=True), "Thank you: your comment is posted."
    )


def approve(client, comment):
    client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]})


def test_a_comment_hidden_by_reports_and_approved_again_is_announced_once(
    client, article, regular, django_capture_on_commit_callbacks, author_hears_of_comments
):
    author = author_hears_of_comments
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, body="Ginger tea helped my nausea.")
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.VISIBLE
    assert [message.to for message in mail.outbox] == [[author.email]]
    announced_at = comment.notified_at
    assert announced_at is not None

    for _ in range(3):
        client.force_login(make_user())
        client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN

    client.force_login(make_user(username="mod", role="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        approve(client, comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert comment.notified_at == announced_at
    assert len(mail.outbox) == 1


def test_a_first_comment_edited_while_waiting_is_announced_when_approved(
    client, article, django_capture_on_commit_callbacks, author_hears_of_comments
):
    author = author_hears_of_comments
    newcomer = make_user(username="newcomer")
    client.force_login(newcomer)
    post(client, article, body="First try")
    comment = Comment.objects.get(user=newcomer)
    client.post(f"/comments/{comment.pk}/edit/", {"body": "First try, with a typo fixed"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.edited_at is not None
    assert comment.notified_at is None

    client.force_login(make_user(username="mod", role="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        approve(client, comment)
        approve(client, comment)  # a second click sends nothing more
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "First try, with a typo fixed" in mail.outbox[0].body
    comment.refresh_from_db()
    assert comment.notified_at is not None


def test_a_reader_who_reports_again_is_told_it_counts_once(client, article, regular):
    comment = make_comment(article=article, body="Stop taking your medicine")
    page = client.get(f"/comments/{comment.pk}/report/")
    assertContains(page, "Stop taking your medicine")
    assertContains(page, "Send report")
    data = {"reason": "misinformation", "note": ""}
    first = client.post(f"/comments/{comment.pk}/report/", data, follow=True)
    assertContains(first, "Thank you: a moderator will look at this comment.")
    again = client.post(f"/comments/{comment.pk}/report/", data, follow=True)
    assertContains(again, "You have reported this comment already.")
    assert comment.reports.count() == 1


def test_readers_cannot_report_their_own_comment(client, article, regular):
    mine = make_comment(article=article, user=regular, body="My own words")
    page = client.get(f"/comments/{mine.pk}/report/")
    assertContains(page, "This is your own comment", status_code=403)
    assertNotContains(page, 'name="reason"', status_code=403)
    response = client.post(f"/comments/{mine.pk}/report/", {"reason": "spam"})
    assertContains(response, "This is your own comment", status_code=403)
    assert not mine.reports.exists()


def test_unconfirmed_accounts_cannot_report(client, article):
    comment = make_comment(article=article, body="Someone's words")
    client.force_login(make_user(username="fresh", email_confirmed_at=None))
    for _ in range(2):
        response = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
        assertContains(response, "Please confirm your email address", status_code=403)
    assert not comment.reports.exists()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


def test_line_breaks_count_once_against_the_limit(client, article, regular):
    # Browsers send each line break as \r\n: 5,000 characters on screen, 5,100 on the wire.
    lines = ["x" * 48] * 100
    typed = "\r\n".join(lines) + "\r\n" + "y" * 100
    assert len(typed.replace("\r\n", "\n")) == 5000
    response = post(client, article, body=typed)
    assert response.status_code == 302
    comment = Comment.objects.get(article=article)
    assert comment.body == typed.replace("\r\n", "\n")
    assert "\r" not in comment.body

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": typed})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert len(comment.body) == 5000


def test_posting_takes_one_transaction_without_savepoints(client, regular, article):
    with CaptureQueriesContext(connection) as queries:
        response = post(client, article, body="Written in one go")
    assert response.status_code == 302
    statements = [query["sql"].split()[0] for query in queries]
    # One transaction (here a savepoint in the test's own), none nested inside it.
    assert statements.count("BEGIN") + statements.count("SAVEPOINT") == 1
    assert Comment.objects.filter(body="Written in one go").exists()


def test_a_failed_write_stores_nothing(client, regular, article, monkeypatch):
    def fail(self):
        raise DatabaseError("the database went away mid-write")

    # The comment is written, then the count fails: neither may be left behind.
    monkeypatch.setattr(comments.models, "recount_comments", fail)
    client.raise_request_exception = False
    response = client.post(
        f"/comments/articles/{article.pk}/", {"body": "Lost halfway", "website": ""}
    )
    assert response.status_code == 500
    assert not Comment.objects.filter(body="Lost halfway").exists()
    monkeypatch.undo()
    assertContains(client.get(article.get_absolute_url()), "Comments (0)")

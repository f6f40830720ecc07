"""Staff replying to readers' comments from the admin, and authors reading the comments on
their own articles there: tried as each role, through the admin and the article page."""

import re

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, Report
from comments.moderation import moderate, report_comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_user(username="amara", role="Authors", display_name="Amara Okafor")


@pytest.fixture
def article(author):
    return make_article(title="Sleeping after surgery", slug="sleeping", author=author)


@pytest.fixture
def reader():
    return make_user(username="ravi", display_name="Ravi Reader")


@pytest.fixture
def question(article, reader):
    return make_comment(
        article=article, user=reader, body="How long should I rest?", notify_replies=True
    )


def reply_url(comment: Comment) -> str:
    return f"/admin/comments/comment/{comment.pk}/reply/"


def change_url(comment: Comment) -> str:
    return f"/admin/comments/comment/{comment.pk}/change/"


def role_label(label: str) -> str:
    """The role after the name on the article page, as the page's HTML writes it."""
    return (
        '<span class="comment__role"><span aria-hidden="true">· </span>'
        f'<span class="visually-hidden">, </span>{label}</span>'
    )


def staff_replies(article) -> list[tuple[str, str]]:
    return list(
        Comment.objects.filter(article=article)
        .exclude(staff_role="")
        .values_list("body", "staff_role")
    )


# Replying, as each role that may


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("author", "Author of this article"),
        ("Editors", "Editor"),
        ("Moderators", "Moderator"),
    ],
)
def test_staff_reply_shows_at_once_with_the_role_and_is_counted(
    client, article, author, question, role, label
):
    staff = author if role == "author" else make_user(role=role, display_name="Sam Staff")
    client.force_login(staff)
    form = client.get(change_url(question))
    assertContains(form, f'<label for="id_body">Reply as {staff.public_name}</label>', html=True)
    assertContains(form, f'action="{reply_url(question)}"')

    response = client.post(reply_url(question), {"body": "Two weeks, then walk gently."})
    assert response.status_code == 302
    assert response["Location"] == change_url(question)
    reply = Comment.objects.get(parent=question)
    assert (reply.user, reply.status, reply.get_staff_role_display()) == (
        staff,
        Comment.Status.VISIBLE,
        label,
    )
    done = client.get(response["Location"])
    assertContains(done, f"Your reply is posted as “{staff.public_name} · {label}”")
    assertContains(done, f'<a href="/comments/{reply.pk}/">See it on the article</a>', html=True)

    page = Client().get(article.get_absolute_url())
    assertContains(page, "Comments (2)")
    assertContains(page, "Two weeks, then walk gently.")
    assertContains(page, role_label(label), html=True)
    # Next to the name of the one who wrote it, in the reply's header.
    reply_html = re.search(rf'id="comment-{reply.pk}".*?</header>', page.text, re.S)
    assert reply_html is not None
    assert staff.public_name in reply_html.group()
    assert label in reply_html.group()


def test_a_reply_to_a_reply_answers_its_thread(client, article, author, question):
    answer = make_comment(article=article, parent=question, body="Same question here.")
    client.force_login(author)
    # The reply page, which the form falls back to, quotes the comment answered.
    page = client.get(reply_url(answer))
    assertContains(page, "<h1>Reply to ", count=1)
    assertContains(page, "Same question here.")
    assertContains(page, "the thread this reply belongs to")
    client.post(reply_url(answer), {"body": "Ask your surgeon about week three."})
    reply = Comment.objects.get(body="Ask your surgeon about week three.")
    assert reply.parent == question


def test_the_reader_asked_to_hear_of_replies_and_hears_once(
    client, article, author, question, reader, django_capture_on_commit_callbacks
):
    moderator = make_user(role="Moderators")
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url(question), {"body": "Rest a fortnight."})
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert "Rest a fortnight." in mail.outbox[0].body
    # Approving it again (it was never held) sends nothing more.
    reply = Comment.objects.get(parent=question)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(comments=[reply], status=Comment.Status.VISIBLE, by=moderator, base_url="http://x")
    assert len(mail.outbox) == 1


def test_a_reader_who_did_not_ask_hears_nothing(
    client, article, author, question, django_capture_on_commit_callbacks
):
    question.notify_replies = False
    question.save()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url(question), {"body": "Rest a fortnight."})
    assert mail.outbox == []


def test_a_script_in_a_reply_is_shown_as_text(client, article, author, question):
    client.force_login(author)
    client.post(reply_url(question), {"body": '<script>alert("x")</script> <b>Rest</b>'})
    reply = Comment.objects.get(parent=question)
    assert "<script" not in reply.body_html
    assert "&lt;script&gt;" in reply.body_html
    page = Client().get(article.get_absolute_url())
    assertNotContains(page, '<script>alert("x")')
    assertNotContains(page, "<b>Rest</b>")
    assertContains(page, "&lt;b&gt;Rest&lt;/b&gt;")


def test_replying_takes_a_csrf_token(article, author, question):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(author)
    response = csrf_client.post(reply_url(question), {"body": "Without a token."})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


def test_bad_input_is_refused_with_what_was_typed_kept(client, article, author, question):
    client.force_login(author)
    response = client.post(reply_url(question), {"body": "x"})
    assert response.status_code == 400
    assertContains(response, "Ensure this value has at least 2 characters", status_code=400)
    assertContains(response, "\nx</textarea>", status_code=400)
    assertContains(response, "How long should I rest?", status_code=400)
    assert not Comment.objects.filter(parent=question).exists()


def test_no_reply_under_a_removed_thread_or_on_a_closed_article(client, article, author, question):
    client.force_login(author)
    question.status = Comment.Status.REMOVED
    question.save()
    response = client.post(reply_url(question), {"body": "Too late."})
    assertContains(response, "was removed: there is nothing to reply to", status_code=403)

    question.status = Comment.Status.VISIBLE
    question.save()
    article.comments_closed = True
    article.save()
    assertContains(client.get(change_url(question)), "Comments are closed on this article")
    response = client.post(reply_url(question), {"body": "Too late."})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


# Who may not


def test_an_author_cannot_reply_on_another_authors_article(client, question):
    other = make_user(role="Authors", display_name="Other Author")
    client.force_login(other)
    assert client.post(reply_url(question), {"body": "Not my article."}).status_code == 403
    assert client.get(reply_url(question)).status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


def test_a_medical_reviewer_cannot_reply_or_read_comments(client, question):
    client.force_login(make_user(role="Medical reviewers"))
    assert client.post(reply_url(question), {"body": "Reviewer here."}).status_code == 403
    assert client.get(change_url(question)).status_code == 403
    assert client.get("/admin/comments/comment/").status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


@pytest.mark.parametrize("signed_in", [True, False])
def test_readers_are_sent_to_the_admin_login(client, question, reader, signed_in):
    if signed_in:
        client.force_login(reader)
    response = client.post(reply_url(question), {"body": "Me too."})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Comment.objects.filter(parent=question).exists()


def test_a_reader_cannot_give_themselves_a_staff_label(client, article, question):
    regular = make_user(display_name="Pretend Editor")
    make_comment(article=make_article(), user=regular)  # a history: posts go straight up
    client.force_login(regular)
    response = client.post(
        f"/comments/articles/{article.pk}/",
        {"body": "Trust me.", "parent": question.pk, "staff_role": "editor", "website": ""},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=question)
    assert reply.staff_role == ""
    assert reply.status == Comment.Status.VISIBLE
    page = Client().get(article.get_absolute_url())
    assertContains(page, "Trust me.")
    assertNotContains(page, "comment__role")


# Held comments, and the count


def test_a_reply_to_a_held_comment_waits_for_it_with_the_readers(client, article, author, reader):
    held = make_comment(
        article=article, user=reader, body="Is this normal?", status=Comment.Status.PENDING
    )
    client.force_login(author)
    form = client.get(change_url(held))
    assertContains(form, "its writer sees your reply at once")
    client.post(reply_url(held), {"body": "Yes, for a week or so."})

    # Its writer sees the answer under their comment; others once it is approved.
    writer = Client()
    writer.force_login(reader)
    assertContains(writer.get(article.get_absolute_url()), "Yes, for a week or so.")
    everyone = Client().get(article.get_absolute_url())
    assertNotContains(everyone, "Yes, for a week or so.")
    assertContains(everyone, "Comments (0)")

    moderator = Client()
    moderator.force_login(make_user(role="Moderators"))
    moderator.post(f"/admin/comments/comment/{held.pk}/approve/")
    everyone = Client().get(article.get_absolute_url())
    assertContains(everyone, "Yes, for a week or so.")
    assertContains(everyone, "Comments (2)")


# Authors in the admin


@pytest.fixture
def authors_comments(article, question):
    """On the author's article: a visible question, a held comment, one reported; and a
    comment on someone else's article."""
    make_comment(article=article, body="Held for approval", status=Comment.Status.PENDING)
    reported = make_comment(article=article, body="Stop all painkillers now.")
    report_comment(
        comment=reported,
        user=make_user(display_name="Careful Carla"),
        reason=Report.Reason.MISINFORMATION,
        note="This is dangerous.",
    )
    make_comment(article=make_article(), body="On another article entirely")
    return reported


def test_authors_list_the_comments_on_their_own_articles_only(client, author, authors_comments):
    client.force_login(author)
    listing = client.get("/admin/comments/comment/")
    assert listing.status_code == 200
    for body in ("How long should I rest?", "Held for approval", "Stop all painkillers now."):
        assertContains(listing, body)
    assertNotContains(listing, "On another article entirely")
    # Reading, not moderating: no actions to apply to the selection.
    assertNotContains(listing, 'name="action"')

    held = client.get("/admin/comments/comment/?status__exact=pending")
    assertContains(held, "Held for approval")
    assertNotContains(held, "How long should I rest?")
    reported = client.get("/admin/comments/comment/?reported=open")
    assertContains(reported, "Stop all painkillers now.")
    assertNotContains(reported, "Held for approval")


def test_authors_read_why_a_comment_was_reported_but_not_by_whom(client, author, authors_comments):
    client.force_login(author)
    page = client.get(change_url(authors_comments))
    assertContains(page, "Medical misinformation")
    assertContains(page, "This is dangerous.")
    assertNotContains(page, "Careful Carla")
    assertContains(page, "Reply as Amara Okafor")

    moderator = Client()
    moderator.force_login(make_user(role="Moderators"))
    assertContains(moderator.get(change_url(authors_comments)), "Careful Carla")


def test_authors_cannot_open_comments_on_another_authors_article(client, author, authors_comments):
    elsewhere = Comment.objects.get(body="On another article entirely")
    client.force_login(author)
    page = client.get(change_url(elsewhere), follow=True)
    assertNotContains(page, "On another article entirely")
    assertContains(page, "doesn\u2019t exist")


@pytest.mark.parametrize("verb", ["approve", "hide", "remove"])
def test_authors_do_not_moderate_even_their_own_articles(client, author, authors_comments, verb):
    held = Comment.objects.get(body="Held for approval")
    client.force_login(author)
    page = client.get(change_url(held))
    assertNotContains(page, f"/{verb}/")
    assert client.post(f"/admin/comments/comment/{held.pk}/{verb}/").status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    response = client.post(
        "/admin/comments/comment/", {"action": verb, "_selected_action": [held.pk]}
    )
    assert response.status_code in (200, 302)
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_authors_home_page_counts_the_comments_on_their_articles(client, author, authors_comments):
    # Someone else's held and reported comments are not counted.
    elsewhere = Comment.objects.get(body="On another article entirely")
    elsewhere.status = Comment.Status.PENDING
    elsewhere.save()
    client.force_login(author)
    home = client.get("/admin/")
    assertContains(home, "<h2>Comments on your articles</h2>", html=True)
    assertContains(
        home, '<a href="/admin/comments/comment/?status__exact=pending">1 waiting</a>', html=True
    )
    assertContains(
        home, '<a href="/admin/comments/comment/?reported=open">1 reported</a>', html=True
    )
    assertNotContains(home, "Comments to moderate")


@pytest.mark.parametrize("role", ["Moderators", "Editors", "Medical reviewers"])
def test_others_have_no_authors_panel(client, role):
    client.force_login(make_user(role=role))
    assertNotContains(client.get("/admin/"), "Comments on your articles")


def test_authors_home_page_costs_the_same_queries_for_more_comments(
    client, author, article, django_assert_num_queries
):
    client.force_login(author)
    # The session, the user, their permissions (2), the least helpful of their articles,
    # the comments panel's one count, recent actions.
    with django_assert_num_queries(7):
        assertContains(client.get("/admin/"), "0 waiting")
    for n in range(4):
        comment = make_comment(article=article, body=f"Held {n}", status=Comment.Status.PENDING)
        if n % 2:
            comment.status = Comment.Status.VISIBLE
            comment.save()
            report_comment(comment=comment, user=make_user(), reason=Report.Reason.SPAM)
    with django_assert_num_queries(7):
        home = client.get("/admin/")
    assertContains(home, "2 waiting")
    assertContains(home, "2 reported")


# Fixed query counts


@pytest.mark.parametrize("role", ["author", "Moderators"])
def test_the_admin_comment_list_costs_the_same_for_more_comments(
    client, author, article, django_assert_num_queries, role
):
    client.force_login(author if role == "author" else make_user(role=role))
    make_comment(article=article)
    # Authors' list is narrowed in the same statements: the same number for both.
    with django_assert_num_queries(11):
        assert client.get("/admin/comments/comment/").status_code == 200
    for n in range(15):
        make_comment(article=article, body=f"Comment {n}", user=make_user())
    with django_assert_num_queries(11):
        listing = client.get("/admin/comments/comment/")
    assertContains(listing, "Comment 14")


def test_the_article_page_with_staff_replies_costs_the_same_queries(
    client, no_page_cache, article, author, question, django_assert_num_queries
):
    editor = make_user(role="Editors", display_name="Eda Editor")
    staff = Client()
    for user in (author, editor):
        staff.force_login(user)
        for n in range(3):
            staff.post(reply_url(question), {"body": f"Answer {n} from {user.public_name}"})
    # Article, tags, conditions, references, the page of comments, related articles: as
    # without them.
    with django_assert_num_queries(6):
        page = client.get(article.get_absolute_url())
    assertContains(page, "Comments (7)")
    assertContains(page, "Author of this article", count=3)
    assertContains(page, role_label("Editor"), count=3, html=True)

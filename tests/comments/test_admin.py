"""Moderating comments in the admin, as a moderator: reading reports, acting on one comment
from its page, and the counts on the admin home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, Report
from comments.moderation import report_comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = make_user(username="mod", role="Moderators")
    client.force_login(user)
    return user


@pytest.fixture
def reported():
    comment = make_comment(article=make_article(), body="Stop taking your medicine.")
    reader = make_user(username="worried", display_name="Worried Reader")
    report_comment(
        comment=comment, user=reader, reason=Report.Reason.MISINFORMATION, note="Dangerous."
    )
    return comment


def change_url(comment: Comment) -> str:
    return f"/admin/comments/comment/{comment.pk}/change/"


def test_moderators_read_why_readers_reported_a_comment(client, moderator, reported):
    page = client.get(change_url(reported))
    assert page.status_code == 200
    assertContains(page, "Medical misinformation")
    assertContains(page, "Dangerous.")
    assertContains(page, "Worried Reader")
    assertContains(page, "Created at")


def test_the_comment_page_offers_moderation_not_save(client, moderator, reported):
    page = client.get(change_url(reported))
    assertNotContains(page, 'name="_save"')
    assertNotContains(page, 'name="_continue"')
    for verb in ("approve", "hide", "remove"):
        assertContains(page, f'action="/admin/comments/comment/{reported.pk}/{verb}/"')
    assertContains(page, "csrfmiddlewaretoken")


@pytest.mark.parametrize(
    ("verb", "status"),
    [
        ("approve", Comment.Status.VISIBLE),
        ("hide", Comment.Status.HIDDEN),
        ("remove", Comment.Status.REMOVED),
    ],
)
def test_moderators_act_on_one_comment_from_its_page(client, moderator, reported, verb, status):
    reported.status = Comment.Status.PENDING
    reported.save()
    response = client.post(f"/admin/comments/comment/{reported.pk}/{verb}/", follow=True)
    assert response.redirect_chain[-1][0] == change_url(reported)
    assertContains(response, "1 comment(s)")
    reported.refresh_from_db()
    assert reported.status == status
    assert reported.moderated_by == moderator
    open_reports = reported.reports.filter(reviewed_at__isnull=True).exists()
    assert open_reports is (status != Comment.Status.VISIBLE)


def test_moderating_from_the_page_takes_a_post(client, moderator, reported):
    assert client.get(f"/admin/comments/comment/{reported.pk}/hide/").status_code == 405
    reported.refresh_from_db()
    assert reported.status == Comment.Status.VISIBLE


def test_those_who_only_read_comments_cannot_moderate_from_the_page(client, reported):
    client.force_login(make_user(username="writer", role="Authors"))
    response = client.post(f"/admin/comments/comment/{reported.pk}/hide/")
    assert response.status_code in (302, 403)
    reported.refresh_from_db()
    assert reported.status == Comment.Status.VISIBLE
    assert reported.moderated_by is None


def test_moderators_home_page_counts_what_awaits_them(client, moderator, reported):
    article = make_article()
    for n in range(2):
        make_comment(article=article, body=f"Pending {n}", status=Comment.Status.PENDING)
    home = client.get("/admin/")
    assertContains(home, 'href="/admin/comments/comment/?status__exact=pending"')
    assertContains(home, 'href="/admin/comments/comment/?reported=open"')
    assertContains(home, "2 awaiting approval")
    assertContains(home, "1 reported")
    # The other engineers' panels stay.
    assert client.get("/admin/comments/comment/?reported=open").status_code == 200


def test_moderators_home_page_costs_the_same_queries_for_more_comments(client, moderator):
    article = make_article()
    make_comment(article=article, status=Comment.Status.PENDING)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for n in range(5):
        comment = make_comment(article=article, body=f"More {n}", status=Comment.Status.PENDING)
        report_comment(comment=comment, user=make_user(), reason=Report.Reason.SPAM)
    with CaptureQueriesContext(connection) as many:
        home = client.get("/admin/")
    assertContains(home, "6 awaiting approval")
    assertContains(home, "5 reported")
    assert len(many) == len(few)


def test_editors_see_no_moderation_counts_without_the_permission(client):
    client.force_login(make_user(username="writer", role="Authors"))
    assertNotContains(client.get("/admin/"), "awaiting approval")

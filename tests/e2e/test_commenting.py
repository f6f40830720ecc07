import pytest

from comments.models import Comment
from tests.factories import PASSWORD, make_article, make_comment, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_from_the_article_and_comment(live_server, page):
    reader = make_user(username="rosa", display_name="Rosa")
    make_comment(article=make_article(), user=reader)  # an earlier approved comment
    article = make_article(title="Pacing after a long illness", slug="pacing")

    page.goto(live_server.url + article.get_absolute_url())
    assert page.get_by_role("heading", name="Comments (0)").is_visible()
    page.get_by_role("link", name="Log in to comment").click()
    page.get_by_label("Username or email").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/articles/pacing/#comment-form")

    page.get_by_label("Your comment").fill("Short walks, then rest.\nIt worked for me.")
    page.get_by_role("button", name="Post comment").click()
    assert page.get_by_text("your comment is posted").is_visible()
    assert page.get_by_role("heading", name="Comments (1)").is_visible()
    assert page.locator(".comment__body").last.inner_text() == (
        "Short walks, then rest.\nIt worked for me."
    )
    stored = Comment.objects.get(article=article)
    assert stored.user == reader
    assert stored.status == Comment.Status.VISIBLE
    assert page.problems == []


def test_replying_works_without_javascript(live_server, browser):
    article = make_article(slug="with-thread")
    make_comment(article=article, body="Has anyone tried swimming?")
    user = make_user(username="sam")
    make_comment(article=make_article(), user=user)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or email").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Reply to").click()
    assert page.get_by_text("Has anyone tried swimming?").is_visible()
    page.get_by_label("Your comment").fill("Yes, gentle lengths helped.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**/articles/with-thread/**")
    assert page.locator(".comment--reply .comment__body").inner_text() == (
        "Yes, gentle lengths helped."
    )
    parent = Comment.objects.get(body="Yes, gentle lengths helped.").parent
    assert parent is not None
    assert parent.body == "Has anyone tried swimming?"
    context.close()

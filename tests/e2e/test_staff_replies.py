"""In a real browser: an author answers a held comment on their article from the admin, by
keyboard, and the reader who asked reads the answer, labelled as the author's."""

import re

import pytest

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held():
    author = make_user(username="amara", role="Authors", display_name="Amara Okafor")
    article = make_article(title="Sleeping after surgery", slug="sleeping", author=author)
    reader = make_user(username="ravi", display_name="Ravi Reader")
    return make_comment(
        article=article,
        user=reader,
        body="Is it normal to sleep badly for a week?",
        status=Comment.Status.PENDING,
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_an_author_answers_a_held_comment_by_keyboard(live_server, page, held, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "amara")
    panel = page.locator("#own-articles-comments-module")
    assert panel.get_by_role("heading", name="Comments on your articles").is_visible()
    page.screenshot(path=f"/tmp/staff-reply-home-{width}.png", full_page=True)
    panel.get_by_role("link", name="1 waiting").click()
    page.get_by_role("link", name="Is it normal to sleep badly").click()

    reply = page.get_by_label("Reply as Amara Okafor")
    reply.wait_for()
    assert page.get_by_text("its writer sees your reply at once").is_visible()
    # By keyboard: focus moves to the text area, then on to the button, which Enter presses.
    reply.focus()
    page.keyboard.type("Yes, for a week or two. Try a regular bedtime.")
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Post reply")
    assert button.evaluate("element => element === document.activeElement")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=f"/tmp/staff-reply-form-{width}.png", full_page=True)
    page.keyboard.press("Enter")
    page.get_by_text("Your reply is posted as “Amara Okafor · Author of this article”").wait_for()

    answer = Comment.objects.get(parent=held)
    assert answer.status == Comment.Status.VISIBLE
    assert answer.staff_role == Comment.StaffRole.AUTHOR

    # The reader who asked signs in and reads the answer under their comment.
    article_url = held.article.get_absolute_url()
    sign_in(page, live_server, "ravi", login="/accounts/login/", next_url=article_url)
    reply_card = page.locator(f"#comment-{answer.pk}")
    assert reply_card.get_by_text("Yes, for a week or two.").is_visible()
    header = reply_card.locator("header")
    # What is seen, and what a screen reader reads: the label is text, not colour.
    assert header.get_by_text("Author of this article").is_visible()
    # Without the dot, which is hidden from them, and with a pause before the role.
    heard = re.sub(r"\s+", " ", header.aria_snapshot()).replace(" ,", ",")
    assert "Amara Okafor, Author of this article" in heard
    assert "·" not in heard
    reply_card.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/staff-reply-article-{width}.png", full_page=True)
    assert page.problems == []

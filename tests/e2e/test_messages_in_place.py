"""After answering "Was this page helpful?", reporting or deleting a comment, the reader
lands on the message, inside the section they acted in, with focus on it: no JavaScript."""

import os
from pathlib import Path

import pytest

from comments.models import Report
from tests.factories import make_article, make_comment, make_user

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS_FOLDER = os.environ.get("HEALTHSITE_SCREENSHOTS")
LONG_BODY = "\n\n".join(
    f"## Part {number}\n\n" + "Short walks help, and rest between them matters. " * 12
    for number in range(1, 9)
)


def shot(page, name: str) -> None:
    if SHOTS_FOLDER:
        page.screenshot(path=Path(SHOTS_FOLDER) / f"{name}.png")


def assert_seen_and_focused(page, element_id: str, text: str) -> None:
    message = page.locator(f"#{element_id}")
    assert text in message.inner_text()
    box = message.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= viewport["height"]
    assert page.evaluate("document.activeElement.id") == element_id


@pytest.fixture
def article():
    return make_article(title="Walking again", slug="walking-again", body=LONG_BODY)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_helpful_thanks_is_where_the_reader_is(live_server, browser, article, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 700}
    )
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("button", name="Yes").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/walking-again/#helpful-message")
    assert_seen_and_focused(page, "helpful-message", "Thank you for your feedback.")
    shot(page, f"helpful-thanks-{width}")
    context.close()


def test_reporting_by_keyboard_lands_on_the_thanks(live_server, page, article):
    make_user(username="sam", display_name="Sam")
    comment = make_comment(article=article, user=make_user(display_name="Jo"), body="Stop it all")
    page.set_viewport_size({"width": 390, "height": 700})
    sign_in(page, live_server, "sam", login="/accounts/login/", next_url="/")
    page.goto(f"{live_server.url}/comments/{comment.pk}/report/")
    # No reason is chosen for the reader; sending none says so and keeps the note.
    page.get_by_label("Anything to add? (optional)").fill("Dangerous advice")
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_text("Please choose what is wrong with this comment.").is_visible()
    assert page.get_by_label("Anything to add? (optional)").input_value() == "Dangerous advice"
    # Each reason is one large target: its label.
    label = page.locator("label.choice", has_text="Medical misinformation")
    assert label.bounding_box()["height"] >= 44
    shot(page, "report-error-390")
    page.get_by_role("radio", name="Spam").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio", name="Medical misinformation").is_checked()
    page.get_by_role("button", name="Send report").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/walking-again/#comments-message")
    assert_seen_and_focused(
        page, "comments-message", "Thank you: a moderator will look at this comment."
    )
    shot(page, "report-thanks-390")
    report = Report.objects.get()
    assert (report.reason, report.note) == ("misinformation", "Dangerous advice")
    assert page.problems == []


def test_deleting_lands_on_the_message(live_server, page, article):
    sam = make_user(username="sam", display_name="Sam")
    make_comment(article=article, user=sam, body="Posted too soon")
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(page, live_server, "sam", login="/accounts/login/", next_url="/")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Delete your comment of").click()
    page.get_by_role("button", name="Delete comment").click()
    page.wait_for_url("**/articles/walking-again/#comments-message")
    assert_seen_and_focused(page, "comments-message", "Your comment is deleted.")
    shot(page, "deleted-320")
    assert page.problems == []

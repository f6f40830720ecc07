"""In a real browser: an editor picks two revisions by keyboard and compares them, and reads
what readers said about the article, on a phone and on a desktop screen."""

import pytest
import reversion

from articles.models import Feedback
from tests.factories import PASSWORD, make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_compare_two_revisions_and_read_feedback(page, live_server, width, tmp_path):
    make_user(username="ed", role="Editors")
    article = make_article(title="Pacing your energy", body="Rest well.\n\nWalk a little.")
    for body in (
        "Rest well.\n\nWalk.",
        "Rest well, then walk.\n\nWalk more.",
        "Rest often.\n\nWalk daily.",
    ):
        article.body = body
        with reversion.create_revision():
            article.save()
    for helpful, comment in ((True, "Clear."), (False, "Too short."), (True, "")):
        Feedback.objects.create(article=article, helpful=helpful, comment=comment)

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    page.screenshot(path=str(tmp_path / f"history-{width}.png"), full_page=True)
    # By keyboard: the "From" group's arrow keys move to the oldest revision.
    page.locator('input[name="old"]:checked').focus()
    page.keyboard.press("ArrowDown")
    assert page.locator('input[name="old"]').nth(2).is_checked()
    box = page.locator(".revision-picker__choice label").first.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    page.get_by_role("button", name="Compare").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/history/compare/**")
    assert page.locator(".side-by-side ins").count() >= 1
    assert page.locator(".side-by-side del").count() >= 1
    page.screenshot(path=str(tmp_path / f"compare-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    panel = page.locator(".feedback-panel")
    assert "67% found it helpful" in panel.inner_text()
    panel.screenshot(path=str(tmp_path / f"feedback-{width}.png"))
    assert page.problems == []

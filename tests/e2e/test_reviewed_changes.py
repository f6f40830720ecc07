"""In a real browser: a change to a live medical article, from the author's edit through
the medical reviewer's approval to the editor publishing it, with readers seeing the live
text until then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live():
    medical = make_category(name="Conditions", slug="conditions", is_medical=True)
    reviewer = make_user(
        username="dr.rae", role="Medical reviewers", display_name="Dr Rae", credentials="MD"
    )
    author = make_user(username="writer", role="Authors", display_name="Wren Writer")
    make_user(username="ed", role="Editors")
    article = make_article(
        title="Living with knee pain",
        slug="knee-pain",
        body="## What helps\n\nRest the knee for two days.\n",
        author=author,
        category=medical,
    )
    article.reviewer = reviewer
    article.reviewed_on = timezone.localdate() - timedelta(days=400)
    article.save()
    return article


def test_a_change_to_a_live_article_is_reviewed_then_published(live_server, page, live):
    reader = page.context.browser.new_context().new_page()
    article_url = live_server.url + live.get_absolute_url()

    # The author changes the live article: it goes into a pending version.
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{live.pk}/change/")
    page.get_by_role("button", name="Change the text in a pending version").click()
    page.get_by_text("You are editing the pending version").wait_for()
    page.get_by_label("Body").fill("## What helps\n\nGentle cycling helps the knee.\n")
    page.get_by_label("Summary of the change").fill("New advice on exercise")
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("is now waiting for a medical reviewer").wait_for()

    reader.goto(article_url)
    assert reader.get_by_text("Rest the knee for two days.").is_visible()
    assert reader.get_by_text("Gentle cycling").count() == 0

    # The reviewer finds it on their desk, reads what changed and approves it.
    sign_in(page, live_server, "dr.rae")
    page.get_by_role("link", name="Living with knee pain").first.click()
    changes = page.get_by_role("table", name="Body")
    assert changes.get_by_text("Rest the knee for two days.").is_visible()  # last approved
    assert changes.get_by_text("Gentle cycling helps the knee.").is_visible()
    page.get_by_role("button", name="Approve this version").click()
    page.get_by_text("approved", exact=False).first.wait_for()

    # The editor publishes it; readers then read the new text, reviewed today.
    sign_in(page, live_server, "ed")
    pending = Article.objects.get(live=live)
    page.goto(f"{live_server.url}/admin/articles/article/{pending.pk}/change/")
    page.get_by_role("button", name="Save and publish the change").click()
    page.get_by_text("The change is published").wait_for()
    page.screenshot(path="/tmp/reviewed-change-published.png", full_page=True)

    reader.goto(article_url)
    assert reader.get_by_text("Gentle cycling helps the knee.").is_visible()
    assert reader.get_by_text(f"on {timezone.localdate():%-d %B %Y}").first.is_visible()
    reader.get_by_text("Change history").click()
    assert reader.get_by_text("New advice on exercise").is_visible()
    assert page.problems == []
    reader.context.close()

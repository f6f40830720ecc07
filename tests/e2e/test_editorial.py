"""In a real browser: the reading aids on an article page, and "Was this page helpful?"
answered with JavaScript turned off."""

from datetime import date

import pytest

from articles.models import Feedback, Reference
from tests.factories import make_article, make_category, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    category = make_category(name="Joints", slug="joints")
    article = make_article(
        title="Knee pain",
        slug="knee-pain",
        category=category,
        tags=["knees"],
        body="## Causes\n\nOften strain [1].\n\n## What helps\n\nRest.\n\n"
        "### Exercises\n\nGentle ones.\n\n## When to get help\n\nIf it swells.\n",
    )
    article.reviewer = make_user(display_name="Dr Amal Saad", credentials="MD")
    article.reviewed_on = date(2026, 3, 3)
    article.save()
    Reference.objects.create(
        article=article, number=1, title="Knee pain guide", url="https://nhs.example/knee"
    )
    make_article(title="Hip pain", category=category, tags=["knees"])
    return article


def test_reading_aids_work_under_the_policy(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    toc = page.get_by_role("navigation", name="On this page")
    assert toc.get_by_role("link").all_inner_texts() == [
        "Causes", "What helps", "Exercises", "When to get help",
    ]  # fmt: skip
    assert page.get_by_text("Medically reviewed by Dr Amal Saad, MD on 3 March 2026").is_visible()
    page.locator(".citation a").click()
    page.wait_for_url("**#source-1")
    page.get_by_role("link", name="Back to where source 1 is cited").click()
    page.wait_for_url("**#cite-1")
    assert page.get_by_role("complementary", name="Related articles").is_visible()
    assert page.get_by_role("link", name="Hip pain").is_visible()
    assert page.problems == []


def test_helpful_question_without_javascript(live_server, browser, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_label("Anything we could do better?").fill("A picture of the exercises.")
    page.get_by_role("button", name="No").click()
    page.wait_for_url("**/articles/knee-pain/#helpful-message")
    assert page.get_by_text("Thank you for your feedback.").is_visible()
    page.get_by_role("button", name="Yes").click()
    assert page.get_by_text("You have already told us whether this page helped.").is_visible()
    feedback = Feedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "A picture of the exercises.")
    context.close()

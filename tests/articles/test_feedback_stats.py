"""Readers' answers to "Was this page helpful?" as editors read them in the admin: on an
article's page, in the article list and on the home page, each to those whose role has it."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Feedback
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def answer(article: Article, *, helpful: bool, on: datetime = NOW, comment: str = "") -> None:
    feedback = Feedback.objects.create(article=article, helpful=helpful, comment=comment)
    Feedback.objects.filter(pk=feedback.pk).update(created_at=on)


def answers(article: Article, *, yes: int, no: int) -> None:
    for helpful, count in ((True, yes), (False, no)):
        for _ in range(count):
            answer(article, helpful=helpful)


@pytest.fixture
def editor():
    return make_user(username="ed", role="Editors")


@pytest.fixture
def author():
    return make_user(username="writer", role="Authors")


def panel(response) -> str:
    found = re.search(r'<section class="module feedback-panel".*?</section>', response.text, re.S)
    assert found, "no feedback panel"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def test_an_articles_page_shows_counts_trend_and_comments(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    article = make_article(title="Pacing")
    answers(article, yes=3, no=1)
    answer(article, helpful=False, on=datetime(2026, 3, 20, 9, tzinfo=UTC), comment="Too long.")
    answer(article, helpful=True, on=datetime(2026, 3, 3, 9, tzinfo=UTC), comment="<b>Clear</b>")
    answer(article, helpful=True, on=datetime(2026, 1, 5, 9, tzinfo=UTC))  # before the trend
    client.force_login(editor)
    text = panel(client.get(f"/admin/articles/article/{article.pk}/change/"))

    assert "71% found it helpful : 5 yes, 2 no (7 answers)." in text
    # Week by week, newest first, the oldest stretch of the 30 days shorter.
    dash = "\N{EN DASH}"
    assert (
        f"25 Mar {dash} 31 Mar 3 1 75% 18 Mar {dash} 24 Mar 0 1 0% "
        f"11 Mar {dash} 17 Mar 0 0 no answers 4 Mar {dash} 10 Mar 0 0 no answers "
        f"2 Mar {dash} 3 Mar 1 0 100%"
    ) in text
    # Comments newest first, as typed: never as HTML.
    assert text.index("Too long.") < text.index("&lt;b&gt;Clear&lt;/b&gt;")
    assertContains(
        client.get(f"/admin/articles/article/{article.pk}/change/"),
        f'href="/admin/articles/feedback/?article__id__exact={article.pk}"',
    )
    listed = client.get(f"/admin/articles/feedback/?article__id__exact={article.pk}")
    assertContains(listed, "7 feedback")


def test_the_page_shows_a_bounded_number_of_comments(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    article = make_article()
    for number in range(8):
        answer(article, helpful=False, comment=f"Comment number {number}.")
    client.force_login(editor)
    text = panel(client.get(f"/admin/articles/article/{article.pk}/change/"))
    assert text.count("Comment number") == 5
    assert "All answers about this article (8)" in text


def test_an_article_without_answers_says_so(client, editor):
    article = make_article()
    client.force_login(editor)
    text = panel(client.get(f"/admin/articles/article/{article.pk}/change/"))
    assert "No reader has answered" in text
    assert "No comments yet." in text


def test_the_list_sorts_by_helpful_with_a_fixed_number_of_queries(client, editor):
    low, high, middle, _ = (make_article(title=t) for t in ("Low", "High", "Middle", "None"))
    answers(low, yes=1, no=3)
    answers(high, yes=9, no=1)
    answers(middle, yes=1, no=1)
    client.force_login(editor)
    page = client.get("/admin/articles/article/")
    assertContains(page, "25% of 4 answers")
    assertContains(page, "90% of 10 answers")
    column = page.context["cl"].list_display.index("helpful")

    def titles(order: str) -> list[str]:
        response = client.get("/admin/articles/article/", {"o": order})
        return re.findall(r'<th class="field-title"><a [^>]+>([^<]+)</a>', response.text)

    assert titles(str(column)) == ["Low", "Middle", "High", "None"]
    assert titles(f"-{column}")[1:] == ["High", "Middle", "Low"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/articles/article/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(5):
        answers(make_article(title=f"More {number}"), yes=number, no=1)
    assert queries() == few


def test_authors_see_only_their_own_articles_answers(client, author):
    theirs = make_article(author=author, title="Theirs")
    others = make_article(title="Someone else's")
    answers(theirs, yes=10, no=5)
    answers(others, yes=0, no=12)
    client.force_login(author)
    page = client.get("/admin/articles/article/")
    assertContains(page, "67% of 15 answers")
    assertNotContains(page, "0% of 12 answers")
    # Another author's article is not theirs to open: the admin says it does not exist.
    assert client.get(f"/admin/articles/article/{others.pk}/change/")["Location"] == "/admin/"
    text = panel(client.get(f"/admin/articles/article/{theirs.pk}/change/"))
    assert "67% found it helpful" in text
    assert "All answers about this article" not in text  # the Feedback list is editors'
    home = client.get("/admin/")
    assertContains(home, "Your articles readers found least helpful")
    assertContains(home, "Theirs")
    assertNotContains(home, "Someone else")


def test_the_home_page_lists_the_least_helpful_with_enough_answers(client, editor, settings):
    poor = make_article(title="Poorly explained")
    fine = make_article(title="Well explained")
    few = make_article(title="Hardly read")
    draft = make_article(title="Not public", status=Article.Status.DRAFT)
    answers(poor, yes=2, no=8)
    answers(fine, yes=9, no=1)
    answers(few, yes=0, no=9)
    answers(draft, yes=0, no=10)
    client.force_login(editor)

    home = client.get("/admin/")
    module = re.search(r'id="least-helpful-module">(.*?)</div>', home.text, re.S)
    assert module
    titles = re.findall(r'<a href="/admin/articles/article/(\d+)/change/">([^<]+)</a>', module[1])
    assert titles == [(str(poor.pk), "Poorly explained"), (str(fine.pk), "Well explained")]
    assert "20%" in module[1]

    settings.FEEDBACK_MIN_ANSWERS = 9
    module = re.search(r'id="least-helpful-module">(.*?)</div>', client.get("/admin/").text, re.S)
    assert module
    assert module[1].index("Hardly read") < module[1].index("Poorly explained")

    settings.FEEDBACK_MIN_ANSWERS = 11
    assertContains(client.get("/admin/"), "No published article has 11 answers yet.")


@pytest.mark.parametrize("role", ["Moderators", "Medical reviewers"])
def test_moderators_and_reviewers_get_no_home_panel(client, role):
    answers(make_article(title="Poorly explained"), yes=0, no=10)
    client.force_login(make_user(username="someone", role=role, credentials="MD"))
    home = client.get("/admin/")
    assert home.status_code == 200
    assertNotContains(home, "least-helpful-module")


def test_a_reviewer_reads_the_answers_of_an_article_they_review(client):
    reviewer = make_user(username="drsaad", credentials="MD", role="Medical reviewers")
    article = make_article(title="Knee pain")
    article.category.is_medical = True
    article.category.save()
    article.reviewer = reviewer
    article.save()
    answers(article, yes=1, no=1)
    client.force_login(reviewer)
    text = panel(client.get(f"/admin/articles/article/{article.pk}/change/"))
    assert "50% found it helpful" in text
    moderator = make_user(username="mod", role="Moderators")
    client.force_login(moderator)
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 403

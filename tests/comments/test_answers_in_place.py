"""Reporting and deleting a comment: the report form's choices, and the answer shown where
the reader acted (inside the comments, which the redirect's fragment points at), and links
that say which comment they act on."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, Report
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Walking again", slug="walking-again")


@pytest.fixture
def sam(client):
    user = make_user(username="sam", display_name="Sam Reader")
    client.force_login(user)
    return user


def comments_section(response) -> str:
    found = re.search(r'<section id="comments".*?</section>', response.text, re.S)
    assert found is not None
    return found.group(0)


def top_messages(response) -> str:
    """What the page says above its content (the messages no section claimed)."""
    main = response.text.split('<main id="main"', 1)[1]
    found = re.match(r'[^>]*>\s*<ul class="messages".*?</ul>', main, re.S)
    return found.group(0) if found is not None else ""


def test_the_report_form_offers_each_reason_once_with_none_chosen(client, article, sam):
    comment = make_comment(article=article, body="Stop your tablets")
    page = client.get(f"/comments/{comment.pk}/report/")
    assertNotContains(page, "Select an option")
    radios = re.findall(r'<input type="radio"[^>]*>', page.text)
    assert [re.findall(r'value="([^"]*)"', radio)[0] for radio in radios] == [
        "spam",
        "abuse",
        "misinformation",
        "other",
    ]
    assert not [radio for radio in radios if "checked" in radio]
    # A fieldset named by its question; each radio inside its label, the whole line its target.
    assertContains(
        page, '<legend class="choices__legend">What is wrong with this comment?</legend>', html=True
    )
    labels = re.findall(
        r'<label class="choice"[^>]*>\s*<input type="radio".*?</label>', page.text, re.S
    )
    assert len(labels) == 4
    assert "Medical misinformation" in labels[2]


def test_a_report_without_a_reason_says_so_and_keeps_the_note(client, article, sam):
    comment = make_comment(article=article, body="Stop your tablets")
    response = client.post(
        f"/comments/{comment.pk}/report/", {"note": "It tells people to stop medicine."}
    )
    assert response.status_code == 200
    assertContains(response, "Please choose what is wrong with this comment.")
    assertNotContains(response, "This field is required.")
    assertContains(response, "It tells people to stop medicine.</textarea>")
    assert not Report.objects.exists()
    # The error is tied to the question it answers.
    assertContains(response, 'aria-describedby="report-reason-error"')


def test_the_thanks_for_a_report_shows_inside_the_comments(client, article, sam):
    comment = make_comment(article=article, body="Stop your tablets")
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "misinformation"})
    assert response["Location"] == "/articles/walking-again/#comments-message"
    page = client.get(response["Location"])
    section = comments_section(page)
    assert 'id="comments-message" tabindex="-1"' in section
    assert "Thank you: a moderator will look at this comment." in section
    assert "moderator" not in top_messages(page)
    assert Report.objects.get().reason == "misinformation"


def test_the_deleted_message_shows_inside_the_comments(client, article, sam):
    mine = make_comment(article=article, user=sam, body="Posted too soon")
    response = client.post(f"/comments/{mine.pk}/delete/")
    assert response["Location"] == "/articles/walking-again/#comments-message"
    page = client.get(response["Location"])
    section = comments_section(page)
    assert 'id="comments-message" tabindex="-1"' in section
    assert "Your comment is deleted." in section
    assert top_messages(page) == ""
    assert not Comment.objects.filter(pk=mine.pk, status=Comment.Status.VISIBLE).exists()


def test_each_action_link_names_its_comment(client, article, sam):
    jo = make_user(username="jo", display_name="Jo")
    theirs = make_comment(article=article, user=jo, body="Mine")
    mine = make_comment(article=article, user=sam, body="Yours")
    page = client.get(article.get_absolute_url())
    when = {c.pk: f"{c.created_at:%-d %B %Y, %H:%M}" for c in (theirs, mine)}

    def link_text(href: str) -> str:
        found = re.search(rf'<a href="{href}">(.*?)</a>', page.text, re.S)
        assert found is not None, href
        return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())

    assert link_text(f"/comments/{theirs.pk}/report/") == (
        f"Report the comment by Jo of {when[theirs.pk]}"
    )
    assert link_text(f"/comments/{mine.pk}/edit/") == f"Edit your comment of {when[mine.pk]}"
    assert link_text(f"/comments/{mine.pk}/delete/") == f"Delete your comment of {when[mine.pk]}"
    assert (
        link_text(f"/comments/{theirs.pk}/reply/") == f"Reply to Jo, comment of {when[theirs.pk]}"
    )
    # What shows is the word alone: the rest is for screen readers.
    assertContains(page, ">Report<span\n")


def test_visitors_sending_to_a_closed_article_are_told_it_is_closed(client, article):
    article.comments_closed = True
    article.save()
    response = client.post(f"/comments/articles/{article.pk}/", {"website": "", "body": "Late"})
    assertContains(response, "Comments are closed on this article.", status_code=400)
    assertNotContains(response, "Login is required", status_code=400)
    assert not Comment.objects.exists()


def test_the_search_page_names_its_two_searches_apart(client):
    page = client.get("/search/", {"q": "walking"})
    labels = re.findall(r'role="search"\s+aria-label="([^"]+)"', page.text)
    assert labels == ["Site", "Search by words and topic"]

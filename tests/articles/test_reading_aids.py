"""Reading aids: reading time, table of contents, disclaimer, related articles and
"Was this page helpful?"."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import DISCLAIMER_CACHE_SECONDS, Article, Disclaimer, Feedback
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


# Reading time and table of contents, computed at save.


def test_reading_time_is_stored_and_shown(client):
    article = make_article(body="## Plan\n\n" + "word " * 450)
    assert article.reading_minutes == 3  # 451 words at 200 a minute, rounded up
    assertContains(client.get(article.get_absolute_url()), "3 min read")
    assert make_article(body="Short.").reading_minutes == 1


def test_table_of_contents_from_three_or_more_h2_h3(client):
    article = make_article(
        body="## Why rest\n\nText.\n\n### Sleep &amp; naps\n\nText.\n\n#### Too deep\n\n"
        "## When to *move*\n\nText.\n"
    )
    assert article.toc == [
        {"level": 2, "id": "why-rest", "text": "Why rest"},
        {"level": 3, "id": "sleep-naps", "text": "Sleep & naps"},
        {"level": 2, "id": "when-to-move", "text": "When to move"},
    ]
    response = client.get(article.get_absolute_url())
    assertContains(response, '<h2 id="toc-heading">On this page</h2>', html=True)
    assertContains(
        response,
        '<li class="toc__level-3"><a href="#sleep-naps">Sleep &amp; naps</a></li>',
        html=True,
    )
    assertContains(response, '<h2 id="sleep-naps">', count=0)  # an h3 in the body
    assertContains(response, '<h3 id="sleep-naps">')


def test_no_table_of_contents_with_fewer_than_three_headings(client):
    article = make_article(body="## One\n\nText.\n\n## Two\n\nText.\n")
    assert article.toc == []
    assertNotContains(client.get(article.get_absolute_url()), "On this page")


# The disclaimer.


def test_every_article_shows_the_medical_disclaimer(client):
    for article in (make_article(), make_article(category=make_category())):
        response = client.get(article.get_absolute_url())
        assertContains(response, "This page is general information, not medical advice.")


def test_editors_change_the_disclaimer_in_one_place(client):
    first, second = make_article(), make_article()
    client.get(first.get_absolute_url())  # cached with the old text
    client.force_login(make_user(username="ed", role="Editors"))
    settings_page = client.get("/admin/articles/disclaimer/")["Location"]
    response = client.post(
        settings_page,
        {"text": "Always ask *your own* doctor. <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    client.logout()
    for article in (first, second):
        page = client.get(article.get_absolute_url())
        assertContains(page, "Always ask <em>your own</em> doctor.")
        assertNotContains(page, "not medical advice")
        assertNotContains(page, "<script>alert(1)")


def test_other_server_processes_show_a_new_disclaimer_within_a_minute(
    client, no_page_cache, time_machine
):
    Disclaimer(text="Old wording.").save()
    article = make_article()
    assertContains(client.get(article.get_absolute_url()), "Old wording.")
    # Another server process saves a new text: it empties its own local-memory cache,
    # not this one's.
    Disclaimer.objects.filter(pk=1).update(text="New wording.", text_html="<p>New wording.</p>")
    assertContains(client.get(article.get_absolute_url()), "Old wording.")  # from the cache

    time_machine.move_to(time.time() + DISCLAIMER_CACHE_SECONDS + 1, tick=False)
    page = client.get(article.get_absolute_url())
    assertContains(page, "New wording.")
    assertNotContains(page, "Old wording.")


def test_the_disclaimer_admin_opens_the_one_disclaimer_with_the_text_readers_see(client):
    """A settings page, not a list: no "0 medical disclaimers" while a default shows."""
    client.force_login(make_user(username="ed", role="Editors"))
    response = client.get("/admin/articles/disclaimer/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/disclaimer/1/change/"
    page = client.get(response["Location"])
    assertContains(page, "This page is general information, not medical advice.")
    assertNotContains(page, "Delete")
    assertNotContains(page, 'name="_addanother"')
    assert Disclaimer.objects.get().text == Disclaimer._meta.get_field("text").default
    # Opening it again changes nothing.
    client.get("/admin/articles/disclaimer/")
    assert Disclaimer.objects.count() == 1
    assert client.get("/admin/articles/disclaimer/add/").status_code == 403


def test_authors_cannot_change_the_disclaimer(client):
    client.force_login(make_user(username="writer", role="Authors"))
    assert client.get("/admin/articles/disclaimer/").status_code == 403
    assert client.get("/admin/articles/disclaimer/add/").status_code == 403
    assert not Disclaimer.objects.exists()


# Related articles.


@pytest.fixture
def knee():
    joints = make_category(name="Joints", slug="joints")
    return make_article(title="Knee pain", category=joints, tags=["knees", "exercise", "pain"])


def test_related_articles_by_shared_tags_then_category(client, knee):
    now = timezone.now()
    two_tags = make_article(
        title="Two tags", tags=["knees", "pain"], published_at=now - timedelta(days=9)
    )
    one_tag = make_article(title="One tag", tags=["exercise"], published_at=now - timedelta(days=1))
    same_category = make_article(
        title="Same category", category=knee.category, published_at=now - timedelta(days=2)
    )
    make_article(title="Unrelated", tags=["sleep"])
    make_article(title="Draft relative", tags=["knees"], status=Article.Status.DRAFT)
    make_article(title="Fifth", category=knee.category, published_at=now - timedelta(days=30))

    related = list(Article.objects.related_to(Article.objects.get(pk=knee.pk)))
    assert [article.title for article in related] == [
        two_tags.title,
        one_tag.title,
        same_category.title,
        "Fifth",
    ]
    response = client.get(knee.get_absolute_url())
    assertContains(response, '<h2 id="related-heading">Related articles</h2>', html=True)
    assertContains(response, f'<a href="/articles/{two_tags.slug}/">Two tags</a>', html=True)
    assertNotContains(response, "Unrelated")
    assertNotContains(response, "Draft relative")


def test_no_related_section_when_nothing_is_related(client):
    article = make_article(category=make_category(), tags=["lonely"])
    assertNotContains(client.get(article.get_absolute_url()), "Related articles")


def test_article_page_queries_stay_fixed_with_related_articles(client, knee, no_page_cache):
    alone = make_article(category=make_category(), tags=["alone"])
    for number in range(10):
        make_article(category=knee.category, tags=["knees", f"extra-{number}"])

    def count(article: Article) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    assertContains(client.get(knee.get_absolute_url()), "Related articles")
    assert count(knee) == count(alone) <= 8


# Was this page helpful?


def test_helpful_form_works_without_javascript(client, knee):
    response = client.get(knee.get_absolute_url())
    assertContains(response, f'<form method="post" action="/articles/{knee.slug}/helpful/"')
    assertContains(response, '<button type="submit" name="helpful" value="yes"')
    assertContains(response, '<button type="submit" name="helpful" value="no"')

    response = client.post(
        f"/articles/{knee.slug}/helpful/",
        {"helpful": "no", "comment": "  Say how long the pain lasts.  "},
        follow=True,
    )
    assert response.redirect_chain == [(f"/articles/{knee.slug}/#helpful-message", 302)]
    assertContains(response, "Thank you for your feedback.")
    feedback = Feedback.objects.get()
    assert (feedback.article, feedback.helpful) == (knee, False)
    assert feedback.comment == "Say how long the pain lasts."


def test_one_answer_per_visitor_per_article(client, knee):
    other = make_article(title="Other")
    client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "yes"})
    response = client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "no"}, follow=True)
    assertContains(response, "You have already told us whether this page helped.")
    assert Feedback.objects.filter(article=knee).count() == 1
    assert Feedback.objects.get().helpful is True
    client.post(f"/articles/{other.slug}/helpful/", {"helpful": "yes"})
    assert Feedback.objects.filter(article=other).count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
    ],
    ids=["other-origin", "cross-site", "sibling-site"],
)
def test_answers_forged_from_another_site_are_refused(client, knee, headers):
    response = client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "no"}, headers=headers)
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_answers_from_this_site_are_accepted(client, knee):
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    response = client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "yes"}, headers=headers)
    assert response.status_code == 302
    assert Feedback.objects.get().helpful is True


def test_a_forged_cookie_is_ignored(client, knee):
    client.cookies["helpful"] = f"{knee.pk}"  # unsigned: not ours
    client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "yes"})
    assert Feedback.objects.count() == 1


def test_bad_answer_keeps_the_comment_and_stores_nothing(client, knee):
    response = client.post(
        f"/articles/{knee.slug}/helpful/", {"helpful": "maybe", "comment": "Useful list."}
    )
    assert response.status_code == 400
    assertContains(response, "Please choose Yes or No.", status_code=400)
    assertContains(response, "Useful list.</textarea>", status_code=400)
    long = "x" * 1001
    response = client.post(f"/articles/{knee.slug}/helpful/", {"helpful": "yes", "comment": long})
    assertContains(response, "Please keep the comment to 1,000 characters", status_code=400)
    assert not Feedback.objects.exists()


def test_no_answers_for_unpublished_articles(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.post(f"/articles/{draft.slug}/helpful/", {"helpful": "yes"}).status_code == 404
    assert client.get(f"/articles/{draft.slug}/helpful/").status_code == 405
    assert not Feedback.objects.exists()


def test_editors_read_feedback_in_the_admin(client, knee):
    Feedback.objects.create(article=knee, helpful=False, comment="Needs pictures")
    client.force_login(make_user(role="Editors"))
    response = client.get("/admin/articles/feedback/?helpful__exact=0")
    assertContains(response, "Needs pictures")
    assert client.get("/admin/articles/feedback/add/").status_code == 403

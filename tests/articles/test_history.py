"""Readers' change history of an article, and the "date modified" its JSON-LD and the feeds
share: changes published through pending versions, as editors and reviewers make them."""

import re
from datetime import UTC, date, datetime

import feedparser  # type: ignore[import-untyped]  # ships no type hints or stubs
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial.pending import publish_pending_version, start_pending_version
from articles.editorial.review import approve_version
from articles.editorial.workflow import save_article, submit_for_review
from articles.models import Article
from tests.articles.test_metadata import json_ld
from tests.articles.test_views import count_queries
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

DETAILS = re.compile(r'<details class="change-history">(.*?)</details>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")
# The approved update of 3 March, as the history says it.
UPDATE = "3 March 2025: Updated: New advice on gentle movement · medically reviewed by Dr Amal Saad"


def history_items(response) -> list[str]:
    """The change history's entries as a reader reads them: text only, spaces collapsed."""
    found = DETAILS.search(response.text)
    assert found, "no change history on the page"
    return [" ".join(TAG.sub("", item).split()) for item in ITEM.findall(found.group(1))]


def change(live: Article, *, by, body: str, minor: bool = False, summary: str = "") -> Article:
    """A pending version of `live` with a new body, saved as the admin saves it."""
    pending = start_pending_version(article=live, by=by)
    pending.body = body
    pending.change_summary = summary
    pending.change_kind = Article.ChangeKind.MINOR if minor else Article.ChangeKind.SUBSTANTIVE
    save_article(pending)
    return pending


@pytest.fixture
def people():
    return {
        "author": make_user(username="ana", display_name="Ana Reyes"),
        "editor": make_user(username="ed", role="Editors"),
        "saad": make_user(
            username="drsaad",
            display_name="Dr Amal Saad",
            credentials="MD",
            role="Medical reviewers",
        ),
        "kim": make_user(username="drkim", display_name="Dr Kim", credentials="MD, GP"),
    }


@pytest.fixture
def changed(people, time_machine, no_page_cache):
    """Published on 10 January 2025 (with microseconds), reviewed by Dr Saad; an update she
    approved on 3 March; minor corrections on 5 April and 6 May; a new review by Dr Kim,
    recorded by an editor, on 20 May."""
    medical = make_category(name="Health", slug="health", is_medical=True)
    time_machine.move_to(datetime(2025, 1, 10, 9, 0, 0, 123456, tzinfo=UTC), tick=False)
    article = make_article(
        slug="knee-pain",
        category=medical,
        author=people["author"],
        published_at=datetime(2025, 1, 10, 9, 0, 0, 123456, tzinfo=UTC),
    )
    article.reviewer, article.reviewed_on = people["saad"], date(2025, 1, 9)
    article.save()

    time_machine.move_to(datetime(2025, 3, 3, 14, 30, 15, 654321, tzinfo=UTC), tick=False)
    pending = change(
        article,
        by=people["editor"],
        body="## What helps\n\nGentle movement, then rest.\n\n- Walk\n- Rest\n",
        summary="New advice on gentle movement",
    )
    submit_for_review(article=pending, by=people["author"])
    approve_version(article=pending, by=people["saad"])
    publish_pending_version(pending=pending, by=people["editor"])

    for month, day, body in [(4, 5, "A typo fixed."), (5, 6, "A link fixed.")]:
        time_machine.move_to(datetime(2025, month, day, 11, 0, tzinfo=UTC), tick=False)
        live = Article.objects.get(pk=article.pk)
        pending = change(live, by=people["editor"], body=live.body + f"\n{body}\n", minor=True)
        publish_pending_version(pending=pending, by=people["editor"])

    time_machine.move_to(datetime(2025, 6, 1, 8, 0, tzinfo=UTC), tick=False)
    return Article.objects.get(pk=article.pk)


def test_readers_see_the_change_history_newest_first(client, changed, people):
    response = client.get(changed.get_absolute_url())

    assertContains(response, "<summary", count=1)
    assertContains(response, '<summary class="change-history__toggle">Change history</summary>')
    assert history_items(response) == [
        "2 minor corrections (typos, wording or links): 6 May 2025, 5 April 2025",
        UPDATE,
        "10 January 2025: First published",
    ]
    # The review Dr Saad gave with the update is the article's current one: said once.
    assertContains(response, 'href="/authors/drsaad/">Dr Amal Saad</a>', count=2)  # and byline

    # An editor records a new review: it counts as one of its own.
    changed.reviewer, changed.reviewed_on = people["kim"], date(2025, 5, 20)
    changed.save()
    items = history_items(client.get(changed.get_absolute_url()))
    assert items[0] == "20 May 2025: Medically reviewed by Dr Kim"
    assert items[1:] == [
        "2 minor corrections (typos, wording or links): 6 May 2025, 5 April 2025",
        UPDATE,
        "10 January 2025: First published",
    ]


def test_history_dates_are_machine_readable_without_microseconds(client, changed):
    found = DETAILS.search(client.get(changed.get_absolute_url()).text)
    assert found is not None
    details = found.group(1)
    stamps = re.findall(r'<time datetime="([^"]+)">', details)
    assert stamps == [
        "2025-05-06T11:00:00+00:00",
        "2025-04-05T11:00:00+00:00",
        "2025-03-03T14:30:15+00:00",
        "2025-01-10T09:00:00+00:00",
    ]
    for stamp in stamps:
        datetime.fromisoformat(stamp)  # valid, and (as listed) without a fraction


def test_review_known_only_by_its_date_is_dated_by_day(client, people):
    article = make_article(slug="plain", author=people["author"])
    article.reviewer, article.reviewed_on = people["kim"], date(2025, 2, 1)
    article.save()
    response = client.get("/articles/plain/")
    assertContains(response, '<time datetime="2025-02-01">1 February 2025</time>', count=3)
    # Newest first: the review came before the article was published (a day ago).
    assert history_items(response)[1:] == ["1 February 2025: Medically reviewed by Dr Kim"]
    assert history_items(response)[0].endswith("First published")


def test_update_marked_without_a_log_entry_still_shows(client, people):
    article = make_article(
        slug="plain", author=people["author"], published_at=datetime(2025, 1, 2, tzinfo=UTC)
    )
    Article.objects.filter(pk=article.pk).update(
        substantively_updated_at=datetime(2025, 2, 3, 10, 0, 0, 5, tzinfo=UTC)
    )
    items = history_items(client.get("/articles/plain/"))
    assert items[0] == "3 February 2025: Updated"
    assert items[-1].endswith("First published")


def test_one_minor_correction_is_singular(client, people, time_machine):
    editor = people["editor"]
    article = make_article(slug="plain", author=people["author"])
    publish_pending_version(
        pending=change(article, by=editor, body=article.body + "\nFixed.\n", minor=True),
        by=editor,
    )
    response = client.get("/articles/plain/")
    assertContains(response, "1 minor correction (typos, wording or links):")
    assertNotContains(response, "Updated")


def test_json_ld_says_when_the_page_changed_and_who_reviewed_it(client, changed, people):
    changed.reviewer, changed.reviewed_on = people["kim"], date(2025, 5, 20)
    changed.save()
    page = json_ld(client.get(changed.get_absolute_url()))["@graph"][0]
    assert page["@type"] == "MedicalWebPage"
    # The last change published: the minor correction of 6 May, not the review after it.
    assert datetime.fromisoformat(page["dateModified"]) == datetime(2025, 5, 6, 11, tzinfo=UTC)
    assert page["lastReviewed"] == "2025-05-20"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Kim",
        "url": "http://testserver/authors/drkim/",
        "jobTitle": "MD, GP",
    }


def test_reviewed_article_outside_medical_categories_puts_the_review_on_its_page(client, people):
    article = make_article(slug="plain", author=people["author"])
    article.reviewer, article.reviewed_on = people["kim"], date(2025, 2, 1)
    article.save()
    node = json_ld(client.get("/articles/plain/"))["@graph"][0]
    # schema.org gives lastReviewed and reviewedBy to a WebPage, not an Article.
    assert node["@type"] == "Article"
    assert "reviewedBy" not in node
    assert node["mainEntityOfPage"] == {
        "@type": "WebPage",
        "url": "http://testserver/articles/plain/",
        "lastReviewed": "2025-02-01",
        "reviewedBy": {
            "@type": "Person",
            "name": "Dr Kim",
            "url": "http://testserver/authors/drkim/",
            "jobTitle": "MD, GP",
        },
    }


def test_feed_entry_is_updated_when_the_page_changed(client, changed):
    response = client.get("/feeds/atom/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert datetime.fromisoformat(entry.updated) == datetime(2025, 5, 6, 11, tzinfo=UTC)
    assert datetime.fromisoformat(entry.updated) == changed.modified_at
    assert datetime.fromisoformat(entry.published) == changed.published_at


def test_history_costs_the_article_page_no_query(client, changed, people):
    plain = make_article(slug="plain", category=changed.category, author=people["author"])
    plain.reviewer, plain.reviewed_on = people["saad"], date(2025, 1, 9)
    plain.save()
    assert len(changed.change_log) == 3
    assert count_queries(client, changed.get_absolute_url()) == count_queries(
        client, plain.get_absolute_url()
    )

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from articles.models import Article, Category
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="English stemming needs PostgreSQL full-text search"
)


def result_titles(response) -> list[str]:
    return re.findall(r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>', response.text)


def test_ranks_title_matches_above_summary_above_body(client):
    make_article(title="Eating well", summary="Meals.", body="Some words about fatigue here.")
    make_article(title="Daily life", summary="Managing fatigue at home.", body="Plan the day.")
    make_article(title="Fatigue after illness", summary="Why it lasts.", body="Rest matters.")
    response = client.get("/search/", {"q": "fatigue"})
    assert response.status_code == 200
    assert result_titles(response) == ["Fatigue after illness", "Daily life", "Eating well"]


def test_finds_tags_and_category_names(client):
    sleep = make_category(name="Sleep", slug="sleep")
    make_article(title="Evening routines", category=sleep, body="Wind down slowly.")
    make_article(title="Stairs at home", tags=["balance"], body="Hold the rail.")
    assert result_titles(client.get("/search/", {"q": "sleep"})) == ["Evening routines"]
    assert result_titles(client.get("/search/", {"q": "balance"})) == ["Stairs at home"]


def test_only_published_articles_are_found(client):
    make_article(title="Hydration basics")
    make_article(title="Hydration draft", status=Article.Status.DRAFT)
    assert result_titles(client.get("/search/", {"q": "hydration"})) == ["Hydration basics"]


def test_every_word_must_match(client):
    make_article(title="Knee pain and walking")
    make_article(title="Knee surgery")
    assert result_titles(client.get("/search/", {"q": "knee walking"})) == ["Knee pain and walking"]


@on_postgresql
def test_english_stemming_finds_other_forms_of_a_word(client):
    make_article(title="Recovery at home", body="Plans for the weeks after hospital.")
    make_article(title="Unrelated", body="Nothing to see.")
    assert result_titles(client.get("/search/", {"q": "recovering"})) == ["Recovery at home"]


def test_snippet_highlights_the_match_and_escapes_the_text(client):
    make_article(
        title="Night-time waking",
        body="Many people wake at night. <b>Bold</b> claims aside, a dark quiet room helps "
        "most people settle back to sleep within twenty minutes.",
    )
    response = client.get("/search/", {"q": "quiet"})
    found = re.search(r'<p class="summary__text snippet">(.*?)</p>', response.text, re.S)
    assert found is not None
    snippet = found.group(1)
    assert "<mark>quiet</mark>" in snippet
    # The body's own markup is text here (the Markdown renderer kept <b> as HTML, the
    # snippet shows its words); nothing but <mark> is a tag.
    assert re.findall(r"<(\w+)", snippet) == ["mark"]


def test_a_query_cannot_inject_markup(client):
    make_article(title="Safe search", body="Searching <script> text is safe.")
    response = client.get("/search/", {"q": '<script>alert("x")</script> safe'})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; safe")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two"),
        ("   ", "Type a word or two"),
        ("x" * 201, "Please shorten your search to 200 characters."),
        ("?!... ;;", "Please search with words or numbers, not only punctuation."),
        ("睡眠", "No article matches “睡眠”"),
        ("zzzzqqq", "No article matches “zzzzqqq”"),
    ],
    ids=["empty", "spaces", "too-long", "punctuation", "non-latin", "no-match"],
)
def test_odd_queries_get_a_calm_answer(client, query, message):
    make_article(title="Anything at all")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assertContains(response, message)
    assertNotContains(response, "Anything at all")


def test_non_latin_words_can_be_found(client):
    make_article(title="Про сон", body="Советы для хорошего сна.")
    assert result_titles(client.get("/search/", {"q": "сон"})) == ["Про сон"]


def test_non_latin_words_are_found_whatever_their_case(client):
    make_article(title="Про Сон", body="Советы для хорошего отдыха.")
    make_article(title="Über Schlaf", body="Ruhe hilft.")
    assert result_titles(client.get("/search/", {"q": "сон"})) == ["Про Сон"]
    assert result_titles(client.get("/search/", {"q": "СОВЕТЫ"})) == ["Про Сон"]
    assert result_titles(client.get("/search/", {"q": "über"})) == ["Über Schlaf"]


def test_every_word_counts_in_the_ranking(client):
    make_article(
        title="Knee pain and walking",
        summary="Why it happens.",
        published_at=timezone.now() - timedelta(days=2),
    )
    make_article(
        title="Knee pain", summary="Walking helps.", published_at=timezone.now() - timedelta(days=1)
    )
    make_article(
        title="Joints", summary="In general.", body="Knee pain eases with walking.",
        published_at=timezone.now(),
    )  # fmt: skip
    response = client.get("/search/", {"q": "knee walking"})
    assert result_titles(response) == ["Knee pain and walking", "Knee pain", "Joints"]


# Renamed categories and tags.


class AdminForm(HTMLParser):
    """The fields of an admin change form, as the browser would send them unchanged."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "checkbox"}:
            self.data[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.data[name] = attrs.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.data[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def change_in_admin(client, url: str, **changes) -> None:
    form = AdminForm(client.get(url).text).data
    form.pop("csrfmiddlewaretoken", None)
    response = client.post(url, {**form, **changes})
    assert response.status_code == 302, response.text


def test_renaming_a_category_updates_search_for_articles_in_and_below_it(client):
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    make_article(title="Pacing after illness", category=recovery, body="Rest.")
    make_article(title="Hand washing", category=health, body="Soap.")
    make_article(title="Unrelated", category=more, body="Other.")
    assert len(result_titles(client.get("/search/", {"q": "health"}))) == 2

    client.force_login(make_user(role="Editors"))
    change_in_admin(client, f"/admin/articles/category/{health.pk}/change/", name="Wellbeing")
    client.logout()
    assert sorted(result_titles(client.get("/search/", {"q": "wellbeing"}))) == [
        "Hand washing",
        "Pacing after illness",
    ]
    assert result_titles(client.get("/search/", {"q": "health"})) == []


def test_renaming_a_tag_in_the_admin_updates_search(client):
    article = make_article(title="Stairs at home", tags=["balance"], body="Hold the rail.")
    make_article(title="Other piece", tags=["sleep"])
    tag = article.tags.get()
    client.force_login(make_user(role="Editors"))
    # A reader has the page, cached, before the rename.
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert reader.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    change_in_admin(client, f"/admin/taggit/tag/{tag.pk}/change/", name="Steadiness")
    assert result_titles(reader.get("/search/", {"q": "steadiness"})) == ["Stairs at home"]
    assert result_titles(reader.get("/search/", {"q": "balance"})) == []
    assertContains(reader.get(article.get_absolute_url()), "Steadiness")


def test_deleting_a_tag_in_the_admin_updates_search(client):
    make_article(title="Stairs at home", tags=["balance"], body="Hold the rail.")
    tag = Tag.objects.get(name="balance")
    client.force_login(make_user(role="Editors"))
    response = client.post(f"/admin/taggit/tag/{tag.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.text
    client.logout()
    assert result_titles(client.get("/search/", {"q": "balance"})) == []


def test_merging_tags_in_the_admin_updates_search(client):
    make_article(title="Stairs at home", tags=["balance"], body="Hold the rail.")
    make_article(title="Standing up slowly", tags=["dizziness", "balance"], body="Sit first.")
    make_article(title="Grab rails", tags=["steadiness"], body="Fit them early.")
    make_article(title="Other piece", tags=["sleep"])
    selected = Tag.objects.filter(name__in=["balance", "dizziness"]).values_list("pk", flat=True)
    client.force_login(make_user(role="Editors"))

    response = client.post(
        "/admin/taggit/tag/",
        {"action": "render_tag_form", "_selected_action": list(selected)},
    )
    assert response["Location"] == "/admin/taggit/tag/merge-tags/"
    response = client.post(response["Location"], {"new_tag_name": "steadiness"})
    assert response.status_code == 302, response.text
    client.logout()

    assert sorted(result_titles(client.get("/search/", {"q": "steadiness"}))) == [
        "Grab rails",
        "Stairs at home",
        "Standing up slowly",
    ]
    assert result_titles(client.get("/search/", {"q": "balance"})) == []
    assert result_titles(client.get("/search/", {"q": "dizziness"})) == []
    assert sorted(Article.objects.get(title="Standing up slowly").tags.names()) == ["steadiness"]


def test_only_those_who_may_change_tags_can_merge_them(client):
    make_article(title="Stairs at home", tags=["balance", "dizziness"])
    selected = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]
    client.force_login(make_user(role="Authors"))  # they may see tags, not change them

    assertNotContains(client.get("/admin/taggit/tag/"), "Merge selected tags")
    client.post("/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": selected})
    session = client.session
    session["selected_tag_ids"] = ",".join(selected)  # as if the action had let them
    session.save()
    assert client.get("/admin/taggit/tag/merge-tags/").status_code == 403
    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "steadiness"})
    assert response.status_code == 403
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["balance", "dizziness"]
    assert sorted(Article.objects.get().tags.names()) == ["balance", "dizziness"]


def test_filter_by_category_includes_sub_categories(client):
    more = make_category(name="More", slug="more")
    health = make_category(name="Health", slug="health", parent=more)
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    other = make_category(name="Other", slug="other")
    make_article(title="Pacing in recovery", category=recovery)
    make_article(title="Pacing elsewhere", category=other)
    response = client.get("/search/", {"q": "pacing", "category": "more/health"})
    assert result_titles(response) == ["Pacing in recovery"]
    assertContains(response, '<option value="more/health" selected>— Health</option>')


def test_the_choice_of_topics_follows_changes_to_categories(client):
    more = make_category(name="More", slug="more")
    make_category(name="Health", slug="health", parent=more)
    assertContains(client.get("/search/"), '<option value="more/health">— Health</option>')

    # The list is cached; adding or renaming a category shows in it all the same.
    make_category(name="Hearing", slug="hearing", parent=more)
    health = Category.objects.get(path="more/health")
    health.name = "Wellbeing"
    health.save()
    response = client.get("/search/", {"q": "ears", "category": "more/hearing"})
    assertContains(response, '<option value="more/hearing" selected>— Hearing</option>')
    assertContains(response, '<option value="more/health">— Wellbeing</option>')
    assertNotContains(response, "— Health<")
    # The list cached first, unfiltered, is made again too.
    response = client.get("/search/")
    assertContains(response, '<option value="more/hearing">— Hearing</option>')
    assertContains(response, '<option value="more/health">— Wellbeing</option>')
    assertNotContains(response, "— Health<")


def test_results_are_paginated_and_empty_pages_are_404(client):
    for number in range(12):
        make_article(title=f"Walking plan {number}")
    first = client.get("/search/", {"q": "walking"})
    assert len(result_titles(first)) == 10
    assertContains(first, 'href="?q=walking&amp;page=2"')
    assert len(result_titles(client.get("/search/", {"q": "walking", "page": 2}))) == 2
    assert client.get("/search/", {"q": "walking", "page": 3}).status_code == 404


def test_pages_of_results_follow_on_with_every_article_once(client):
    author = make_user(username="ines", display_name="Inès Moreau")
    for number in range(12):
        make_article(title=f"Walking plan {number}", body="A short walking plan.", author=author)
    first = client.get("/search/", {"q": "walking"})
    second = client.get("/search/", {"q": "walking", "page": 2})
    # Equal ranks: newest first, each page with its articles' authors and snippets.
    assert result_titles(first) + result_titles(second) == [
        f"Walking plan {number}" for number in range(12)
    ]
    for page in (first, second):
        assertContains(page, "Inès Moreau")
        assertContains(page, "<mark>")


def test_equal_results_keep_one_order_across_pages(client):
    # Equal rank and publish time: the newest row first, the same order on both pages.
    moment = timezone.now() - timedelta(days=1)
    articles = [make_article(title=f"Rowing plan {n}", published_at=moment) for n in range(12)]
    titles = result_titles(client.get("/search/", {"q": "rowing"})) + result_titles(
        client.get("/search/", {"q": "rowing", "page": 2})
    )
    assert titles == [article.title for article in reversed(articles)]


def test_header_has_a_search_box(client):
    response = client.get("/")
    assertContains(
        response,
        '<form class="site-search" method="get" action="/search/" role="search"\n'
        '              aria-label="Site">',
    )
    assertContains(
        response, '<label for="site-search-q" class="visually-hidden">Search articles</label>'
    )


def test_search_queries_do_not_grow_with_results(client, no_page_cache):
    make_article(title="Balance one", tags=["balance"])
    with CaptureQueriesContext(connection) as one:
        client.get("/search/", {"q": "balance"})
    for number in range(15):
        make_article(title=f"Balance {number}", tags=["balance", "falls"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/search/", {"q": "balance"})
    assert len(result_titles(response)) == 10
    assert len(many) == len(one) <= 3


def test_snippets_start_at_a_whole_word(client):
    filler = "Walking every morning helps many people feel steadier and stronger. " * 6
    make_article(title="Routine", body=filler + "A quiet evening stroll also counts.")
    response = client.get("/search/", {"q": "stroll"})
    found = re.search(r'<p class="summary__text snippet">(.*?)</p>', response.text, re.S)
    assert found is not None
    snippet = found.group(1)
    assert "<mark>stroll</mark>" in snippet
    first_word = snippet.removeprefix("…").split()[0]
    assert first_word in filler.split()

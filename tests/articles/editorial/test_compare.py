"""Two versions side by side: what changed, marked word by word, with names for ids; and
the pending version beside its live article in the admin, as editors and authors see it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial.compare import NOTHING, Change, compare_contents
from articles.editorial.pending import start_pending_version
from articles.models import Article, Reference
from images.models import Image
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def content(**fields) -> dict:
    """A version's content as content_of() gives it: `fields` over a short article."""
    return {
        **NOTHING,
        "title": "Sleeping well",
        "slug": "sleeping-well",
        "summary": "How to sleep.",
        "body": "## What helps\n\nRest, fluids and patience.\n",
        "category_id": None,
        **fields,
    }


def source(number: int, **fields) -> dict:
    return {
        "number": number,
        "title": f"Trial {number}",
        "publisher": "",
        "year": None,
        "url": f"https://example.org/{number}",
        "doi": "",
        "pubmed_id": "",
        **fields,
    }


def by_label(changes: list[Change]) -> dict[str, Change]:
    return {change.label: change for change in changes}


def cells(change: Change) -> list[tuple[str, str, str, str]]:
    """Each row's (left kind, left HTML, right kind, right HTML), "" for a side with none."""
    return [
        (
            row.left.kind if row.left else "",
            str(row.left.html) if row.left else "",
            row.right.kind if row.right else "",
            str(row.right.html) if row.right else "",
        )
        for row in change.rows
    ]


# What the comparison holds.


def test_only_the_fields_that_differ_are_compared():
    assert compare_contents(content(), content()) == []
    changes = compare_contents(content(), content(summary="How to sleep better."))
    assert [change.label for change in changes] == ["Summary"]


def test_changed_words_are_marked_within_the_line():
    old = content(body="Rest, water and a lot of patience.\n")
    new = content(body="Rest, fluids and patience.\n")
    [body] = compare_contents(old, new)
    [(left_kind, left, right_kind, right)] = cells(body)
    assert (left_kind, right_kind) == ("changed", "changed")
    assert "<del>water</del>" in left
    assert re.search(r"<del>a lot of\s*</del>", left)
    assert right == "Rest, <ins>fluids</ins> and patience."
    assert "<ins>" not in left and "<del>" not in right


def test_words_changed_side_by_side_are_marked_as_one_change():
    old = content(summary="You should sleep well at night, every night.")
    new = content(summary="You should eat more at night, every night.")
    [summary] = compare_contents(old, new)
    [(_, left, _, right)] = cells(summary)
    assert left == "You should <del>sleep well</del> at night, every night."
    assert right == "You should <ins>eat more</ins> at night, every night."


def test_a_line_unlike_the_old_one_is_removed_and_added_not_marked_word_by_word():
    old = content(body="Nothing alike at all.\n")
    new = content(body="Totally different words here.\n")
    [body] = compare_contents(old, new)
    assert cells(body) == [
        ("removed", "Nothing alike at all.", "added", "Totally different words here.")
    ]


def test_lines_only_removed_or_only_added_have_nothing_on_the_other_side():
    old = content(body="One.\nTwo.\nThree.\n")
    new = content(body="One.\nThree.\nFour.\n")
    [body] = compare_contents(old, new)
    assert cells(body) == [
        ("same", "One.", "same", "One."),
        ("removed", "Two.", "", ""),
        ("same", "Three.", "same", "Three."),
        ("", "", "added", "Four."),
    ]


def test_user_text_is_escaped_and_only_the_marks_are_html():
    old_title, new_title = "Sleep <b>well</b> & rest", "Sleep <script>alert(1)</script> & rest"
    [title] = compare_contents(content(title=old_title), content(title=new_title))
    [(_, left, _, right)] = cells(title)
    assert "<script" not in right and "<b>" not in left
    assert set(re.findall(r"</?\w+", left + right)) == {"<del", "</del", "<ins", "</ins"}
    assert re.sub(r"</?(del|ins)>", "", left) == escape(old_title)
    assert re.sub(r"</?(del|ins)>", "", right) == escape(new_title)


def test_unchanged_runs_of_more_than_three_lines_are_collapsed():
    lines = [f"Line {number}." for number in range(1, 11)]
    old = content(body="\n".join(lines))
    new = content(body="\n".join([*lines[:8], "Line nine, changed.", *lines[9:]]))
    [body] = compare_contents(old, new)
    assert [row.skipped for row in body.rows] == [8, 0, 0]
    assert body.rows[1].left and body.rows[1].left.html == "Line <del>9</del>."
    assert body.rows[2].left and body.rows[2].left.html == "Line 10."
    # Three unchanged lines are shown as they are.
    short = compare_contents(content(body="a\nb\nc\nold"), content(body="a\nb\nc\nnew"))[0]
    assert [row.skipped for row in short.rows] == [0, 0, 0, 0]


def test_a_version_never_approved_shows_everything_as_added():
    new = content(tags=["sleep"], references=[source(1)])
    changes = compare_contents(None, new)
    labels = [change.label for change in changes]
    # No category, hero image: nothing there to show.
    assert labels == ["Title", "Address", "Summary", "Body", "Tags", "Sources"]
    for change in changes:
        assert all(row.left is None and row.right for row in change.rows), change.label
        assert {row.right.kind for row in change.rows if row.right} == {"added"}
    assert cells(by_label(changes)["Body"])[0][3] == "## What helps"


def test_tags_show_as_removed_and_added_names():
    changes = compare_contents(content(tags=["rest", "sleep"]), content(tags=["insomnia", "sleep"]))
    assert cells(by_label(changes)["Tags"]) == [
        ("removed", "rest", "", ""),
        ("", "", "added", "insomnia"),
    ]


def test_sources_are_compared_by_number():
    old = [source(1), source(2), source(3, year=2019)]
    new = [source(1), source(2, title="Trial 2, updated"), source(4)]
    changes = compare_contents(content(references=old), content(references=new))
    rows = cells(by_label(changes)["Sources"])
    assert rows == [
        (
            "changed",
            "[2] Trial 2. https://example.org/2",
            "changed",
            "[2] Trial 2<ins>, updated</ins>. https://example.org/2",
        ),
        ("removed", "[3] Trial 3. 2019. https://example.org/3", "", ""),
        ("", "", "added", "[4] Trial 4. https://example.org/4"),
    ]


def test_category_and_hero_image_by_name_one_query_each(django_assert_num_queries):
    health = make_category(name="Health", slug="health")
    sleep = make_category(name="Sleep", parent=health)
    rest = make_category(name="Rest")
    old_image = Image.objects.create(file="images/a.jpg", alt_text="A bed", width=1, height=1)
    new_image = Image.objects.create(file="images/b.jpg", alt_text="<A> pillow", width=1, height=1)
    old = content(category_id=rest.pk, hero_image_id=old_image.pk)
    new = content(category_id=sleep.pk, hero_image_id=new_image.pk)
    with django_assert_num_queries(2):
        changes = by_label(compare_contents(old, new))
    assert cells(changes["Category"]) == [("removed", "Rest", "added", "Sleep (Health)")]
    assert cells(changes["Hero image"]) == [
        ("removed", f"#{old_image.pk} A bed", "added", f"#{new_image.pk} &lt;A&gt; pillow")
    ]
    # A picture taken out of the library since, or no picture at all.
    gone = compare_contents(content(hero_image_id=old_image.pk + 100), content())
    assert cells(gone[0]) == [
        ("removed", f"#{old_image.pk + 100} (no longer in the library)", "", "")
    ]


# The pending version beside its live article, in the admin.


def live_article(*, author, sources: int = 1, tags: int = 1) -> Article:
    article = make_article(
        title="Sleeping well",
        body="## What helps\n\nRest, fluids and patience.\n\n- Sleep\n- Water\n",
        author=author,
        category=make_category(name="Sleep"),
        tags=[f"tag {number}" for number in range(tags)],
    )
    Reference.objects.bulk_create(
        Reference(
            article=article, number=number, title=f"Trial {number}", url=f"https://e.org/{number}"
        )
        for number in range(1, sources + 1)
    )
    return article


def changed_pending_version(live: Article, *, by) -> Article:
    """The live article's pending version with its body, category, tags and every source
    changed in the database."""
    version = start_pending_version(article=live, by=by)
    version.body = version.body.replace("fluids", "water")
    version.category = make_category(name="Rest")
    version.save()
    version.tags.set(["new tag"])
    version.references.update(title="Trial, updated")
    return version


def test_an_editor_sees_the_pending_changes_beside_the_live_text(client, editor, author):
    live = live_article(author=author)
    version = changed_pending_version(live, by=editor)
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assert response.status_code == 200
    assertContains(response, f'href="/admin/articles/article/{version.pk}/preview/"')
    assertContains(response, "Preview the pending version")
    assertContains(response, f'href="/admin/articles/article/{live.pk}/preview/"')
    assertContains(response, "Preview the live version")
    html = response.text
    tables = re.findall(r'<table class="side-by-side">.*?</table>', html, re.S)
    captions = []
    for table in tables:
        caption = re.search(r"<caption>(.*?)</caption>", table)
        assert caption is not None
        captions.append(caption.group(1))
    assert captions == ["Body", "Category", "Tags", "Sources"]
    for table in tables:
        headings = re.findall(r'<th scope="col">(.*?)</th>', table)
        assert headings == ["Live", "Pending"]
    body = tables[0]
    assert "Rest, <del>fluids</del> and patience." in body
    assert "Rest, <ins>water</ins> and patience." in body
    assert '<span class="visually-hidden">Changed:</span>' in body
    category, tags, sources = tables[1:]
    assert re.search(
        r'visually-hidden">Removed:</span>\s*<span class="side-by-side__text">Sleep<', category
    )
    assert re.search(
        r'visually-hidden">Added:</span>\s*<span class="side-by-side__text">Rest<', category
    )
    assert re.search(r'Removed:</span>\s*<span class="side-by-side__text">tag 0<', tags)
    assert re.search(r'Added:</span>\s*<span class="side-by-side__text">new tag<', tags)
    assert "[1] Trial<del> 1</del>. https://e.org/1" in sources
    assert "[1] Trial<ins>, updated</ins>. https://e.org/1" in sources


def test_the_live_articles_text_is_escaped_on_the_page(client, editor, author):
    live = live_article(author=author)
    version = start_pending_version(article=live, by=editor)
    version.title = "Sleeping <script>alert('well')</script>"
    version.save()
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assertNotContains(response, "<script>alert")
    assertContains(response, "&lt;script&gt;alert(&#x27;well&#x27;)&lt;/script&gt;")


def test_the_same_content_says_so(client, editor, author):
    version = start_pending_version(article=live_article(author=author), by=editor)
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assertNotContains(response, '<table class="side-by-side">')
    assertContains(response, "The pending version has the same text, sources and tags")


def test_an_author_sees_their_own_pending_changes_and_no_one_elses(client, editor, author):
    version = changed_pending_version(live_article(author=author), by=author)
    client.force_login(author)
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assertContains(response, "<del>fluids</del>")
    client.force_login(make_user(role="Authors"))
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assert response.status_code == 403


def test_only_a_pending_version_has_a_comparison(client, editor, author):
    live = live_article(author=author)
    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{live.pk}/changes/").status_code == 404
    assert client.get("/admin/articles/article/999999/changes/").status_code == 404


def test_readers_are_sent_to_sign_in(client, editor, author):
    version = start_pending_version(article=live_article(author=author), by=editor)
    response = client.get(f"/admin/articles/article/{version.pk}/changes/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_comparison_reads_as_many_queries_for_many_sources_and_tags(
    client, editor, author, django_assert_max_num_queries
):
    few = changed_pending_version(live_article(author=author, sources=1, tags=1), by=editor)
    many = changed_pending_version(live_article(author=author, sources=15, tags=15), by=editor)
    client.force_login(editor)
    client.get(f"/admin/articles/article/{few.pk}/changes/")  # sessions, content types
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/admin/articles/article/{few.pk}/changes/").status_code == 200
    with django_assert_max_num_queries(len(queries)):
        response = client.get(f"/admin/articles/article/{many.pk}/changes/")
    assertContains(response, "[15] Trial<ins>, updated</ins>")
    assert len(queries) <= 12

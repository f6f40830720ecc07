import importlib
import re
from collections import Counter
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from pytest_django.asserts import assertContains

from articles.markdown import render_markdown
from articles.models import Article
from tests.factories import make_article, make_comment, make_user


def test_markdown_structure_is_kept():
    html = render_markdown(
        "## Getting started\n\nWalk *a little* each day.\n\n- Morning\n- Evening\n\n"
        "> Go gently.\n\n| Day | Minutes |\n|---|---|\n| 1 | 5 |\n\n"
        "[Guide](https://example.org/guide)\n"
    )
    assert '<h2 id="getting-started">Getting started</h2>' in html
    assert "<em>a little</em>" in html
    assert "<li>Morning</li>" in html
    assert "<blockquote>" in html
    assert "<td>5</td>" in html
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">Guide</a>' in html


def test_heading_ids_are_stable_and_h1_becomes_h2():
    first = render_markdown("# Plan\n\n## Rest and sleep\n")
    second = render_markdown("# Plan\n\n## Rest and sleep\n")
    assert first == second
    assert '<h2 id="plan">Plan</h2>' in first
    assert '<h2 id="rest-and-sleep">Rest and sleep</h2>' in first
    assert "<h1" not in first


def test_dangerous_html_does_not_survive():
    html = render_markdown(
        "Hello\n\n<script>alert('x')</script>\n\n"
        '<img src="pic.png" onerror="alert(1)" alt="A chart">\n\n'
        "[click](javascript:alert(1))\n\n"
        '<a href="JaVaScRiPt:alert(1)">again</a>\n\n'
        '<iframe src="https://example.org/embed"></iframe>\n\n'
        '<p style="color:red" onclick="alert(2)">styled</p>\n'
    )
    lowered = html.lower()
    assert "<script" not in lowered
    assert "alert('x')" not in html
    assert "onerror" not in lowered
    assert "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered
    assert "style=" not in lowered
    # The harmless parts stay.
    assert '<img src="pic.png" alt="A chart">' in html
    assert "styled" in html


def test_body_is_rendered_once_at_save(db):
    article = make_article(body="## Before\n\nText.")
    assert '<h2 id="before">Before</h2>' in article.body_html
    article.body = "## After\n\n<script>bad()</script>"
    article.save()
    article.refresh_from_db()
    assert '<h2 id="after">After</h2>' in article.body_html
    assert "script" not in article.body_html


def test_body_headings_never_take_an_id_the_page_uses(client, db):
    body = (
        "## Start small\n\nText [1].\n\n## Comments\n\n## Comments\n\n# Main\n\n## Helpful\n\n"
        "## Comment form\n\n## Cite 1\n\n## Source 1\n\n"
        '<h2 id="comment-form">Raw heading</h2>\n\n<h3 id="start-small">Raw again</h3>\n'
    )
    article = make_article(body=body)
    comment = make_comment(article=article)
    article.body = f"{body}\n## Comment {comment.pk}\n"
    article.save()
    reader = make_user()
    client.force_login(reader)

    response = client.get(article.get_absolute_url())

    ids = re.findall(r'\sid="([^"]+)"', response.text)
    assert [anchor for anchor, seen in Counter(ids).items() if seen > 1] == []
    for anchor in [
        "main",
        "comments",
        "comment-form",
        "helpful",
        "cite-1",
        f"comment-{comment.pk}",
    ]:
        assert anchor in ids
    # Ordinary headings keep the ids they always had; the others get a suffix.
    assert re.findall(r'<h[23] id="([^"]+)"', article.body_html) == [
        "start-small",
        "comments_1",
        "comments_2",
        "main_1",
        "helpful_1",
        "comment-form_1",
        "cite-1_1",
        "source-1_1",
        "comment-form_2",
        "start-small_1",
        f"comment-{comment.pk}_1",
    ]
    assertContains(response, '<a href="#comments_1">Comments</a>', html=True)


def test_migration_fixes_heading_ids_of_bodies_saved_before(db):
    migration = importlib.import_module("articles.migrations.0016_heading_ids")
    article = make_article(body="## Comments\n\n## Rest\n\n## Sleep\n")
    old_html = '<h2 id="comments">Comments</h2>\n<h2 id="rest">Rest</h2>\n<h2 id="sleep">Sleep</h2>'
    Article.objects.filter(pk=article.pk).update(body_html=old_html, toc=[])

    # The function reads only the connection from its schema editor.
    migration.unclash_stored_heading_ids(apps, SimpleNamespace(connection=connection))

    article.refresh_from_db()
    assert article.body_html == old_html.replace('id="comments"', 'id="comments_1"')
    assert [entry["id"] for entry in article.toc] == ["comments_1", "rest", "sleep"]

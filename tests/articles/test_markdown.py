from articles.markdown import render_markdown
from tests.factories import make_article


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

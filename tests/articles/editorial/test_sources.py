"""Numbered sources: [n] marks in the body, the Sources list, the admin inline and the
link checker (run against a local server, never the internet)."""

import http.server
import re
import socket
import threading
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.markdown import render_markdown
from articles.models import Article, Reference
from tests.articles.editorial.admin_forms import admin_form
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def make_reference(*, article: Article, number: int, **fields) -> Reference:
    fields.setdefault("title", f"Source {number}")
    fields.setdefault("url", f"https://example.org/{number}")
    return Reference.objects.create(article=article, number=number, **fields)


# The marks in the body.


def test_citations_link_to_their_source_with_stable_ids():
    body = "Rest helps [1]. So does water [2], as [1] says.\n\n`[3]` and [a [4]](https://x.org)"
    html = render_markdown(body)
    assert html == render_markdown(body)
    assert '<sup class="citation"><a href="#source-1" id="cite-1">[1]</a></sup>' in html
    assert '<a href="#source-2" id="cite-2">[2]</a>' in html
    assert '<a href="#source-1" id="cite-1-2">[1]</a>' in html
    assert "<code>[3]</code>" in html
    assert "[4]</a>" in html and "source-4" not in html


def test_citation_marks_cannot_be_forged_into_markup():
    html = render_markdown('<sup id="x" onclick="y">[1]</sup> <a href="#" id="z">[2]</a>')
    assert "onclick" not in html
    assert 'id="x"' not in html
    assert 'id="z"' not in html


# The page.


def test_page_ends_with_numbered_sources(client):
    article = make_article(body="Walking helps [1]. Sleep too [2].")
    make_reference(
        article=article,
        number=2,
        title="Sleep and recovery",
        publisher="The Lancet",
        year=2024,
        doi="10.1016/S0140-6736(24)00001-1",
        pubmed_id="38000001",
        accessed_on=date(2026, 10, 1),
    )
    make_reference(article=article, number=1, title="Walking guide", url="https://nhs.example/walk")
    response = client.get(article.get_absolute_url())
    assertContains(response, '<h2 id="sources-heading">Sources</h2>', html=True)
    text = response.text
    assert text.index('id="source-1"') < text.index('id="source-2"')
    assertContains(response, '<a href="#source-2" id="cite-2">[2]</a>', html=True)
    assertContains(
        response,
        '<a href="https://nhs.example/walk" rel="noopener noreferrer">Walking guide</a>',
        html=True,
    )
    assertContains(response, "The Lancet, 2024.")
    assertContains(response, 'href="https://doi.org/10.1016/S0140-6736(24)00001-1"')
    assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/38000001/"')
    assertContains(response, 'Accessed <time datetime="2026-10-01">1 October 2026</time>')
    assertContains(response, 'href="#cite-1"')


def test_no_sources_section_without_references(client):
    assertNotContains(client.get(make_article().get_absolute_url()), "Sources")


def test_article_page_queries_do_not_grow_with_references(client, no_page_cache):
    none = make_article()
    many = make_article()
    for number in range(1, 16):
        make_reference(article=many, number=number)

    def count(article: Article) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    assert count(many) == count(none) <= 8


# The admin.


def reference_rows(*rows: dict) -> dict:
    data = {"references-TOTAL_FORMS": str(len(rows)), "references-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"references-{index}-{name}": value for name, value in row.items()})
    return data


def test_author_adds_references_inline(client):
    writer = make_user(role="Authors")
    article = make_article(author=writer, body="Claim [1].", status=Article.Status.DRAFT)
    client.force_login(writer)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            **admin_form(article),
            **reference_rows(
                {
                    "number": "1",
                    "title": "Exercise after illness",
                    "publisher": "BMJ",
                    "year": "2023",
                    "url": "https://bmj.example/ex",
                    "doi": "10.1136/bmj.p1234",
                    "pubmed_id": "37000001",
                    "accessed_on": "2026-11-01",
                }
            ),
        },
    )
    assert response.status_code == 302, response.text
    reference = article.references.get()
    assert reference.title == "Exercise after illness"
    assert reference.doi == "10.1136/bmj.p1234"


def test_body_citing_a_missing_reference_is_refused(client):
    editor = make_user(role="Editors")
    # A draft: a live article's text changes in a pending version, through the same form.
    article = make_article(body="Old text.", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            **admin_form(article, body="New claim [1] and [3]."),
            **reference_rows({"number": "1", "title": "One", "url": "https://a.example/"}),
        },
    )
    assertContains(response, "The body cites [3] but no reference has that number.")
    article.refresh_from_db()
    assert article.body == "Old text."
    assert not Reference.objects.exists()


def test_bad_doi_and_pubmed_id_are_refused(client):
    editor = make_user(role="Editors")
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            **admin_form(article),
            **reference_rows(
                {
                    "number": "1",
                    "title": "One",
                    "url": "https://a.example/",
                    "doi": "doi.org/abc",
                    "pubmed_id": "PMID12",
                }
            ),
        },
    )
    assertContains(response, "A DOI looks like 10.1000/xyz123.")
    assertContains(response, "A PubMed id is a number")
    assert not Reference.objects.exists()


# The link checker, against a server on this machine.


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path in {"/ok", "/no-head"} else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(settings):
    # A server on this machine stands in for the sources' websites: the checker, which
    # refuses internal addresses, is let through to this one.
    settings.LINK_CHECKER_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_check_references_lists_and_stores_broken_links(local_server, capsys):
    article = make_article(title="Knee pain")
    ok = make_reference(article=article, number=1, url=f"{local_server}/ok")
    no_head = make_reference(article=article, number=2, url=f"{local_server}/no-head")
    moved = make_reference(article=article, number=3, url=f"{local_server}/moved")
    missing = make_reference(article=article, number=4, url=f"{local_server}/missing")
    down = make_reference(article=article, number=5, url=f"http://127.0.0.1:{closed_port()}/")
    archived = make_article(status=Article.Status.ARCHIVED)
    skipped = make_reference(article=archived, number=1, url=f"{local_server}/missing")

    with pytest.raises(CommandError, match="2 broken of 5 reference"):
        call_command("check_references", timeout=5)
    output = capsys.readouterr().out
    assert f"Knee pain [4] {local_server}/missing: 404" in output
    assert re.search(r"Knee pain \[5\] http://127\.0\.0\.1:\d+/: unreachable", output)
    assert "[1]" not in output and "[2]" not in output and "[3]" not in output

    for reference in (ok, no_head, moved, missing, down, skipped):
        reference.refresh_from_db()
    assert (ok.link_ok, no_head.link_ok, moved.link_ok) == (True, True, True)
    assert (missing.link_ok, down.link_ok) == (False, False)
    assert missing.check_result.startswith("404")
    assert ok.checked_at is not None
    assert skipped.checked_at is None


def test_check_references_passes_when_all_links_work(local_server, capsys):
    make_reference(article=make_article(), number=1, url=f"{local_server}/ok")
    call_command("check_references")
    assert "0 broken of 1 reference(s) checked." in capsys.readouterr().out


def test_editors_filter_broken_references_in_the_admin(client):
    article = make_article()
    make_reference(article=article, number=1, title="Fine source", link_ok=True)
    make_reference(article=article, number=2, title="Dead source", link_ok=False)
    client.force_login(make_user(role="Editors"))
    response = client.get("/admin/articles/reference/?link_ok__exact=0")
    assertContains(response, "Dead source")
    assertNotContains(response, "Fine source")

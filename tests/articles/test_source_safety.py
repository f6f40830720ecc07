"""Sources' addresses cannot make the link checker ask inside our network.

Real HTTP servers on this machine stand in for websites: one that the checker is let
through to (on 127.0.0.2, as LINK_CHECKER_ALLOWED_NETWORKS allows), and an "internal" one
on 127.0.0.1 that must never be asked.
"""

import http.server
import threading

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.editorial.sources import MAX_REDIRECTS, check_url
from articles.models import Article, Reference
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


class RecordingServer(http.server.ThreadingHTTPServer):
    """Answers as `routes` say (path -> status, Location), and keeps every path asked."""

    routes: dict[str, tuple[int, str | None]]
    asked: list[str]


class Recording(http.server.BaseHTTPRequestHandler):
    server: RecordingServer

    def do_HEAD(self):
        self.server.asked.append(self.path)
        status, location = self.server.routes.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def start_server():
    servers = []

    def start(host: str, routes: dict):
        server = RecordingServer((host, 0), Recording)
        server.routes, server.asked = routes, []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def internal(start_server):
    """A service inside the network, on loopback: the checker must never reach it."""
    return start_server("127.0.0.1", {})


@pytest.fixture
def website(settings, start_server, internal):
    """A "public" website (the one address the checker is allowed to ask here) whose
    pages redirect: to a page of its own, to the internal service, and to itself forever."""
    settings.LINK_CHECKER_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    internal_url = f"http://127.0.0.1:{internal.server_address[1]}/secret"
    server = start_server(
        "127.0.0.2",
        {
            "/moved": (301, "/ok"),
            "/to-internal": (302, internal_url),
            "/to-localhost": (307, f"http://localhost:{internal.server_address[1]}/secret"),
            "/loop": (302, "/loop"),
        },
    )
    return f"http://127.0.0.2:{server.server_address[1]}", server


def reference(url: str, number: int = 1) -> Reference:
    # Stored as an old row may hold it: written before the model refused such addresses.
    return Reference.objects.create(
        article=make_article(title=f"Article {url}"), number=number, title="Source", url=url
    )


def test_a_redirect_into_the_network_is_refused_and_never_followed(website, internal):
    base, server = website
    ok = reference(f"{base}/moved")
    inward = reference(f"{base}/to-internal")
    by_name = reference(f"{base}/to-localhost")
    with pytest.raises(CommandError, match="2 broken of 3"):
        call_command("check_references", timeout=5)
    for row in (ok, inward, by_name):
        row.refresh_from_db()
    assert ok.link_ok is True
    assert inward.link_ok is False and inward.check_result.startswith("refused: 127.0.0.1 is")
    assert by_name.link_ok is False and by_name.check_result.startswith("refused: localhost is")
    assert internal.asked == []
    assert "/ok" in server.asked


def test_internal_addresses_stored_before_are_refused_without_asking(internal):
    port = internal.server_address[1]
    rows = [
        reference(f"http://127.0.0.1:{port}/", 1),
        reference(f"http://localhost:{port}/", 2),
        reference(f"http://[::1]:{port}/", 3),
        reference("//127.0.0.1/page", 4),
    ]
    with pytest.raises(CommandError, match="4 broken of 4"):
        call_command("check_references", timeout=5)
    for row in rows:
        row.refresh_from_db()
        assert row.link_ok is False and row.check_result.startswith("refused:"), row.url
    assert internal.asked == []


def test_redirects_are_followed_a_bounded_number_of_times(website):
    base, server = website
    assert check_url(f"{base}/loop", timeout=5) == (
        False,
        f"refused: more than {MAX_REDIRECTS} redirects",
    )
    assert server.asked.count("/loop") == MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.5"],
        ["192.168.1.20"],
        ["169.254.169.254"],
        ["fd00:ec2::254"],
        ["100.64.0.1"],
        ["224.0.0.1"],
        ["240.0.0.1"],
        ["0.0.0.0"],
        ["::ffff:127.0.0.1"],
        # One public address beside an internal one is still refused: either may be used.
        ["93.184.215.14", "10.0.0.5"],
    ],
)
def test_a_name_that_resolves_inside_the_network_is_refused(addresses):
    asked = []

    def resolve(host: str, port: int) -> list[str]:
        # The seam for name resolution: no name here resolves to such addresses.
        asked.append((host, port))
        return addresses

    works, result = check_url("https://sources.example/page", timeout=5, resolve=resolve)
    assert not works
    assert result.startswith("refused: sources.example is an internal address")
    assert asked == [("sources.example", 443)]


@pytest.mark.parametrize(
    "url",
    [
        "//127.0.0.1/page",
        "ftp://example.org/file",
        "javascript:alert(1)",
        "http://127.0.0.1/admin",
        "http://[::1]:8000/",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[fd00:ec2::254]/",
    ],
)
def test_sources_take_only_public_web_addresses(client, url):
    author = make_user(role="Authors")
    article = make_article(author=author, status=Article.Status.DRAFT)
    client.force_login(author)
    response = client.post(
        reverse("admin:articles_reference_add"),
        {"article": article.pk, "number": 1, "title": "A source", "url": url},
    )
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert url.split(":")[0] in response.text  # what was typed stays in the form
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://www.nhs.uk/x", "https://www.nhs.uk/x"),
        # Without a scheme the address is made absolute, never stored as typed.
        ("//www.nhs.uk/x", "https://www.nhs.uk/x"),
    ],
)
def test_a_public_web_address_is_accepted(client, typed, stored):
    author = make_user(role="Authors")
    article = make_article(author=author, status=Article.Status.DRAFT)
    client.force_login(author)
    response = client.post(
        reverse("admin:articles_reference_add"),
        {"article": article.pk, "number": 1, "title": "NHS", "url": typed},
    )
    assert response.status_code == 302
    assert Reference.objects.get().url == stored

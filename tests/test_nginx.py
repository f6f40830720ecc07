"""deploy/nginx/healthsite.conf, run for real: Debian's nginx in front of gunicorn running
the site with DEBUG off, both started by scripts/nginx-test-server on spare ports. Pictures
and photos are uploaded here as the site stores them, then fetched through nginx."""

import gzip
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from images.models import Image
from tests.factories import make_user
from tests.test_object_storage import jpeg

ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
HOST = "health.example.org"
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-test-secret-key-that-is-long-and-random-enough-5f2c9d1e8b7a6f4e3d",
    "DJANGO_ALLOWED_HOSTS": HOST,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_STATIC_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def server(static_root: Path, media_root: Path) -> Iterator[dict]:
    if not NGINX.exists():
        if os.environ.get("HEALTHSITE_REQUIRE_NGINX"):
            pytest.fail(f"{NGINX} is missing and HEALTHSITE_REQUIRE_NGINX is set.")
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx); .ci/run installs it.")
    # gunicorn gets a database of its own: what it serves here touches none.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "scripts/nginx-test-server", "--static", str(static_root),
         "--media", str(media_root)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    assert line, f"scripts/nginx-test-server stopped (exit status {process.wait()})"
    yield json.loads(line)
    process.stdin.close()  # the script stops both servers and removes its folder
    process.wait(timeout=30)


@pytest.fixture
def media(settings, media_root: Path) -> Path:
    """What the site uploads goes where nginx serves /media/ from."""
    settings.MEDIA_ROOT = media_root
    return media_root


def tls(server: dict) -> ssl.SSLContext:
    """Trusting the server's own self-signed certificate (reached at 127.0.0.1)."""
    context = ssl.create_default_context(cafile=Path(server["prefix"], "conf", "cert.pem"))
    context.check_hostname = False
    return context


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes


def get(server: dict, path: str, **headers: str) -> Response:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", server["https"], context=tls(server), timeout=10
    )
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    answer = Response(status=response.status, headers=response.headers, body=response.read())
    connection.close()
    return answer


def gunicorn_saw(server: dict, path: str, *, within: float = 2) -> bool:
    """Whether gunicorn's access log names `path`, waiting a moment: it writes the line
    once the response has gone, so just after the client has it."""
    deadline = time.monotonic() + within
    while path not in Path(server["gunicorn_access_log"]).read_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def assert_served_as_media(response: Response, *, body: bytes, content_type: str) -> None:
    assert response.status == 200
    assert response.body == body
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_library_pictures_are_served_from_the_media_folder(client, server, media):
    client.force_login(make_user(role="Editors"))
    response = client.post(
        "/admin/images/image/add/",
        {"upload": SimpleUploadedFile("walk.jpg", jpeg()), "alt_text": "A walk by the river"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    webp = next(r for r in image.renditions if r["format"] == "webp")
    assert webp["name"].startswith("images/renditions/")
    for name, content_type in ((webp["name"], "image/webp"), (image.file.name, "image/jpeg")):
        url = image.file.storage.url(name)
        assert url.startswith("/media/")
        assert_served_as_media(
            get(server, url), body=(media / name).read_bytes(), content_type=content_type
        )
        assert not gunicorn_saw(server, url)


def test_an_avatar_is_served_from_the_media_folder(client, server, media):
    user = make_user()
    client.force_login(user)
    photo = SimpleUploadedFile("me.jpg", jpeg((600, 600)))
    response = client.post(
        "/accounts/profile/", {"display_name": "Ada", "bio": "", "avatar": photo}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert_served_as_media(
        get(server, user.avatar.url),
        body=(media / user.avatar.name).read_bytes(),
        content_type="image/webp",
    )


def test_hashed_static_files_are_immutable_and_the_others_cached_an_hour(server, static_root):
    hashed = json.loads((static_root / "staticfiles.json").read_text())["paths"]["css/site.css"]
    response = get(server, f"/static/{hashed}")
    assert response.status == 200
    assert response.body == (static_root / hashed).read_bytes()
    assert response.headers["Content-Type"] == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The gzip copy collectstatic wrote, sent as it is.
    compressed = get(server, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.body) == response.body

    plain = get(server, "/static/css/site.css")
    assert plain.status == 200
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    assert not gunicorn_saw(server, "/static/")


def test_media_never_runs_as_a_page_and_folders_are_not_listed(server, media_root):
    page = b"<html><script>alert(document.cookie)</script></html>"
    (media_root / "avatars").mkdir(exist_ok=True)
    for name in ("avatars/page.html", "avatars/drawing.svg", "avatars/run.js"):
        (media_root / name).write_bytes(page)
        assert_served_as_media(
            get(server, f"/media/{name}"), body=page, content_type="application/octet-stream"
        )
    listing = get(server, "/media/avatars/")
    assert listing.status == 403
    assert b"page.html" not in listing.body


def test_pages_reach_gunicorn_with_the_host_and_https(server):
    # Without Host the site would refuse the request (400), without X-Forwarded-Proto it
    # would redirect to HTTPS forever (301).
    response = get(server, "/healthz")
    assert (response.status, response.body) == (200, b"ok")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert gunicorn_saw(server, "GET /healthz")

    plain = http.client.HTTPConnection("127.0.0.1", server["http"], timeout=10)
    plain.request("GET", "/healthz", headers={"Host": HOST})
    redirect = plain.getresponse()
    assert (redirect.status, redirect.headers["Location"]) == (301, f"https://{HOST}/healthz")


def test_a_stalled_upload_is_ended_by_nginx_and_never_reaches_gunicorn(server):
    """A POST whose body stops arriving: nginx buffers bodies, so gunicorn's sync worker
    never waits for it; after client_body_timeout (10 s) nginx ends it with 408 and closes
    the connection."""
    context = tls(server)
    with (
        socket.create_connection(("127.0.0.1", server["https"]), timeout=30) as raw,
        context.wrap_socket(raw, server_hostname=HOST) as connection,
    ):
        connection.sendall(
            f"POST /accounts/login/?stalled HTTP/1.1\r\nHost: {HOST}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            "username=ada".encode()
        )
        started = time.monotonic()
        assert connection.recv(1024) == b""  # closed by nginx, nothing else said
        waited = time.monotonic() - started
    assert 9 <= waited < 15, waited
    assert not gunicorn_saw(server, "/accounts/login/?stalled")
    nginx_log = Path(server["prefix"], "logs", "access.log").read_text()
    assert '"POST /accounts/login/?stalled HTTP/1.1" 408' in nginx_log

    # The same request, whole, does reach it: the check above can see one.
    whole = http.client.HTTPSConnection("127.0.0.1", server["https"], context=context)
    whole.request("POST", "/accounts/login/?whole", body="username=ada", headers={"Host": HOST})
    assert whole.getresponse().status == 403  # no CSRF token: Django's own answer
    assert gunicorn_saw(server, "/accounts/login/?whole")


def test_anonymous_pages_are_micro_cached_and_signed_in_ones_pass_through(server):
    first = get(server, "/search/?q=micro-cache")
    assert first.status == 200
    assert first.headers["X-Cache-Status"] == "MISS"
    assert "X-Accel-Expires" not in first.headers  # for nginx only
    assert "stale-while-revalidate=30" in first.headers["Cache-Control"]
    second = get(server, "/search/?q=micro-cache")
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.body == first.body
    log = Path(server["gunicorn_access_log"]).read_text()
    assert log.count("/search/?q=micro-cache") == 1  # the second never reached gunicorn
    signed_in = get(server, "/search/?q=micro-cache", Cookie="sessionid=abc123")
    assert signed_in.headers["X-Cache-Status"] == "BYPASS"
    assert gunicorn_saw(server, "/search/?q=micro-cache") and (
        Path(server["gunicorn_access_log"]).read_text().count("/search/?q=micro-cache") == 2
    )


def test_pages_the_site_keeps_to_itself_are_never_kept(server):
    # The sign-in page sets a CSRF cookie and is excluded from the page cache: not kept.
    for _ in range(2):
        response = get(server, "/accounts/login/")
        assert response.status == 200
        assert response.headers["X-Cache-Status"] in {"MISS", "EXPIRED"}


def test_html_is_compressed_on_the_way_out(server):
    plain = get(server, "/search/?q=compressed")
    compressed = get(server, "/search/?q=compressed", **{"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert gzip.decompress(compressed.body) == plain.body
    assert len(compressed.body) < len(plain.body) / 2

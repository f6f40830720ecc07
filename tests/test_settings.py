"""Production settings, checked in a separate process: settings are read once, at start-up."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-test-secret-key-that-is-long-and-random-enough-5f2c9d1e8b7a6f4e3d",
    "DJANGO_ALLOWED_HOSTS": "health.example.org",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_without_secrets(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["check"], **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_deploy_check_reports_nothing_with_production_settings():
    result = run(["check", "--deploy", "--fail-level", "DEBUG"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PROBE = """
import json
from django.templatetags.static import static
from django.test import Client
client = Client(HTTP_HOST="health.example.org")
plain = client.get("/favicon.ico")
secure = client.get("/favicon.ico", headers={"X-Forwarded-Proto": "https"})
css = client.get(
    static("css/site.css"),
    headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"},
)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "secure_location": secure.get("Location", ""),
    "hsts": secure.get("Strict-Transport-Security", ""),
    "css_url": static("css/site.css"),
    "css_status": css.status_code,
    "css_encoding": css.get("Content-Encoding", ""),
    "css_cache": css.get("Cache-Control", ""),
}))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> str:
    root = str(tmp_path_factory.mktemp("static"))
    result = run(["collectstatic", "--no-input"], **PRODUCTION, DJANGO_STATIC_ROOT=root)
    assert result.returncode == 0, result.stderr
    return root


def test_collected_static_files_have_hashed_compressed_names(static_root):
    css = [path.name for path in Path(static_root, "css").iterdir()]
    hashed = [name for name in css if name.startswith("site.") and name.endswith(".css")]
    assert len(hashed) == 2  # site.css and site.<hash>.css
    assert any(name.endswith(".css.gz") for name in css)
    assert any(name.endswith(".css.br") for name in css)


def probe(static_root: str, **env: str) -> dict:
    result = run(["shell", "-c", PROBE], **PRODUCTION, DJANGO_STATIC_ROOT=static_root, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_to_https_and_sends_hsts(static_root):
    seen = probe(static_root)
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://health.example.org/favicon.ico"
    # Behind the proxy, X-Forwarded-Proto says the visitor used HTTPS: no redirect loop,
    # just the icon's own redirect to its hashed static file.
    assert seen["secure_status"] == 301
    assert re.fullmatch(r"/static/img/favicon\.[0-9a-f]{12}\.svg", seen["secure_location"])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_static_files_are_compressed_and_cached_for_ever(static_root):
    seen = probe(static_root)
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", seen["css_url"])
    assert seen["css_status"] == 200
    assert seen["css_encoding"] == "br"
    assert seen["css_cache"] == "max-age=315360000, public, immutable"


def test_https_redirect_can_be_turned_off_for_a_local_production_run(static_root):
    seen = probe(static_root, DJANGO_SECURE_SSL_REDIRECT="0")
    # Served over plain HTTP: straight to the hashed icon, no detour through HTTPS.
    assert seen["plain_status"] == 301
    assert re.fullmatch(r"/static/img/favicon\.[0-9a-f]{12}\.svg", seen["plain_location"])


def test_production_without_redis_warns_that_limits_are_per_process():
    without = run(["check"], **PRODUCTION, REDIS_URL="")
    assert without.returncode == 0, without.stderr
    assert "REDIS_URL is not set: comment limits" in without.stderr
    with_redis = run(["check"], **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/15")
    assert with_redis.returncode == 0, with_redis.stderr
    assert "REDIS_URL is not set" not in with_redis.stderr

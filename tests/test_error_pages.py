"""The 500 page says something true: that the people in ADMINS were sent the details when
there are any (and they are), or only that the error is in the log when there are none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import path

import healthsite.urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def broken(request):
    raise RuntimeError("A fault in a view")


# The site's own URLs and 500 handler, with one page that fails.
urlpatterns = [path("broken/", broken), *healthsite.urls.urlpatterns]
handler500 = healthsite.urls.handler500


@pytest.fixture
def site_with_a_broken_page(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_with_no_admins_the_page_does_not_say_anyone_was_told(site_with_a_broken_page, settings):
    settings.ADMINS = []
    response = site_with_a_broken_page.get("/broken/")
    assert response.status_code == 500
    assert "We have been told" not in response.text
    assert "The people who run the site have been sent the details" not in response.text
    assert "It is\n          recorded in the site's log." in response.text
    assert mail.outbox == []


def test_with_admins_they_are_emailed_and_the_page_says_so(site_with_a_broken_page, settings):
    settings.ADMINS = ["Ada Okafor <ada@example.org>", "ops@example.org"]
    response = site_with_a_broken_page.get("/broken/")
    assert response.status_code == 500
    assert "The people who run the site have been sent the details." in response.text
    [message] = mail.outbox
    assert message.to == ["Ada Okafor <ada@example.org>", "ops@example.org"]
    assert "/broken/" in message.subject
    assert "A fault in a view" in message.body


def admins_from(value: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ADMINS)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "healthsite.settings", "DJANGO_ADMINS": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "admins"),
    [
        ("", "[]"),
        (
            '"Okafor, Ada" <ada@example.org>, ops@example.org',
            "['\"Okafor, Ada\" <ada@example.org>', 'ops@example.org']",
        ),
    ],
)
def test_admins_are_read_from_the_environment(value, admins):
    result = admins_from(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == admins


def test_a_value_that_is_not_addresses_stops_start_up():
    result = admins_from("Ada Okafor")
    assert result.returncode != 0
    assert "DJANGO_ADMINS must be email addresses such as" in result.stderr

"""From an article's "create an account" back to its comment form: the page the reader came
from is carried through sign-up, the confirmation link and sign-in; only this site's paths."""

import io
import re

import pytest
from django.core import mail
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.test import TestCase
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import make_article

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "quiet-river-morning-71"
HIDDEN_NEXT = '<input type="hidden" name="next" value="/articles/walking-again/#comment-form">'


def sign_up(client, next_path=None, **overrides):
    data = {
        "username": "newreader",
        "email": "new.reader@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    if next_path is not None:
        data["next"] = next_path
    # Committed, as on the site: the confirmation email goes out once the account is saved.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/accounts/signup/", data)


def confirmation_path() -> str:
    found = re.search(r"http://testserver(/\S+)", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_from_an_article_back_to_its_comment_form(client):
    article = make_article(title="Walking again", slug="walking-again")
    page = client.get(article.get_absolute_url())
    back = "/articles/walking-again/%23comment-form"
    assertContains(page, f'href="/accounts/signup/?next={back}">create an account</a>')

    form = client.get(f"/accounts/signup/?next={back}")
    assertContains(
        form, '<input type="hidden" name="next" value="/articles/walking-again/#comment-form">'
    )
    assertRedirects(
        sign_up(client, "/articles/walking-again/#comment-form"), "/accounts/signup/done/"
    )

    confirmed = client.get(confirmation_path())
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/accounts/login/?next={back}"
    login = client.get(confirmed["Location"])
    assertContains(login, "your email address is confirmed")
    assertContains(
        login, '<input type="hidden" name="next" value="/articles/walking-again/#comment-form">'
    )

    signed_in = client.post(
        "/accounts/login/",
        {
            "username": "newreader",
            "password": GOOD_PASSWORD,
            "next": "/articles/walking-again/#comment-form",
        },
    )
    assert signed_in["Location"] == "/articles/walking-again/#comment-form"
    assertContains(client.get("/articles/walking-again/"), 'name="body"')


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "evil"],
)
def test_only_paths_on_this_site_are_followed(client, target):
    form = client.get("/accounts/signup/", {"next": target})
    assert 'name="next"' not in form.text
    sign_up(client, target)
    confirmed = client.get(confirmation_path())
    assert confirmed["Location"] == "/accounts/login/"


def test_a_weak_password_is_reported_under_password(client):
    response = sign_up(client, password1="newreader", password2="newreader")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["password1"]
    assert "password2" not in form.errors
    assertContains(response, "too similar to the username")
    assertContains(response, 'value="newreader"')


def test_the_console_prints_the_confirmation_link_whole(client):
    sign_up(client)
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages(mail.outbox)
    assert f"http://testserver{confirmation_path()}" in stream.getvalue()

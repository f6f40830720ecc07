import re
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import TestCase
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from mailqueue.models import FailedEmail
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "quiet-river-morning-71"


def post_and_commit(client, path: str, data=None, **extra):
    """A POST whose transaction commits, as on the site: the emails it queues (healthsite.mail)
    go out, and each test's transaction would otherwise hold them."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data or {}, **extra)


def sign_up(client, **overrides):
    data = {
        "username": "newreader",
        "email": "New.Reader@Example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    return post_and_commit(client, "/accounts/signup/", data)


def link_in(message) -> str:
    link = re.search(r"http://testserver(/\S+)", message.body)
    assert link is not None
    return link.group(1)


def test_sign_up_confirm_and_sign_in(client):
    response = sign_up(client)
    assertRedirects(response, "/accounts/signup/done/")
    user = User.objects.get(username="newreader")
    assert user.email == "new.reader@example.com"
    assert not user.email_confirmed
    assert user.check_password(GOOD_PASSWORD)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.reader@example.com"]
    assert "Confirm your email" in mail.outbox[0].subject
    confirm_url = link_in(mail.outbox[0])

    response = client.get(confirm_url, follow=True)
    assertContains(response, "your email address is confirmed")
    user.refresh_from_db()
    assert user.email_confirmed

    response = client.post("/accounts/login/", {"username": "newreader", "password": GOOD_PASSWORD})
    assertRedirects(response, "/")
    assertContains(client.get("/"), "Signed in as newreader")


def test_unconfirmed_user_can_sign_in_and_ask_for_a_new_link(client):
    sign_up(client)
    mail.outbox.clear()
    client.post("/accounts/login/", {"username": "newreader", "password": GOOD_PASSWORD})
    profile = client.get("/accounts/profile/")
    assertContains(profile, "not confirmed yet")

    response = post_and_commit(client, "/accounts/confirm/resend/", follow=True)
    assertContains(response, "We sent a new link to new.reader@example.com")
    assert len(mail.outbox) == 1
    client.get(link_in(mail.outbox[0]))
    assert User.objects.get(username="newreader").email_confirmed

    mail.outbox.clear()
    response = client.post("/accounts/confirm/resend/", follow=True)
    assertContains(response, "Your email address is already confirmed.")
    assert mail.outbox == []


def test_signed_in_visitors_are_sent_from_sign_up_to_their_profile(client):
    client.force_login(make_user())
    assertRedirects(client.get("/accounts/signup/"), "/accounts/profile/")
    response = sign_up(client, username="second", email="second@example.com")
    assertRedirects(response, "/accounts/profile/")
    assert not User.objects.filter(username="second").exists()


def test_confirmation_link_expires_and_cannot_be_forged(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    later = time.time() + timedelta(days=4).total_seconds()
    with time_machine.travel(later, tick=False):
        response = client.get(link)
    assert response.status_code == 400
    assertContains(response, "invalid or has expired", status_code=400)
    assert client.get(link[:-3] + "abc/").status_code == 400
    assert not User.objects.get(username="newreader").email_confirmed


def test_taken_username_or_email_gets_the_same_answer(client):
    make_user(username="taken", email="taken@example.com")
    fresh = sign_up(client, username="someone", email="someone@example.com")
    same_name = sign_up(client, username="TAKEN", email="other@example.com")
    same_email = sign_up(client, username="another", email="Taken@Example.com")
    for response in (fresh, same_name, same_email):
        assertRedirects(response, "/accounts/signup/done/")
    assert User.objects.filter(username__iexact="taken").count() == 1
    assert not User.objects.filter(username="another").exists()

    # Only the owner of the address learns why, by email.
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert 'The username "TAKEN" is taken' in by_address["other@example.com"]
    assert "An account with this email address exists already" in by_address["taken@example.com"]
    assert "/accounts/password_reset/" in by_address["taken@example.com"]


def test_sign_up_errors_keep_what_was_typed(client):
    response = sign_up(client, password1="short", password2="short")
    assert response.status_code == 200
    assertContains(response, "This password is too short")
    assertContains(response, 'value="newreader"')
    assertContains(response, 'value="New.Reader@Example.com"')
    assert not User.objects.exists()
    assert mail.outbox == []


def test_long_passwords_are_accepted(client):
    long_password = "a-very-long-passphrase-" * 5 + "x" * 13
    assert len(long_password) == 128
    sign_up(client, password1=long_password, password2=long_password)
    assert User.objects.get(username="newreader").check_password(long_password)


def test_sign_in_by_email_in_any_case_and_session_key_changes(client):
    make_user(username="ada", email="ada@example.com")
    session = client.session
    session["visited"] = True
    session.save()
    key_before = client.cookies["sessionid"].value
    response = client.post(
        "/accounts/login/", {"username": "ADA@example.com", "password": PASSWORD}
    )
    assertRedirects(response, "/")
    assert client.cookies["sessionid"].value != key_before
    assert client.session["visited"] is True
    assertContains(client.get("/"), "Signed in as ada")


def test_failed_sign_in_does_not_say_which_part_was_wrong(client):
    make_user(username="ada")
    wrong_password = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    no_such_user = client.post("/accounts/login/", {"username": "nobody", "password": "nope"})
    for response in (wrong_password, no_such_user):
        assertContains(response, "Please enter a correct username and password")
    assertContains(wrong_password, 'value="ada"')


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/steal", "//evil.example/", "http://testserver.evil.example/"],
)
def test_sign_in_follows_next_only_within_the_site(client, target):
    make_user(username="ada")
    response = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD, "next": target}
    )
    assertRedirects(response, "/")


def test_sign_in_follows_a_local_next(client):
    make_user(username="ada")
    response = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD, "next": "/more/"}
    )
    assert response["Location"] == "/more/"


def test_sign_out_ends_the_session(client):
    make_user(username="ada")
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    old_session = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = old_session
    assertNotContains(client.get("/"), "Signed in as")


def test_password_reset_is_the_same_for_unknown_addresses(client):
    user = make_user(username="ada", email="ada@example.com")
    known = post_and_commit(client, "/accounts/password_reset/", {"email": "ada@example.com"})
    unknown = post_and_commit(client, "/accounts/password_reset/", {"email": "nobody@example.com"})
    assertRedirects(known, "/accounts/password_reset/done/")
    assertRedirects(unknown, "/accounts/password_reset/done/")
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]

    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assertContains(form, "Choose a new password")
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assertRedirects(done, "/accounts/reset/done/")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    # The link works once.
    assertContains(client.get(link, follow=True), "invalid or has already been used")


def test_password_change(client):
    user = make_user(username="ada")
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assertRedirects(response, "/accounts/password_change/done/")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_sign_up_hashes_the_password_whether_or_not_the_name_is_taken(client):
    # Same work on every path, so the response time does not tell which accounts exist.
    make_user(username="taken", email="taken@example.com")
    for overrides in ({}, {"username": "TAKEN"}, {"email": "Taken@Example.com"}):
        with mock.patch("accounts.registration.make_password", wraps=make_password) as hashing:
            assertRedirects(sign_up(client, **overrides), "/accounts/signup/done/")
        hashing.assert_called_once_with(GOOD_PASSWORD)
    assert User.objects.filter(username="newreader").count() == 1
    assert User.objects.filter(username__iexact="taken").count() == 1


FAILING_MAIL = {"default": {"BACKEND": "tests.mail_backends.FailingEmailBackend"}}


def test_sign_up_survives_a_mail_server_that_is_down(client, settings, caplog):
    settings.MAILERS = FAILING_MAIL
    assertRedirects(sign_up(client), "/accounts/signup/done/")
    user = User.objects.get(username="newreader")
    assert not user.email_confirmed
    assert "Could not send the accounts/email/confirm email" in caplog.text
    # Kept for editors to send again (tests/test_mail_worker.py tries again for real).
    [failed] = FailedEmail.objects.all()
    assert failed.to == "new.reader@example.com"
    assert "Confirm your email" in failed.subject
    assert "Connection unexpectedly closed" in failed.last_error

    # A new link is queued like the first, and kept too while the server is down.
    client.force_login(user)
    response = post_and_commit(client, "/accounts/confirm/resend/", follow=True)
    assertContains(response, "We sent a new link")
    assert FailedEmail.objects.count() == 2

"""Emails as the terminal running `make run` and a mail program see them: links whole, and
the one-click unsubscribe header a plain address."""

import email
import email.policy
import io

import pytest
from django.core import mail
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


def printed(message) -> str:
    """The email as the console backend prints it locally."""
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([message])
    return stream.getvalue()


@pytest.fixture
def reply_mail(client, django_capture_on_commit_callbacks):
    article = make_article(title="Walking again")
    asker = make_user(username="asker", display_name="Zoë Asker")
    top = make_comment(article=article, user=asker, body="Any tips?", notify_replies=True)
    helper = make_user(username="helper", display_name="Renée")
    make_comment(article=make_article(), user=helper)
    client.force_login(helper)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/comments/articles/{article.pk}/",
            {"website": "", "body": "Short walks, every day — café breaks.", "parent": top.pk},
        )
    (message,) = mail.outbox
    return message


def test_the_console_prints_the_unsubscribe_link_whole(reply_mail):
    link = reply_mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert len(link) > 76  # long enough to have been cut before
    text = printed(reply_mail)
    assert link in text
    assert "Content-Transfer-Encoding: 8bit" in text
    # Non-ASCII text reads as itself, not as =C3=A9.
    assert "café breaks" in text


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP], ids=["local", "smtp"])
def test_list_unsubscribe_is_a_plain_address_with_one_click(reply_mail, policy):
    raw = reply_mail.message(policy=policy).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
    link = reply_mail.extra_headers["List-Unsubscribe"].strip("<>")
    # As sent, not RFC 2047 encoded words a mail program would not read as an address.
    assert parsed["List-Unsubscribe"] == f"<{link}>"
    assert link.startswith("http://testserver/comments/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = parsed.get_payload(decode=False)
    assert link in body

"""The mail queue as the site runs it without a worker (the immediate backend, `make run`
and these tests), the failed emails in the admin, and the task settings."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from pytest_django.asserts import assertContains, assertNotContains

from healthsite.mail import deliver_email, send_templated_mail
from mailqueue.models import FailedEmail
from tests.factories import make_user
from tests.test_settings import PRODUCTION, run

pytestmark = pytest.mark.django_db

FAILING_MAIL = {"default": {"BACKEND": "tests.mail_backends.FailingEmailBackend"}}


def sign_up(client, *, username: str = "newreader") -> None:
    password = "quiet-river-morning-71"
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "password1": password,
        "password2": password,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/accounts/signup/", data)


def test_an_email_goes_out_only_if_its_transaction_commits():
    context = {"user": make_user(username="ada"), "link": "https://x.example/", "days": 3}
    with TestCase.captureOnCommitCallbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_templated_mail(
                template="accounts/email/confirm", to="ada@example.com", context=context
            )
            raise RuntimeError("what caused it was not saved")
    assert mail.outbox == []

    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            send_templated_mail(
                template="accounts/email/confirm", to="ada@example.com", context=context
            )
            assert mail.outbox == []  # not before the commit
    [sent] = mail.outbox
    assert "Confirm your email" in sent.subject


def test_a_delivery_run_twice_sends_once():
    def deliver() -> str:
        return deliver_email.call(
            to="ada@example.com", subject="Hello", body="Once.\n", headers={},
            failure="Could not send the hello email", key="0b9f6c8e-6a47-4b57-9f39-4c1e0f3a2d11",
        )  # fmt: skip

    assert deliver() == "sent"
    assert deliver() == "already sent"
    assert len(mail.outbox) == 1


def test_without_a_worker_a_failed_email_is_kept_at_once(client, settings, caplog):
    # The immediate backend cannot wait to try again: the email is kept for editors.
    settings.MAILERS = FAILING_MAIL
    sign_up(client)
    [failed] = FailedEmail.objects.all()
    assert (failed.to, failed.attempts) == ("newreader@example.com", 1)
    assert "Could not send the accounts/email/confirm email after 1 attempt(s)" in caplog.text


def test_editors_send_failed_emails_again_or_delete_them(client, settings):
    settings.MAILERS = FAILING_MAIL
    sign_up(client, username="first")
    sign_up(client, username="second")
    first, second = (
        FailedEmail.objects.get(to=f"{name}@example.com") for name in ("first", "second")
    )
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    client.force_login(make_user(role="Editors"))
    listing = client.get("/admin/mailqueue/failedemail/")
    assertContains(listing, "first@example.com")
    assertContains(listing, "Connection unexpectedly closed")
    assertNotContains(listing, "/admin/mailqueue/failedemail/add/")  # only the queue adds them
    assertContains(
        client.get(f"/admin/mailqueue/failedemail/{first.pk}/change/"), "Confirm your email"
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/admin/mailqueue/failedemail/",
            {"action": "send_again", "_selected_action": [first.pk]},
            follow=True,
        )
    assertContains(response, "1 email(s) queued again")
    [sent] = mail.outbox
    assert sent.to == ["first@example.com"]
    # Its key went with it: the same email cannot be sent twice now.
    assert deliver_email.call(
        to=sent.to[0], subject=str(sent.subject), body=str(sent.body), headers={}, failure="",
        key=str(first.key),
    ) == "already sent"  # fmt: skip

    client.post(
        "/admin/mailqueue/failedemail/",
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert not FailedEmail.objects.exists()
    assert len(mail.outbox) == 1


def test_only_editors_see_failed_emails(client):
    client.force_login(make_user(role="Authors"))
    assert client.get("/admin/mailqueue/failedemail/").status_code == 403
    client.force_login(make_user(role="Moderators"))
    assert client.get("/admin/mailqueue/failedemail/").status_code == 403


PROBE = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.tasks.backends.immediate.ImmediateBackend"),
        (PRODUCTION, "django_tasks_db.DatabaseBackend"),
        ({"TASKS_BACKEND": "database"}, "django_tasks_db.DatabaseBackend"),
        (
            {**PRODUCTION, "TASKS_BACKEND": "immediate"},
            "django.tasks.backends.immediate.ImmediateBackend",
        ),
    ],
    ids=["local", "production", "local-with-a-worker", "production-without-one"],
)
def test_tasks_run_in_process_locally_and_by_a_worker_in_production(env, backend):
    result = run(["shell", "--no-imports", "-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_an_unknown_tasks_backend_stops_start_up():
    result = run(["check"], TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be database or immediate, not 'celery'." in result.stderr

"""Emails through the real task queue: the database backend, `manage.py db_worker` and, where
the mail server's answer matters, a real SMTP server on this machine (tests/smtp_server.py)."""

import io
import re
import signal
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertRedirects

from accounts.models import User
from articles.editorial.pending import start_pending_version
from articles.models import Article, Reference
from articles.tasks import check_references, publish_due_changes, send_review_reminders
from healthsite.mail import ATTEMPTS, QUEUE, RETRY_DELAYS, deliver_email
from mailqueue.models import FailedEmail
from tests.factories import make_article, make_category, make_comment, make_user
from tests.smtp_server import MailServer, running_mail_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Tasks kept in the database until a worker runs them, as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", QUEUE]}
    }


@pytest.fixture
def smtp_server(settings):
    with running_mail_server() as server:
        settings.MAILERS = server.mailers()
        yield server


def run_worker() -> None:
    """`manage.py db_worker` until the queue holds nothing due, as a worker would run it."""
    # The worker sets its own handlers for stopping; the test process keeps pytest's.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    # Between tasks the worker closes connections that are not in autocommit, as a web
    # request's end does: here the connection holds the test's transaction (its data), which
    # that would end on PostgreSQL. That one call is left out; the rest runs as it is.
    keep_connections = mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    try:
        while True:
            # A task commits what it does, as outside the test's transaction: what it queues
            # (a digest's email) is queued then, for the next round.
            with keep_connections, TestCase.captureOnCommitCallbacks(execute=True) as queued:
                call_command(
                    "db_worker", "--batch", "--queue-name=*", "--no-startup-delay", "--no-reload",
                    stdout=io.StringIO(),
                )  # fmt: skip
            if not queued:
                break
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def post(client, path: str, data: dict, **extra):
    """A POST whose transaction commits, as on the site, so what it queues is queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data, **extra)


def sign_up(client, email: str = "new.reader@example.com"):
    password = "quiet-river-morning-71"
    data = {"username": "newreader", "email": email, "password1": password, "password2": password}
    assertRedirects(post(client, "/accounts/signup/", data), "/accounts/signup/done/")


def waiting_deliveries() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="healthsite.mail.deliver_email", status="READY")
    )


def test_a_reply_notification_is_queued_and_sent_once_by_the_worker(client):
    article = make_article(title="Walking again")
    asker = make_user(username="asker")
    top = make_comment(article=article, user=asker, body="Any tips?", notify_replies=True)
    helper = make_user(username="helper")
    make_comment(article=make_article(), user=helper)  # a regular: shown at once
    client.force_login(helper)

    post(
        client,
        f"/comments/articles/{article.pk}/",
        {"website": "", "body": "Short walks.", "parent": top.pk},
    )

    # The reader's click only queued it: nothing was sent while they waited.
    assert mail.outbox == []
    [queued] = waiting_deliveries()
    assert queued.queue_name == QUEUE
    # The task holds the rendered email, not the comment.
    assert queued.args_kwargs["kwargs"]["to"] == "asker@example.com"
    assert "Short walks." in queued.args_kwargs["kwargs"]["body"]

    run_worker()
    [sent] = mail.outbox
    assert sent.to == ["asker@example.com"]
    assert "Short walks." in sent.body
    assert DBTaskResult.objects.get(pk=queued.pk).return_value == "sent"

    # The same task run again (a worker that died before recording it, an operator who
    # queued it twice) sends nothing more.
    deliver_email.enqueue(**queued.args_kwargs["kwargs"])
    run_worker()
    assert len(mail.outbox) == 1
    # Nor does approving the reply again after reports hid it (Comment.notified_at).
    reply = top.replies.get()
    editor = make_user(role="Editors")
    client.force_login(editor)
    reply.status = reply.Status.HIDDEN
    reply.save()
    post(
        client,
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [reply.pk]},
    )
    run_worker()
    assert len(mail.outbox) == 1


def test_a_refusing_server_is_tried_again_then_kept_and_sent_again_once_it_recovers(
    client, smtp_server: MailServer
):
    smtp_server.refuse = "451 4.3.0 Try again later"
    start = timezone.now()
    with time_machine.travel(start, tick=True) as clock:
        sign_up(client)
        for attempt, wait in enumerate(RETRY_DELAYS, start=1):
            run_worker()
            [retry] = waiting_deliveries()
            assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
            assert retry.run_after - timezone.now() == pytest.approx(wait, abs=timedelta(seconds=5))
            # Not before its time.
            run_worker()
            assert waiting_deliveries() == [retry]
            clock.shift(wait + timedelta(seconds=1))
        assert not FailedEmail.objects.exists()
        run_worker()  # the last attempt

    assert waiting_deliveries() == []
    assert smtp_server.received == []
    [failed] = FailedEmail.objects.all()
    assert (failed.to, failed.attempts) == ("new.reader@example.com", ATTEMPTS)
    assert failed.last_error == "new.reader@example.com: 451 4.3.0 Try again later"
    assert failed.failure == "Could not send the accounts/email/confirm email"

    # Editors see it in the admin, and send it again once the server takes mail.
    client.force_login(make_user(role="Editors"))
    listing = client.get("/admin/mailqueue/failedemail/")
    assertContains(listing, "Confirm your email")
    assertContains(listing, "451 4.3.0 Try again later")
    smtp_server.refuse = None
    sent_again = post(
        client,
        "/admin/mailqueue/failedemail/",
        {"action": "send_again", "_selected_action": [failed.pk]},
        follow=True,
    )
    assertContains(sent_again, "1 email(s) queued again")
    assert not FailedEmail.objects.exists()
    run_worker()

    [received] = smtp_server.received
    assert received["To"] == "new.reader@example.com"
    link = re.search(r"http://testserver(/\S+)", received.get_content())
    assert link is not None
    client.logout()
    client.get(link.group(1))
    assert User.objects.get(username="newreader").email_confirmed


def test_a_server_that_refuses_an_address_for_good_is_not_asked_again(
    client, smtp_server: MailServer
):
    smtp_server.refuse = "550 5.1.1 No such user here"
    sign_up(client, email="gone@example.com")
    run_worker()

    assert waiting_deliveries() == []
    [failed] = FailedEmail.objects.all()
    assert failed.attempts == 1
    assert "550 5.1.1 No such user here" in failed.last_error


def timed_reset(client, address: str) -> float:
    started = time.perf_counter()
    response = post(client, "/accounts/password_reset/", {"email": address})
    elapsed = time.perf_counter() - started
    assertRedirects(response, "/accounts/password_reset/done/")
    return elapsed


def test_a_password_reset_answers_as_fast_for_an_address_with_an_account(
    client, smtp_server: MailServer
):
    # A mail server that takes a second to accept a message: sent during the request, the
    # answer for an address with an account would take that second longer.
    smtp_server.delay = 1.0
    make_user(username="ada", email="ada@example.com")
    timed_reset(client, "warm-up@example.com")  # the first request loads what all need

    known = timed_reset(client, "ada@example.com")
    unknown = timed_reset(client, "nobody@example.com")

    assert known < 0.3
    assert unknown < 0.3
    assert abs(known - unknown) < 0.2
    run_worker()
    [received] = smtp_server.received
    assert received["To"] == "ada@example.com"
    assert "/accounts/reset/" in received.get_content()


def test_the_scheduled_jobs_run_as_tasks(client, settings):
    # Published when its set time has come.
    live = make_article(title="Sleep after surgery")
    pending = start_pending_version(article=live, by=live.author)
    Article.objects.filter(pk=pending.pk).update(
        title="Sleep after surgery, revised",
        change_kind=Article.ChangeKind.MINOR,
        publish_changes_at=timezone.now(),
    )
    # Its link checked and found broken (nothing listens on a closed port).
    Reference.objects.create(
        article=make_article(), number=1, title="A source", url="http://127.0.0.1:9/"
    )
    # Overdue for medical review with nobody to review it: the editor is reminded.
    overdue = make_article(
        title="Knee pain", category=make_category(is_medical=True), published_at=timezone.now()
    )
    Article.objects.filter(pk=overdue.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=1)
    )
    make_user(username="ed", role="Editors")

    with TestCase.captureOnCommitCallbacks(execute=True):
        published = publish_due_changes.enqueue()
        checked = check_references.enqueue(timeout=2)
        reminded = send_review_reminders.enqueue(base_url="https://health.example.org/")
    run_worker()

    assert publish_due_changes.get_result(published.id).return_value == 1
    live.refresh_from_db()
    assert live.title == "Sleep after surgery, revised"
    assert check_references.get_result(checked.id).return_value == ["http://127.0.0.1:9/"]
    reference = Reference.objects.get()
    assert reference.checked_at is not None
    assert reference.link_ok is False
    assert send_review_reminders.get_result(reminded.id).return_value == 1
    # The digest was queued by the task and sent by the same worker run.
    [digest] = mail.outbox
    assert digest.to == ["ed@example.com"]
    assert "Knee pain" in digest.body
    assert f"https://health.example.org/admin/articles/article/{overdue.pk}/change/" in digest.body


@pytest.mark.django_db(databases=["default", "replica1"])
def test_the_worker_uses_only_the_primary_when_reads_go_to_replicas(client, settings):
    # The worker claims a task in a transaction on the database it reads from, which must
    # be the one it then updates; and replicas lag: one would not show the email queued a
    # moment ago, or would show a task again that is done.
    settings.DATABASE_REPLICAS = ["replica1"]
    sign_up(client)
    with CaptureQueriesContext(connections["replica1"]) as on_the_replica:
        run_worker()
    assert on_the_replica.captured_queries == []
    [sent] = mail.outbox
    assert sent.to == ["new.reader@example.com"]
    assert deliver_email.get_result(str(DBTaskResult.objects.get().pk)).return_value == "sent"

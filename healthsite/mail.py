"""Every email the site sends goes through send_templated_mail() (or queue_mail(), for an
email rendered elsewhere): queued as a task once the transaction that caused it commits,
and sent by deliver_email() off the request.

A mail server that is slow, down or refusing must not slow or fail what the person did
(an account, a comment, an approval), nor keep the next email from going out, nor let the
response time tell whether an address has an account. So the request only renders the
email and queues it; the task hands it to the mail server, tries again later at a
temporary error (RETRY_DELAYS), and keeps what it could not send as a FailedEmail that
editors send again or delete in the admin. Each email carries a key claimed as it is sent
(SentEmail), so a task that runs again sends nothing twice. docs/deployment.md says how
the tasks run: in the request itself locally, by `manage.py db_worker` in production."""

import email.message
import email.policy
import logging
import smtplib
import uuid
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from mailqueue.models import FailedEmail, SentEmail

logger = logging.getLogger(__name__)

# RFC 5322's limit on a line. Python folds at 78 characters: a body line longer than that is
# sent quoted-printable (a link cut with "=" every 76 characters, which cannot be copied from
# the console), and a longer header becomes RFC 2047 encoded words, which mail programs do not
# read as the address List-Unsubscribe must be.
LINE_LIMIT = 998


class TextEmail(EmailMessage):
    """A plain-text email sent as 8bit UTF-8 while its lines fit the RFC limit, its headers
    unencoded: links stay whole in the body and in List-Unsubscribe."""

    def message(self, *, policy: email.policy.Policy | None = None) -> email.message.EmailMessage:
        policy = policy or email.policy.default
        return super().message(policy=policy.clone(max_line_length=LINE_LIMIT))


# The task queue emails wait in: a worker of their own keeps them from waiting behind a
# long job such as the link check (docs/deployment.md).
QUEUE = "email"
# The waits before each new attempt at a temporary error (a server down, a 4xx answer, a
# timeout): five attempts over about two and a half hours, then a FailedEmail.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
ATTEMPTS = len(RETRY_DELAYS) + 1


def send_templated_mail(
    *,
    template: str,
    to: str,
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    failure: str | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` with `context` now, and queue
    them for `to` (queue_mail). `failure` is what the log and the admin say if it cannot
    be sent, by default "Could not send the <template> email"."""
    queue_mail(
        to=to,
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        body=render_to_string(f"{template}.txt", context),
        headers=headers,
        failure=failure or f"Could not send the {template} email",
    )


def queue_mail(
    *, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None, failure: str
) -> None:
    """Queue a plain-text email once the current transaction commits (at once outside
    one): one rolled back sends nothing, and a worker never reads of a comment or an
    account that is not there yet. The task gets the rendered text, not model instances,
    so what it sends is what was rendered, whenever it runs."""
    transaction.on_commit(
        partial(
            deliver_email.enqueue,
            to=to,
            subject=subject,
            body=body,
            headers=dict(headers or {}),
            failure=failure,
            key=str(uuid.uuid4()),
        ),
        # The action is saved by now: a queue that cannot take the email is logged, and
        # does not turn what the person did into an error page.
        robust=True,
    )


@task(queue_name=QUEUE)
def deliver_email(
    *,
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str],
    failure: str,
    key: str,
    attempt: int = 1,
) -> str:
    """Hand one queued email to the mail server, once for its `key`; says what happened.

    The key is claimed before the message goes out and given back if the server does not
    take it: a task run twice, or an email sent again from the admin after all, finds it
    taken and sends nothing. At a temporary error the email is queued again after the next
    of RETRY_DELAYS (a backend that cannot wait, such as the immediate one, keeps it at
    once); after ATTEMPTS, or when the server refuses it for good (5xx), it is kept as a
    FailedEmail."""
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key)
    except IntegrityError:
        logger.info("Email %s went out already: not sent again", key)
        return "already sent"
    message = TextEmail(subject=subject, body=body, to=[to], headers=headers)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        SentEmail.objects.filter(key=key).delete()
        return _after_failure(
            error,
            queued={
                "to": to,
                "subject": subject,
                "body": body,
                "headers": headers,
                "failure": failure,
                "key": key,
            },
            attempt=attempt,
        )
    return "sent"


def _after_failure(error: Exception, *, queued: dict[str, Any], attempt: int) -> str:
    answer = _describe(error)
    can_wait = deliver_email.get_backend().supports_defer
    if attempt < ATTEMPTS and can_wait and not _refused_for_good(error):
        wait = RETRY_DELAYS[attempt - 1]
        deliver_email.using(run_after=timezone.now() + wait).enqueue(**queued, attempt=attempt + 1)
        logger.warning(
            "%s (attempt %d of %d, the next in %s): %s",
            queued["failure"],
            attempt,
            ATTEMPTS,
            wait,
            answer,
        )
        return f"attempt {attempt} failed, the next in {wait}"
    FailedEmail.objects.update_or_create(
        key=queued["key"],
        defaults={
            "to": queued["to"],
            "subject": queued["subject"],
            "body": queued["body"],
            "headers": queued["headers"],
            "failure": queued["failure"][:255],
            "last_error": answer,
            "attempts": attempt,
            "failed_at": timezone.now(),
        },
    )
    logger.error(
        "%s after %d attempt(s), kept in the admin's failed emails: %s",
        queued["failure"],
        attempt,
        answer,
    )
    return "failed"


def send_failed_email_again(failed: FailedEmail) -> None:
    """Queue a failed email again from its first attempt, under its own key (so it still
    goes out once), and drop it from the failed ones: both or neither, as the task queue
    is in the same database. It comes back if it fails again."""
    with transaction.atomic():
        failed.delete()
        deliver_email.enqueue(
            to=failed.to,
            subject=failed.subject,
            body=failed.body,
            headers=failed.headers,
            failure=failed.failure,
            key=str(failed.key),
        )


def _refused_for_good(error: Exception) -> bool:
    """The server answered 5xx, a permanent refusal (RFC 5321, 4.2.1): the same message
    would be refused again, so it is kept at once instead of tried four more times."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
    elif isinstance(error, smtplib.SMTPResponseException):
        codes = [error.smtp_code]
    else:
        return False
    return bool(codes) and all(500 <= code < 600 for code in codes)


def _describe(error: Exception) -> str:
    """The server's answer as it gave it ("451 4.3.0 Try again later"), else the error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply

"""Email backends for tests that need the mail server to misbehave."""

import smtplib

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses every message, as an SMTP server that is down would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingSomeEmailBackend(locmem.EmailBackend):
    """A mail server that refuses messages to any address at unreachable.example and
    delivers the rest to `mail.outbox`."""

    def send_messages(self, email_messages):
        for message in email_messages:
            refused = [to for to in message.recipients() if to.endswith("@unreachable.example")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"No such user here"))
                )
        return super().send_messages(email_messages)

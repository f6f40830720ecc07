"""Every email the site sends goes through send_templated_mail()."""

import email.message
import email.policy
import logging
import smtplib
from collections.abc import Mapping
from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

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


def send_templated_mail(
    *,
    template: str,
    to: str,
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    failure: str | None = None,
) -> bool:
    """Render `<template>_subject.txt` and `<template>.txt` with `context` and send them to
    `to`. True when the mail server took it.

    Mail goes out after what the person did is saved (an account, a comment, an
    approval): a mail server that is down or refuses an address must not turn that into
    an error page, nor keep the next email from going out. The failure is logged, as
    `failure` or "Could not send the <template> email", with the error, and False is
    returned for the caller to say or count."""
    message = TextEmail(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=dict(headers or {}),
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception(failure or f"Could not send the {template} email")
        return False
    return True

"""The scheduled jobs as tasks (django.tasks), beside their commands: each calls the same
function as `manage.py <name>`, for a deployment that enqueues them (from cron, or from
code) rather than running the command. docs/deployment.md shows both ways.

They go on the default queue, not the email one: a link check that takes minutes must not
hold up a password reset."""

import logging

from django.tasks import task
from django.utils import timezone

from .editorial import pending, review, sources
from .models import Article, Reference

logger = logging.getLogger(__name__)


@task()
def publish_due_changes() -> int:
    """`manage.py publish_due_changes`: how many were published; those left waiting are
    logged, as the command prints them."""
    published, waiting = pending.publish_due_changes()
    for version in waiting:
        logger.warning("Not published: the pending version %s of “%s”", version.pk, version.title)
    return published


@task()
def send_review_reminders(*, base_url: str) -> int:
    """`manage.py send_review_reminders`: how many digests were queued."""
    return review.send_review_reminders(
        today=timezone.localdate(), base_url=base_url.rstrip("/")
    ).sent


@task()
def check_references(*, timeout: float = 10) -> list[str]:
    """`manage.py check_references`: the broken URLs, each also stored on its reference
    for the admin."""
    # The references the command checks (articles/management/commands/check_references.py).
    references = Reference.objects.exclude(article__status=Article.Status.ARCHIVED)
    return [
        reference.url
        for reference in sources.check_references(references=references, timeout=timeout)
    ]

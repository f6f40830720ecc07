from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from articles.editorial.review import send_review_reminders


class Command(BaseCommand):
    help = (
        "Email each person who can act on a medical review one digest of all theirs: "
        "published articles in a medical category overdue or due soon (their reviewer, or "
        "every medical reviewer; editors too for an overdue one nobody reviews) and versions "
        "waiting for approval. Run daily, e.g. from cron. The digests are queued: one the "
        "mail server refuses is tried again, then kept in the admin's failed emails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address for links in the emails, e.g. https://health.example.org",
        )

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        result = send_review_reminders(today=timezone.localdate(), base_url=base_url.rstrip("/"))
        self.stdout.write(f"{result.sent} review digest(s) queued.")

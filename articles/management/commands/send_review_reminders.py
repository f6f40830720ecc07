from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.review import send_overdue_review_reminders


class Command(BaseCommand):
    help = (
        "Email the author and the medical reviewer of every published article whose next "
        "review is overdue. Run daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address for links in the emails, e.g. https://health.example.org",
        )

    def handle(self, *args, base_url: str, **options):
        sent = send_overdue_review_reminders(
            today=timezone.localdate(), base_url=base_url.rstrip("/")
        )
        self.stdout.write(f"{sent} review reminder(s) sent.")

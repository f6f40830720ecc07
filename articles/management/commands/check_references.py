from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.editorial.sources import check_references
from articles.models import Article, Reference


class Command(BaseCommand):
    help = (
        "Check the URL of every reference of every article that is not archived, store the "
        "result (shown in the admin) and list the broken ones. Fails (exit status 1) when "
        "any is broken, so a cron job can mail the output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per URL.")

    def handle(self, *args: Any, timeout: float, **options: Any) -> None:
        references = Reference.objects.exclude(article__status=Article.Status.ARCHIVED)
        broken = check_references(references=references, timeout=timeout)
        total = references.count()
        for reference in broken:
            self.stdout.write(
                f"{reference.article.title} [{reference.number}] {reference.url}: "
                f"{reference.check_result}"
            )
        summary = f"{len(broken)} broken of {total} reference(s) checked."
        if broken:
            raise CommandError(summary)  # exit status 1
        self.stdout.write(summary)

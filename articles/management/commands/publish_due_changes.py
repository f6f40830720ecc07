from typing import Any

from django.core.management.base import BaseCommand

from articles.editorial.pending import publish_due_changes


class Command(BaseCommand):
    help = (
        "Publish the pending versions of live articles whose set publishing time has come. "
        "Run every minute, e.g. from cron. A version that can no longer be published (its "
        "approval no longer matches its text) is left waiting and named here."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published, waiting = publish_due_changes()
        self.stdout.write(f"{published} change(s) published.")
        for version in waiting:
            self.stderr.write(
                f"Not published: the pending version {version.pk} of “{version.title}”. "
                "It needs a new approval or a summary, or cannot be saved as it is (its "
                "address taken, say); it waits on its page in the admin."
            )

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media "
        "storage, compare them with its manifest, then clear the page cache. Refuses a "
        "database with tables, or a storage with files, unless --force. See "
        "docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds, and files of the same names.",
        )

    def handle(self, *args: Any, source: Path, database: str, force: bool, **options: Any) -> None:
        try:
            report = restore(
                source=source,
                connection=connections[database],
                storage=default_storage,
                force=force,
            )
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        # Pages cached before the restore were made from other data.
        call_command("clear_page_cache", stdout=self.stdout)
        if report.differences:
            raise CommandError(
                "Restored, but it differs from the manifest:\n  " + "\n  ".join(report.differences)
            )
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows) and {report.files} media "
            f"files from {source}; all match the manifest."
        )

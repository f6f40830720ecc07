from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from operations.backups import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or a copy of the SQLite file) and every uploaded "
        "file (the media folder or the bucket) into a new folder, with a manifest of row "
        "counts and checksums. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="A new or empty folder.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, to: Path, database: str, **options: Any) -> None:
        try:
            manifest = back_up(to=to, connection=connections[database], storage=default_storage)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was written.") from None
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables ({sum(manifest.tables.values())} rows) "
            f"and {len(manifest.media)} media files to {to}."
        )

"""`manage.py clear_page_cache`: make every cached page stale, after a restore of the
database (the restore runs it) or whenever cached pages must go at once."""

from django.core.cache import cache
from django.core.management.base import BaseCommand

from articles.models import DISCLAIMER_CACHE_KEY
from healthsite.caching.namespace import move_page_namespace


class Command(BaseCommand):
    help = (
        "Make every cached page, page part and article row stale at once, on every server "
        "process sharing the cache (run it after restoring the database). Comment limits "
        "and sessions are kept."
    )

    def handle(self, *args: object, **options: object) -> None:
        namespace = move_page_namespace()
        # Keyed on its own, outside the page version.
        cache.delete(DISCLAIMER_CACHE_KEY)
        self.stdout.write(f"Cached pages are stale: new page cache namespace {namespace}.")

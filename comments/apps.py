import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger(__name__)


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        # Without Redis, comment limits are counted in each process's local memory: the
        # site still runs (a deliberate fallback), but with several processes a user gets
        # the limit once per process. Say so where whoever runs production will look.
        if not settings.DEBUG and not settings.REDIS_URL:
            logger.warning(
                "REDIS_URL is not set: comment limits (and the page cache) are kept per "
                "server process, so with N processes a user may post N times the limit. "
                "Set REDIS_URL to share them."
            )

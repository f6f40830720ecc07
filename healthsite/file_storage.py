"""Writing uploaded files so that a storage failure leaves nothing behind and says so.

A full disk, a read-only media folder or an object store that refuses a write raises from
`Storage.save()` after it may already have written part of the file. `save_file()` removes
that part, logs the cause in one line and raises `StorageFailed`, which the views that
upload (a profile photo, a library picture) answer with a clear message and a 503: the old
file and its row are kept, since the row is only written once every file is.
"""

import logging

from django.core.files.base import File
from django.core.files.storage import Storage

logger = logging.getLogger(__name__)


class StorageFailed(Exception):
    """A file could not be written; what was written of it is removed again."""


def save_file(storage: Storage, name: str, content: File) -> str:
    """`storage.save(name, content)`, returning the name stored.

    The name is settled first (get_available_name(), as save() does), so that when the
    write fails, what it left under that name can be removed. Every exception from the
    write is a storage failure: the content is ours, already checked and re-encoded, so
    what can go wrong is the disk or the backend (OSError here; a client error from an
    object store's library)."""
    target = storage.get_available_name(name)
    try:
        return storage.save(target, content)
    except Exception as error:
        remove_files(storage, [target])
        logger.error(
            "Could not save %s to the media storage (%s: %s): nothing was kept.",
            target,
            type(error).__name__,
            _one_line(error),
        )
        raise StorageFailed(target) from error


def remove_files(storage: Storage, names: list[str]) -> None:
    """Delete what a failed save wrote. A file that is not there is fine; one that cannot
    be deleted is logged (in one line) and left for whoever looks at the disk."""
    for name in names:
        try:
            storage.delete(name)
        except Exception as error:
            logger.error(
                "Could not remove %s after a failed save (%s: %s).",
                name,
                type(error).__name__,
                _one_line(error),
            )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())

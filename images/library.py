"""Adding pictures to the image library."""

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction

from healthsite.file_storage import remove_files, save_file

from .models import Image
from .processing import ProcessedImage

if TYPE_CHECKING:  # accounts uses images (avatars), never the other way round
    from accounts.models import User

RENDITIONS_FOLDER = "images/renditions/"
# What the uploader is told when add_image() raises StorageFailed.
PICTURE_NOT_SAVED = (
    "We could not save the picture just now; nothing was changed. Please try again in a few "
    "minutes."
)


def add_image(*, image: Image, picture: ProcessedImage, by: "User") -> Image:
    """Store a checked picture and its renditions, and record `image` (unsaved, with its
    alt text, caption and credit) in the library.

    Files are written first and the row last, in a transaction: if a file cannot be
    written (healthsite.file_storage.StorageFailed: a full disk, a read-only media folder,
    the storage backend's error) or the row cannot be saved, the files written, a part
    written included, are removed again so nothing is left behind.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            renditions = []
            for rendition in picture.renditions:
                name = save_file(
                    default_storage,
                    RENDITIONS_FOLDER + _name(rendition.content),
                    rendition.content,
                )
                written.append(name)
                renditions.append(
                    {
                        "format": rendition.format,
                        "width": rendition.width,
                        "height": rendition.height,
                        "name": name,
                    }
                )
            image.width, image.height = picture.width, picture.height
            image.renditions = renditions
            image.uploaded_by = by
            field = image.file.field
            master = field.generate_filename(image, _name(picture.master))
            written.append(save_file(field.storage, master, picture.master))
            image.file = written[-1]  # a stored file's name
            image.save()
    except Exception:
        remove_files(default_storage, written)
        raise
    return image


def remove_images(*, images: Iterable[Image]) -> None:
    """Delete pictures from the library: their rows, then, once that has committed, their
    files (the master copy and every rendition).

    The files go last so that a delete that rolls back leaves every picture whole; a file
    that cannot be deleted then is logged and left, a file no page links to."""
    with transaction.atomic():
        for image in images:
            names = [image.file.name, *(rendition["name"] for rendition in image.renditions)]
            image.delete()
            transaction.on_commit(partial(remove_files, default_storage, names))


def _name(file: File) -> str:
    """The name of a file that has one: processing names every file it makes, and a saved
    field file has the name its storage gave it. (A File in general may have none.)"""
    if file.name is None:
        raise ValueError(f"{file!r} has no name.")
    return file.name

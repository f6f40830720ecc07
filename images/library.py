"""Adding pictures to the image library."""

from typing import TYPE_CHECKING

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction

from .models import Image
from .processing import ProcessedImage

if TYPE_CHECKING:  # accounts uses images (avatars), never the other way round
    from accounts.models import User

RENDITIONS_FOLDER = "images/renditions/"


def add_image(*, image: Image, picture: ProcessedImage, by: "User") -> Image:
    """Store a checked picture and its renditions, and record `image` (unsaved, with its
    alt text, caption and credit) in the library.

    Files are written first and the row last, in a transaction: if the row cannot be
    saved, the files written are removed again so nothing is left behind.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            renditions = []
            for rendition in picture.renditions:
                name = default_storage.save(
                    RENDITIONS_FOLDER + _name(rendition.content), rendition.content
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
            image.file.save(_name(picture.master), picture.master, save=False)
            written.append(_name(image.file))
            image.save()
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return image


def _name(file: File) -> str:
    """The name of a file that has one: processing names every file it makes, and a saved
    field file has the name its storage gave it. (A File in general may have none.)"""
    if file.name is None:
        raise ValueError(f"{file!r} has no name.")
    return file.name

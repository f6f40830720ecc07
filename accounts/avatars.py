"""Avatar uploads: checked, then re-encoded so that nothing but the picture is kept."""

import io
import uuid

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, ImageOps

from healthsite.file_storage import remove_files, save_file
from images.processing import decode_upload

from .models import User

MAX_MEGABYTES = 5
MAX_MEGAPIXELS = 25
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
SIZE = 512


def make_avatar(upload: UploadedFile) -> ContentFile:
    """Return the upload as a square WebP, or raise ValidationError saying what is wrong."""
    picture, _ = decode_upload(
        upload,
        max_megabytes=MAX_MEGABYTES,
        max_megapixels=MAX_MEGAPIXELS,
        formats=ACCEPTED_FORMATS,
        refused="Please upload a JPEG, PNG or WebP picture.",
    )
    picture = picture.convert("RGBA" if picture.mode in {"RGBA", "LA", "P"} else "RGB")
    picture = ImageOps.fit(picture, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    output = io.BytesIO()
    picture.save(output, format="WEBP", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.webp")


# Saving: the new photo's file first, the row last (as the image library does).

PHOTO_NOT_SAVED = (
    "We could not save your photo just now; nothing was changed. Please try again in a few minutes."
)


def save_profile(*, form: forms.ModelForm, old_avatar: str | None) -> User:
    """Save a valid profile form whose photo make_avatar() made: the file, then the row,
    then (once that is committed) the old photo is deleted.

    When the file cannot be written (a full disk, a read-only media folder, a storage
    backend's error) this raises healthsite.file_storage.StorageFailed before the row is
    touched, having removed whatever part of the file was written; if the row fails
    instead, the new file is removed. Either way the old photo and the row stay as they
    were (in the database: `form.instance` holds what was typed)."""
    user: User = form.instance
    upload = form.cleaned_data.get("avatar")
    storage = user.avatar.storage
    written: list[str] = []
    try:
        with transaction.atomic():
            if isinstance(upload, ContentFile):
                name = user.avatar.field.generate_filename(user, upload.name or "avatar.webp")
                written.append(save_file(storage, name, upload))
                user.avatar = written[-1]  # a stored file's name
            user = form.save()
            if old_avatar and old_avatar != user.avatar.name:
                transaction.on_commit(lambda: storage.delete(old_avatar))
    except Exception:
        remove_files(storage, written)
        raise
    return user

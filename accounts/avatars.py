"""Avatar uploads: checked, then re-encoded so that nothing but the picture is kept."""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from images.processing import decode_upload

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

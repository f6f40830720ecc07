"""Avatar uploads: checked, then re-encoded so that nothing but the picture is kept."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
SIZE = 512


def make_avatar(upload: UploadedFile) -> ContentFile:
    """Return the upload as a square WebP, or raise ValidationError saying what is wrong.

    The pixel count is checked from the header before any pixel is decoded, so a small file
    that would expand into a huge bitmap is refused cheaply. Re-encoding from the pixels
    alone drops EXIF (GPS position included), ICC profiles and anything appended to the file.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError("The picture is larger than 5 MB. Please choose a smaller one.")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError("Please upload a JPEG, PNG or WebP picture.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "The picture has more than 25 megapixels. Please choose a smaller one."
                )
            image.load()
            picture = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            "This file could not be read as a picture. Please upload a JPEG, PNG or WebP."
        ) from None

    picture = picture.convert("RGBA" if picture.mode in {"RGBA", "LA", "P"} else "RGB")
    picture = ImageOps.fit(picture, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    output = io.BytesIO()
    picture.save(output, format="WEBP", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.webp")

"""Image uploads: checked, then re-encoded so that nothing but the picture is kept, and
cut once into the renditions pages use."""

import io
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# What we accept, and how the cleaned master copy is stored: GIF becomes PNG (its first
# frame; animation is not kept), lossless stays lossless.
MASTER_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Rendition widths in CSS pixels (1x to 2x screens for a ~48rem column and full width).
RENDITION_WIDTHS = (480, 960, 1440, 1920)
RENDITION_FORMATS = (("WEBP", "webp", 80), ("JPEG", "jpg", 82))
REFUSED = "Please upload a JPEG, PNG, WebP or GIF picture."
# Pillow refuses text and colour-profile chunks that inflate past its limits (a few bytes
# that would fill memory): such a file is refused, saying so.
TOO_MUCH_METADATA = (
    "This picture carries more text or colour-profile data than we accept. Please export it "
    'again without its metadata (most editors call it "Save for web"), or take a screenshot.'
)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass
class Rendition:
    format: str  # "webp" or "jpg"
    width: int
    height: int
    content: ContentFile


@dataclass
class ProcessedImage:
    master: ContentFile
    width: int
    height: int
    renditions: list[Rendition] = field(default_factory=list)


def decode_upload(
    upload: UploadedFile,
    *,
    max_megabytes: int,
    max_megapixels: int,
    formats: Collection[str],
    refused: str,
) -> tuple[PillowImage.Image, str]:
    """Decode an uploaded picture after checking it, or raise ValidationError saying what
    is wrong. Returns the picture (turned upright from its EXIF orientation) and its format.

    The pixel count is checked from the header before any pixel is decoded, so a small file
    that would expand into a huge bitmap is refused cheaply. Used for the image library and
    for avatars; each then re-encodes the pixels alone, which drops EXIF (GPS position
    included), ICC profiles, comments and anything appended to the file: the picture comes
    back in sRGB with its colour profile applied, and with no metadata at all (`pixels_only`).
    """
    # Django gives every upload it receives its size.
    assert upload.size is not None
    if upload.size > max_megabytes * 1024 * 1024:
        raise ValidationError(
            f"The picture is larger than {max_megabytes} MB. Please choose a smaller file."
        )
    upload.seek(0)
    try:
        with PillowImage.open(upload) as opened:
            source_format = opened.format
            if source_format is None or source_format not in formats:
                raise ValidationError(f"This file is a {source_format} picture. {refused}")
            width, height = opened.size
            if width * height > max_megapixels * 1_000_000:
                # Exact numbers: rounded, 25,005,000 pixels would read "25; at most 25".
                raise ValidationError(
                    f"The picture is {width:,} by {height:,} pixels ({width * height:,}); "
                    f"{_at_most(max_megapixels)}"
                )
            opened.load()
            return pixels_only(ImageOps.exif_transpose(opened)), source_format
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        # Pillow refuses to open a picture far over its own limit (and warns just over it,
        # which tests turn into an error) before we can read the size ourselves.
        raise ValidationError(
            f"The picture has more than {PillowImage.MAX_IMAGE_PIXELS:,} pixels; "
            f"{_at_most(max_megapixels)}"
        ) from None
    except ValueError:
        # Pillow's limit on inflated text and ICC chunks (PngImagePlugin.MAX_TEXT_CHUNK),
        # met while opening or while reading the pixels.
        raise ValidationError(TOO_MUCH_METADATA) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(
            f"This file could not be read as a picture, whatever its name says. {refused}"
        ) from None


def pixels_only(picture: PillowImage.Image) -> PillowImage.Image:
    """The picture's pixels, in sRGB, and nothing else: its colour profile is applied and
    dropped, and every comment, text chunk, EXIF block and the like is left behind, so no
    encoder can copy them into what we store (Pillow's JPEG encoder keeps a comment, its
    PNG encoder a profile, unless told otherwise). Palette transparency is kept: it is part
    of the pixels."""
    icc = picture.info.get("icc_profile")
    if icc:
        picture = _to_srgb(picture, icc)
    clean = picture.copy()
    clean.info = {}
    if "transparency" in picture.info and picture.mode in {"P", "L", "RGB"}:
        clean.info["transparency"] = picture.info["transparency"]
    return clean


def _to_srgb(picture: PillowImage.Image, icc: bytes) -> PillowImage.Image:
    has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
    if picture.mode not in {"RGB", "RGBA", "CMYK"}:
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    output_mode = "RGBA" if picture.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(picture, source, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile that cannot be read or does not fit the pixels (a grey profile on
        # colour pixels): the pixels are kept as they are, the profile goes.
        return picture
    assert converted is not None  # returned unless told to convert in place
    return converted


def _at_most(max_megapixels: int) -> str:
    return (
        f"at most {max_megapixels} megapixels ({max_megapixels * 1_000_000:,} pixels) are "
        "accepted. Please make it smaller."
    )


def process_upload(upload: UploadedFile) -> ProcessedImage:
    """Return the upload re-encoded with its renditions, or raise ValidationError saying
    what is wrong. Nothing is written anywhere here."""
    picture, source_format = decode_upload(
        upload,
        max_megabytes=MAX_BYTES // (1024 * 1024),
        max_megapixels=MAX_PIXELS // 1_000_000,
        formats=MASTER_FORMATS,
        refused=REFUSED,
    )
    has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    master_format = MASTER_FORMATS[source_format]
    master = _encode(picture, master_format, quality=90)
    processed = ProcessedImage(
        master=ContentFile(master, name=f"{uuid.uuid4().hex}.{EXTENSIONS[master_format]}"),
        width=picture.width,
        height=picture.height,
    )
    stem = uuid.uuid4().hex
    for target in rendition_widths(picture.width):
        resized = picture
        if target < picture.width:
            size = (target, max(1, round(picture.height * target / picture.width)))
            resized = picture.resize(size, PillowImage.Resampling.LANCZOS)
        for pillow_format, extension, quality in RENDITION_FORMATS:
            processed.renditions.append(
                Rendition(
                    format=extension,
                    width=resized.width,
                    height=resized.height,
                    content=ContentFile(
                        _encode(resized, pillow_format, quality=quality),
                        name=f"{stem}-{resized.width}.{extension}",
                    ),
                )
            )
    return processed


def rendition_widths(original: int) -> list[int]:
    """The standard widths below the original's, plus the original (capped at the widest):
    never upscaled, and each width once (a wider original would add the widest again)."""
    widest = min(original, RENDITION_WIDTHS[-1])
    return [*(width for width in RENDITION_WIDTHS if width < widest), widest]


def _encode(picture: PillowImage.Image, pillow_format: str, *, quality: int) -> bytes:
    if pillow_format == "JPEG" and picture.mode == "RGBA":
        # JPEG has no transparency: lay the picture on white, as a page would show it.
        background = PillowImage.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    output = io.BytesIO()
    options: dict[str, bool | int] = {"optimize": True} if pillow_format in {"JPEG", "PNG"} else {}
    if pillow_format in {"JPEG", "WEBP"}:
        options["quality"] = quality
    picture.save(output, format=pillow_format, **options)
    return output.getvalue()

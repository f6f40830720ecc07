from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Exists, OuterRef, Q
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from healthsite.caching.versions import InvalidatesPages
from healthsite.line_breaks import PlainLineBreaks


class ImageQuerySet(models.QuerySet["Image"]):
    def search(self, text: str) -> "ImageQuerySet":
        """Pictures whose title, alt text, caption or a tag holds `text`, or that were
        uploaded on the day, month or year it names ("2026-03-02", "March 2026", "2026"):
        how editors remember a picture they have seen."""
        text = text.strip()
        if not text:
            return self
        tagged = TaggedImage.objects.filter(
            content_object=OuterRef("pk"), tag__name__icontains=text
        )
        found = (
            Q(title__icontains=text)
            | Q(alt_text__icontains=text)
            | Q(caption__icontains=text)
            | Q(Exists(tagged))
        )
        day = upload_date_lookup(text)
        if day is not None:
            found |= Q(**day)
        return self.filter(found)


class ImageTag(TagBase):
    """A word to find library pictures by. A model of its own, not django-taggit's `Tag`:
    article tags are topics readers browse, and a picture's tags ("knee", "stock") must
    never become one."""

    class Meta:
        verbose_name = "image tag"


class TaggedImage(TaggedItemBase):
    # No reverse accessor: pictures reach their tags through `Image.tags` (and the type
    # checker cannot type one from django-taggit's untyped base).
    content_object = models.ForeignKey("Image", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(ImageTag, on_delete=models.CASCADE, related_name="tagged_images")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_image_tag")
        ]


# The ways an editor writes an upload date, and the lookups each means.
UPLOAD_DATE_FORMATS = (
    ("%Y-%m-%d", ("year", "month", "day")),
    ("%d %B %Y", ("year", "month", "day")),
    ("%d %b %Y", ("year", "month", "day")),
    ("%Y-%m", ("year", "month")),
    ("%B %Y", ("year", "month")),
    ("%b %Y", ("year", "month")),
    ("%Y", ("year",)),
)


def upload_date_lookup(text: str) -> dict[str, int] | None:
    """`created_at` lookups for a date as typed, or None if `text` is not one."""
    for date_format, parts in UPLOAD_DATE_FORMATS:
        try:
            # Naive on purpose: only its parts are read, matched in the site's time zone.
            parsed = datetime.strptime(text, date_format)  # noqa: DTZ007
        except ValueError:
            continue
        return {f"created_at__{part}": getattr(parsed, part) for part in parts}
    return None


# How wide the library's lists show pictures, in CSS pixels.
THUMBNAIL_WIDTH = 160


class Image(PlainLineBreaks, InvalidatesPages):
    """A picture in the library, used as an article's hero image or inline in its body.

    The stored file is a clean re-encoding of the upload; the renditions pages use (WebP
    and JPEG at a few widths) are made once, at upload, and listed in `renditions` so a
    page shows an image without any query beyond the one that loads it.
    """

    file = models.FileField(upload_to="images/", editable=False)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: a name to find it by in the library, never shown to readers.",
    )
    alt_text = models.CharField(
        max_length=250,
        help_text="What the picture shows, for people who cannot see it, "
        "e.g. “A physiotherapist helping a man stand from a chair”.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer or source, e.g. “Photo: A. Jones”."
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # [{"format": "webp"|"jpg", "width": 480, "height": 320, "name": "images/renditions/..."}]
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    tags = TaggableManager(
        through=TaggedImage,
        blank=True,
        help_text="Optional words to find it by in the library, separated by commas.",
    )

    objects = ImageQuerySet.as_manager()

    line_break_fields = ("title", "alt_text", "caption", "credit")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.alt_text} (#{self.pk})"

    def srcset(self, image_format: str) -> str:
        return ", ".join(
            f"{default_storage.url(rendition['name'])} {rendition['width']}w"
            for rendition in self.renditions
            if rendition["format"] == image_format
        )

    def smallest(self, image_format: str = "jpg") -> dict | None:
        """The narrowest rendition in a format (a thumbnail's), or None if there is none."""
        return min(
            (r for r in self.renditions if r["format"] == image_format),
            key=lambda rendition: rendition["width"],
            default=None,
        )

    def thumbnail_url(self) -> str:
        smallest = self.smallest()
        return default_storage.url(smallest["name"]) if smallest else self.file.url

    @property
    def thumbnail_height(self) -> int:
        """The height of the picture shown `THUMBNAIL_WIDTH` wide, as lists show it."""
        if not self.width:
            return THUMBNAIL_WIDTH
        return max(1, round(THUMBNAIL_WIDTH * self.height / self.width))

    def fallback_url(self) -> str:
        """The middle JPEG, for browsers that ignore srcset."""
        jpegs = [rendition for rendition in self.renditions if rendition["format"] == "jpg"]
        return default_storage.url(jpegs[len(jpegs) // 2]["name"]) if jpegs else self.file.url

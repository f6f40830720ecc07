from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from healthsite.caching.versions import InvalidatesPages
from healthsite.line_breaks import PlainLineBreaks


class Image(PlainLineBreaks, InvalidatesPages):
    """A picture in the library, used as an article's hero image or inline in its body.

    The stored file is a clean re-encoding of the upload; the renditions pages use (WebP
    and JPEG at a few widths) are made once, at upload, and listed in `renditions` so a
    page shows an image without any query beyond the one that loads it.
    """

    file = models.FileField(upload_to="images/", editable=False)
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

    line_break_fields = ("alt_text", "caption", "credit")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.alt_text} (#{self.pk})"

    def srcset(self, image_format: str) -> str:
        return ", ".join(
            f"{default_storage.url(rendition['name'])} {rendition['width']}w"
            for rendition in self.renditions
            if rendition["format"] == image_format
        )

    def fallback_url(self) -> str:
        """The middle JPEG, for browsers that ignore srcset."""
        jpegs = [rendition for rendition in self.renditions if rendition["format"] == "jpg"]
        return default_storage.url(jpegs[len(jpegs) // 2]["name"]) if jpegs else self.file.url

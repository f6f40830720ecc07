"""Editors' text is stored with "\\n" line breaks only, however it arrives."""

from collections.abc import Collection
from typing import Any, ClassVar

from django.db import models
from django.utils.text import normalize_newlines


class PlainLineBreaks(models.Model):
    """Models whose `line_break_fields` hold text editors type: CRLF and lone CR become LF.

    Browsers send a textarea's line breaks as CRLF, and code reading the text line by line
    (an "[image:12]" line of its own, say) would not see a line end before the "\\r". Done
    first in `clean_fields()`, so that the admin's validation reads the text as stored, and
    again in `save()`, for text saved without a form. A model whose own `save()` derives
    something from the text before calling this one calls `normalize_line_breaks()` first.
    """

    line_break_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalize_line_breaks()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        self.normalize_line_breaks()
        super().clean_fields(exclude=exclude)

    def normalize_line_breaks(self) -> None:
        for name in self.line_break_fields:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, normalize_newlines(value))

"""The `<picture>` markup for a library image, shared by the hero image and the body."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import Image

# The article column is at most 48rem wide; below that the picture fills the screen.
ARTICLE_SIZES = "(min-width: 52rem) 48rem, 100vw"


def picture_html(image: Image, *, eager: bool = False, sizes: str = ARTICLE_SIZES) -> str:
    """WebP first, JPEG as the fallback, with width and height so nothing shifts while it
    loads. Pictures are lazy (below the fold) unless `eager` (the hero image)."""
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'decoding="async" {}></picture>',
        image.srcset("webp"),
        sizes,
        image.fallback_url(),
        image.srcset("jpg"),
        sizes,
        image.width,
        image.height,
        image.alt_text,
        mark_safe(loading),  # one of two constants above
    )


def figure_html(image: Image, *, eager: bool = False, css_class: str = "figure") -> str:
    caption = ""
    if image.caption or image.credit:
        credit = (
            format_html(' <span class="figure__credit">{}</span>', image.credit)
            if image.credit
            else ""
        )
        caption = format_html("<figcaption>{}{}</figcaption>", image.caption, credit)
    return format_html(
        '<figure class="{}">{}{}</figure>', css_class, picture_html(image, eager=eager), caption
    )

"""The site's own pages (about us, how we write, contact, privacy, accessibility, terms),
written by editors in the admin. There is one of each, at a fixed address that the footer of
every page links to, so the footer never has to ask the database what exists."""

from typing import Any

from django.db import models
from django.urls import reverse

from articles.markdown import render_markdown
from healthsite.caching.versions import InvalidatesPages
from healthsite.line_breaks import PlainLineBreaks
from healthsite.validators import no_control_characters


class SitePage(PlainLineBreaks, InvalidatesPages):
    class Slug(models.TextChoices):
        """Each page's address (/<slug>/) and its name in the footer, in footer order.

        The slugs are reserved as root category slugs (articles.models.RESERVED_ROOT_SLUGS):
        a category at /about/ would be hidden behind this page."""

        ABOUT = "about", "About us"
        EDITORIAL_POLICY = "editorial-policy", "How we write and review"
        CONTACT = "contact", "Contact us"
        PRIVACY = "privacy", "Privacy"
        ACCESSIBILITY = "accessibility", "Accessibility"
        TERMS = "terms", "Terms of use"

    slug = models.SlugField(unique=True, choices=Slug.choices)
    title = models.CharField(max_length=200, validators=[no_control_characters])
    body = models.TextField(help_text="Markdown. Links and headings from level 2 down are fine.")
    body_html = models.TextField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    line_break_fields = ("body",)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.slug}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalize_line_breaks()  # before the body is rendered
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse

from articles.markdown import render_markdown
from articles.models import Article
from healthsite.caching.versions import InvalidatesPages, invalidate_pages_after_write
from healthsite.line_breaks import PlainLineBreaks
from healthsite.validators import no_control_characters

from .codes import CODING_SYSTEMS, CodeValidator

MAX_SYNONYM_LENGTH = 100
# Where the A to Z files a name that starts with no letter from A to Z ("5q spinal
# muscular atrophy"): after Z, under this heading.
OTHER_LETTER = "#"


def letter_of(name: str) -> str:
    """The A to Z letter a name is filed under: its first letter without accents
    ("Écoli" under E), else OTHER_LETTER."""
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_LETTER


def refresh_articles(article_ids: Iterable[int]) -> None:
    """What follows a change of the conditions these articles are about, or of those
    conditions' names: their search index, in batches, and every cached page (articles'
    pages name their conditions), once for the lot."""
    ids = set(article_ids)
    if ids:
        Article.objects.filter(pk__in=ids).update_search_index()
        invalidate_pages_after_write()


class ConditionQuerySet(models.QuerySet["Condition"]):
    def search_terms(self) -> list[str]:
        """The names and synonyms of these conditions: what search reads of them for their
        articles (Article.update_search_index reads it through `article.conditions`)."""
        return [term for condition in self.only("name", "synonyms") for term in condition.terms]


class Condition(PlainLineBreaks, InvalidatesPages):
    """A health condition of the Health A to Z, and the articles that are about it."""

    name = models.CharField(
        max_length=150,
        validators=[no_control_characters],
        help_text="The name most readers know, e.g. “Stroke”.",
    )
    slug = models.SlugField(max_length=150, unique=True, help_text="Its page's address.")
    synonyms = models.TextField(
        blank=True,
        validators=[no_control_characters],
        help_text="Other names it goes by, one a line, e.g. “Cerebrovascular accident”. "
        "Readers see them as “also called”, and search finds its articles by them.",
    )
    description = models.TextField(
        help_text="What it is, in plain words. Markdown: **bold**, - for bulleted lists, "
        "## for headings."
    )
    description_html = models.TextField(editable=False, default="")
    icd10 = models.CharField(
        "ICD-10", max_length=10, blank=True, validators=[CodeValidator("icd10")]
    )
    icd11 = models.CharField(
        "ICD-11", max_length=10, blank=True, validators=[CodeValidator("icd11")]
    )
    mesh = models.CharField("MeSH", max_length=10, blank=True, validators=[CodeValidator("mesh")])
    snomed = models.CharField(
        "SNOMED CT", max_length=18, blank=True, validators=[CodeValidator("snomed")]
    )
    # Edited in the admin as links (ConditionLink), from the condition's page and from
    # each article's.
    articles = models.ManyToManyField(
        Article, related_name="conditions", through="ConditionLink", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConditionQuerySet.as_manager()

    line_break_fields = ("synonyms", "description")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="condition_name_unique",
                violation_error_message="A condition of this name is in the A to Z already.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("conditions:detail", kwargs={"slug": self.slug})

    @property
    def synonym_list(self) -> list[str]:
        """The synonyms, one a line as typed, without blank lines."""
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    @property
    def letter(self) -> str:
        return letter_of(self.name)

    @property
    def terms(self) -> list[str]:
        return [self.name, *self.synonym_list]

    @property
    def codes(self) -> list[tuple[str, str, str]]:
        """(label, schema.org coding system, code) of each code it has."""
        return [
            (system.label, system.schema_name, getattr(self, system.field))
            for system in CODING_SYSTEMS
            if getattr(self, system.field)
        ]

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        for system in CODING_SYSTEMS:
            # Codes are written in capitals: one typed in lower case is taken as meant,
            # before its format is checked.
            setattr(self, system.field, getattr(self, system.field).strip().upper())
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        seen = {self.name.strip().casefold()}
        for synonym in self.synonym_list:
            if len(synonym) > MAX_SYNONYM_LENGTH:
                raise ValidationError(
                    {
                        "synonyms": f"“{synonym[:40]}…” is longer than {MAX_SYNONYM_LENGTH} "
                        "characters: one name a line, please."
                    }
                )
            if synonym.casefold() in seen:
                raise ValidationError(
                    {"synonyms": f"“{synonym}” is listed twice (or is the name itself)."}
                )
            seen.add(synonym.casefold())

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalize_line_breaks()  # before the description is rendered
        self.description_html = render_markdown(self.description)
        stored = (
            Condition.objects.filter(pk=self.pk).values("name", "synonyms").first()
            if self.pk
            else None
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if stored and (stored["name"], stored["synonyms"]) != (self.name, self.synonyms):
                # Search reads the condition's names for each of its articles.
                refresh_articles(self.articles.values_list("pk", flat=True))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # Its links go with it, row by row in the database, telling no one.
        with transaction.atomic():
            article_ids = list(self.articles.values_list("pk", flat=True))
            result = super().delete(*args, **kwargs)
            refresh_articles(article_ids)
        return result

    def structured_data(self, *, url: str) -> dict[str, Any]:
        """schema.org's MedicalCondition for this condition, its page at `url` (absolute)."""
        data: dict[str, Any] = {"@type": "MedicalCondition", "name": self.name, "url": url}
        if self.synonym_list:
            data["alternateName"] = self.synonym_list
        if self.codes:
            data["code"] = [
                {"@type": "MedicalCode", "codeValue": code, "codingSystem": system}
                for _, system, code in self.codes
            ]
        return data


class ConditionLink(models.Model):
    """An article is about a condition: the row behind Condition.articles."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="links")
    # A pending version is no article of its own: its live article carries the links.
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="condition_links",
        limit_choices_to={"live__isnull": True},
    )

    class Meta:
        verbose_name = "condition this article is about"
        verbose_name_plural = "conditions this article is about"
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "article"],
                name="condition_link_unique",
                violation_error_message="This article is linked to this condition already.",
            )
        ]

    def __str__(self) -> str:
        # Both sides come with the row in the admin's inlines (select_related there).
        return f"{self.condition} · {self.article}"

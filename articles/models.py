import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from .markdown import render_markdown

# Top-level paths the site uses itself; a root category cannot take one of these slugs
# because category pages live at /<path>/.
RESERVED_ROOT_SLUGS = frozenset(
    {"admin", "accounts", "articles", "authors", "comments", "feeds", "media", "search",
     "sitemap", "static", "tags"}
)  # fmt: skip


class Category(models.Model):
    """A node in the topic tree, such as More > Health > Recovery.

    `path` holds the slugs from the root down ("more/health/recovery"). It is derived at
    save, so a category's URL and its ancestors come from one column without walking the
    tree, and articles "in or below" a category are one indexed prefix query.
    """

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, help_text="Unique among its siblings.")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among siblings: lower numbers come first."
    )
    path = models.CharField(max_length=500, unique=True, editable=False)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"],
                name="category_slug_unique_among_siblings",
                violation_error_message="A sibling category already uses this slug.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(parent__isnull=True),
                name="category_slug_unique_at_root",
                violation_error_message="A top-level category already uses this slug.",
            ),
        ]

    def __str__(self) -> str:
        # The path tells apart two "Exercise" categories without a query per parent.
        return f"{self.name} ({self.path})" if self.parent_id else self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moving or renaming a category moves everything below it.
                Category.objects.filter(path__startswith=f"{old_path}/").update(
                    path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
                )

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"path": self.path})

    def clean(self) -> None:
        if self.parent_id is None and self.slug in RESERVED_ROOT_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the site itself."})
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": "A category cannot sit inside itself or its own children."}
                    )
                ancestor = ancestor.parent

    def ancestor_paths(self) -> list[str]:
        """Paths of this category and every ancestor, root first."""
        parts = self.path.split("/")
        return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """The one definition of "published": published or scheduled, and due by now.

        A scheduled article needs no job to go live: it matches as soon as its time comes.
        """
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=timezone.now(),
        )

    def in_category(self, category: Category) -> "ArticleQuerySet":
        """Articles in the category or anywhere below it."""
        return self.filter(
            models.Q(category=category) | models.Q(category__path__startswith=f"{category.path}/")
        )

    def for_listing(self) -> "ArticleQuerySet":
        return self.select_related("author", "category")


# Every save made through the admin or the workflow keeps a revision (django-reversion).
# Tags live in django-taggit's generic table, which reversion cannot serialise; the HTML
# is derived from the body.
@reversion.register(exclude=("body_html", "tags"))
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        max_length=300, help_text="One or two sentences shown in lists and search results."
    )
    body = models.TextField(help_text="Markdown: ## for headings, - for bulleted lists.")
    body_html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it goes public. Leave empty to use the moment it is published.",
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text="For an archived article: readers are sent here instead.",
    )
    archive_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an archived article with no replacement: shown to readers who follow "
        "an old link.",
    )
    comments_closed = models.BooleanField(
        default=False, help_text="Readers can still read the comments but not add any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish articles and edit anyone's")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Rendered once here, never per request.
        self.body_html = render_markdown(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        elif self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            # "Published" with a time to come is a schedule: say so in lists.
            self.status = self.Status.SCHEDULED
        with transaction.atomic():
            old_slug = self._old_public_slug()
            super().save(*args, **kwargs)
            # The current address always wins over a redirect someone else left behind.
            OldSlug.objects.filter(slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                OldSlug.objects.create(article=self, slug=old_slug)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.status == self.Status.SCHEDULED and (
            self.published_at is None or self.published_at <= timezone.now()
        ):
            raise ValidationError(
                {"published_at": "A scheduled article needs a publish time in the future."}
            )
        if self.replaced_by_id is not None:
            if self.status != self.Status.ARCHIVED:
                raise ValidationError(
                    {"replaced_by": "Only an archived article can have a replacement."}
                )
            if self.replaced_by_id == self.pk:
                raise ValidationError({"replaced_by": "An article cannot replace itself."})
            if not self.replaced_by.is_public:
                # Readers are sent there for good (301): it has to be a page they can read.
                raise ValidationError(
                    {"replaced_by": "The replacement must be a published article."}
                )

    @property
    def is_public(self) -> bool:
        return (
            self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def _old_public_slug(self) -> str | None:
        """The stored slug, when readers may have seen or linked it (it was ever public)."""
        if self.pk is None:
            return None
        old = (
            Article.objects.filter(pk=self.pk, published_at__lte=timezone.now())
            .exclude(status__in=[self.Status.DRAFT, self.Status.IN_REVIEW])
            .values_list("slug", flat=True)
            .first()
        )
        return old


class OldSlug(models.Model):
    """An address an article had while public: it answers with a permanent redirect."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug

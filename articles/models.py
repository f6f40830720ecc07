from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from healthsite.page_cache import InvalidatesPages

from .markdown import render_markdown

# Top-level paths the site uses itself; a root category cannot take one of these slugs
# because category pages live at /<path>/.
RESERVED_ROOT_SLUGS = frozenset(
    {"admin", "accounts", "articles", "authors", "comments", "feeds", "media", "search",
     "sitemap", "static", "tags"}
)  # fmt: skip


class Category(InvalidatesPages):
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
    # Name and path of each category from the root down to this one, for breadcrumbs
    # without a query: [{"name": "More", "path": "more"}, ...]. Derived at save.
    ancestry = models.JSONField(default=list, editable=False)

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
        self._derive_from(self.parent)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path:
                self._update_descendants(old_path)

    def _derive_from(self, parent: "Category | None") -> None:
        self.path = f"{parent.path}/{self.slug}" if parent else self.slug
        self.ancestry = [
            *(parent.ancestry if parent else []),
            {"name": self.name, "path": self.path},
        ]

    def _update_descendants(self, old_path: str) -> None:
        """Moving or renaming a category changes the path and breadcrumbs of everything
        below it. Ordered by path, every parent comes before its children."""
        descendants = list(
            Category.objects.filter(path__startswith=f"{old_path}/").order_by("path")
        )
        nodes = {self.pk: self}
        for node in descendants:
            node._derive_from(nodes[node.parent_id])
            nodes[node.pk] = node
        Category.objects.bulk_update(descendants, ["path", "ancestry"])

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
        """The one definition of "published": marked published and due by now."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_category(self, category: Category) -> "ArticleQuerySet":
        """Articles in the category or anywhere below it.

        The categories are picked by path prefix in a subquery, so the database filters
        articles by an indexed list of category ids instead of joining every article to
        its category.
        """
        below = Category.objects.filter(
            models.Q(pk=category.pk) | models.Q(path__startswith=f"{category.path}/")
        ).values("pk")
        return self.filter(category__in=below)

    def for_listing(self) -> "ArticleQuerySet":
        return self.select_related("author", "category")


class Article(InvalidatesPages):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible comments, replies included."
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
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_published"
            ),
            models.Index(
                fields=["author", "status", "-published_at"], name="article_author_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Rendered once here, never per request.
        self.body_html = render_markdown(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def recount_comments(self) -> None:
        """Store the number of visible comments: counted once per comment change, in one
        statement, instead of on every page view."""
        from comments.models import Comment

        visible = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.VISIBLE)
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        )
        Article.objects.filter(pk=self.pk).update(comment_count=Coalesce(Subquery(visible), 0))

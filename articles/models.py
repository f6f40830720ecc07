import calendar
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any, cast

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from accounts.models import User
from healthsite.caching.versions import InvalidatesPages
from healthsite.line_breaks import PlainLineBreaks
from healthsite.validators import no_control_characters, public_web_address
from images.models import Image

from . import reading
from .markdown import image_ids, render_markdown

# Article fields whose one writer is elsewhere: Article.save() never writes them back.
WRITTEN_ELSEWHERE = frozenset({"comment_count"})  # comments.models.recount_comments
# Fields save() derives from the Markdown body.
RENDERED_FIELDS = ("body_html", "body_text", "reading_minutes", "toc")
# Top-level paths the site uses itself; a root category cannot take one of these slugs
# because category pages live at /<path>/.
RESERVED_ROOT_SLUGS = frozenset(
    {"admin", "accounts", "articles", "authors", "comments", "conditions", "feeds", "media",
     "search", "sitemap", "static", "tags",
     # The site pages (pages.models.SitePage.Slug), which articles may not import.
     "about", "editorial-policy", "contact", "privacy", "accessibility", "terms"}
)  # fmt: skip
# Between category names, as in breadcrumbs.
PATH_SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
DEFAULT_REVIEW_MONTHS = 36
LISTING_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "author__username",
    "author__display_name",
    "author__first_name",
    "author__last_name",
    "category__name",
    "category__path",
)
# Related articles are ranked among at most this many articles sharing the article's tags
# (see ArticleQuerySet.related_to).
RELATED_CANDIDATES = 50
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", "search_extra", weight="B", config="english")
    + SearchVector("body_text", weight="C", config="english")
)
# Casefolded copies of the text for search on SQLite, whose LIKE ignores the case of ASCII
# letters only ("сон" would miss "Сон"). Left empty on PostgreSQL, which searches
# search_vector instead.
FOLDED_FIELDS = ("folded_title", "folded_extra", "folded_body")
# Articles re-indexed or re-rendered together (a category renamed, a picture's text
# changed) are read and written this many at a time.
BATCH_SIZE = 500
# The words search's vocabulary (SearchTerm) keeps: three letters or more.
VOCABULARY_WORD = re.compile(r"\w{3,}")


def search_fields() -> list[str]:
    """The fields Article.fill_search_fields() fills on this database."""
    return ["search_extra", *(FOLDED_FIELDS if connection.vendor != "postgresql" else ())]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Category(PlainLineBreaks, InvalidatesPages):
    """A node in the topic tree, such as More > Health > Recovery.

    `path` holds the slugs from the root down ("more/health/recovery"). It is derived at
    save, so a category's URL and its ancestors come from one column without walking the
    tree, and articles "in or below" a category are one indexed prefix query.
    """

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=100, validators=[no_control_characters])
    slug = models.SlugField(max_length=100, help_text="Unique among its siblings.")
    description = models.TextField(blank=True, validators=[no_control_characters])
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among siblings: lower numbers come first."
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    # Name and path of each category from the root down to this one, for breadcrumbs
    # without a query: [{"name": "More", "path": "more"}, ...]. Derived at save.
    ancestry = models.JSONField(default=list, editable=False)
    is_medical = models.BooleanField(
        "medical",
        default=False,
        help_text="Articles here, or in any category below, need a medical review before "
        "they are published.",
    )
    review_period_months = models.PositiveSmallIntegerField(
        default=DEFAULT_REVIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How often this category's articles are reviewed again, in months.",
    )

    line_break_fields = ("description",)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self._derive_from(self.parent)
        stored = (
            Category.objects.filter(pk=self.pk).values("ancestry", "review_period_months").first()
            if self.pk
            else None
        )
        old_period = stored["review_period_months"] if stored else None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path:
                self._update_descendants(old_path)
            if stored and _names(stored["ancestry"]) != _names(self.ancestry):
                # Search reads the names of an article's categories: a renamed or moved
                # category changes them for every article in or below it.
                Article.objects.in_category(self).update_search_index()
            if old_period is not None and old_period != self.review_period_months:
                # "Next review due" is stored for filtering; a new period moves it.
                articles = list(self.articles.all())
                for article in articles:
                    article.category = self
                    article.next_review_due = article.compute_next_review_due()
                Article.objects.bulk_update(articles, ["next_review_due"])

    def _derive_from(self, parent: "Category | None") -> None:
        self.path = f"{parent.path}/{self.slug}" if parent else self.slug
        crumb = {"name": self.name, "path": self.path, "medical": self.is_medical}
        self.ancestry = [*(parent.ancestry if parent else []), crumb]

    def _update_descendants(self, old_path: str) -> None:
        """Moving or renaming a category changes the path and breadcrumbs of everything
        below it. Ordered by path, every parent comes before its children."""
        descendants = list(
            Category.objects.filter(path__startswith=f"{old_path}/").order_by("path")
        )
        nodes = {self.pk: self}
        for node in descendants:
            # Every descendant has a parent: it sits below old_path.
            assert node.parent_id is not None
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

    def needs_medical_review(self) -> bool:
        """True when this category or any above it is medical (from data stored at save)."""
        return any(crumb.get("medical") for crumb in self.ancestry)

    @property
    def name_with_parents(self) -> str:
        """The name and, for a sub-category, the names above it: "Exercise (More >
        Health)", with the breadcrumbs' arrow. Tells apart categories of the same name."""
        parents = _names(self.ancestry)[:-1]
        return f"{self.name} ({PATH_SEPARATOR.join(parents)})" if parents else self.name


def _names(ancestry: list[dict]) -> list[str]:
    return [crumb["name"] for crumb in ancestry]


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        """The one definition of "published": a status in Article.PUBLIC_STATUSES, and a
        publish time that has come. Article.is_public reads the same rule for one article.

        A scheduled article needs no job to go live: it matches as soon as its time comes.
        """
        return self.filter(status__in=Article.PUBLIC_STATUSES, published_at__lte=timezone.now())

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

    def placing_image(self, image: Image) -> "ArticleQuerySet":
        """Articles whose body places the library picture with an "[image:n]" line."""
        return self.filter(body__contains=f"[image:{image.pk}]")

    def showing_image(self, image: Image) -> "ArticleQuerySet":
        """Articles that show the library picture: as their hero image or in their body."""
        return self.filter(
            models.Q(hero_image=image) | models.Q(body__contains=f"[image:{image.pk}]")
        )

    def render_bodies(self, *, batch_size: int = BATCH_SIZE) -> None:
        """Render these articles' bodies again and refresh their search index: after a
        library picture they show got a new alt text, caption or credit."""
        for batch in self.only("body")._in_batches(batch_size):
            ids = set().union(*(image_ids(article.body) for article in batch))
            images = Image.objects.in_bulk(ids) if ids else {}
            for article in batch:
                article.render_body(images=images)
            Article.objects.bulk_update(batch, RENDERED_FIELDS)
        self.update_search_index(batch_size=batch_size)

    def without_text(self, *keep: str) -> "ArticleQuerySet":
        """Without the large text columns pages never show (the Markdown source and what
        search reads), except those in `keep`."""
        large = ("body", "body_text", "search_extra", "search_vector", *FOLDED_FIELDS)
        return self.defer(*(name for name in large if name not in keep))

    def for_listing(self, *extra: str) -> "ArticleQuerySet":
        """What an article in a list shows (templates/includes/article_summary.html), with
        its author and category in the same query; `extra` fields on top. Narrow rows
        matter: a tag or search page joins and sorts every match before it keeps a page."""
        return self.select_related("author", "category").only(*LISTING_FIELDS, *extra)

    def related_to(
        self, article: "Article", *, tags: "Iterable[Tag] | None" = None, limit: int = 4
    ) -> "ArticleQuerySet":
        """Up to `limit` public articles sharing the most tags with `article`, then the
        newest others from its category: one query. `tags` are the article's tags when the
        caller has them already; else they are read from `article.tags`.

        The candidates are the articles sharing the most of those tags and the newest in
        the category, each an indexed, bounded look-up, so that ranking the candidates
        costs the same however many articles carry a popular tag.
        """
        tag_ids = [tag.pk for tag in (article.tags.all() if tags is None else tags)]
        tagged = TaggedItem.objects.filter(
            content_type_id=ContentType.objects.get_for_model(Article).pk, tag_id__in=tag_ids
        )
        # The articles sharing the most tags, newest first, counted in one pass over the
        # index of those tags; and the newest articles in the category.
        most_shared = (
            tagged.values("object_id")
            .annotate(total=Count("object_id"))
            .order_by("-total", "-object_id")
            .values("object_id")[:RELATED_CANDIDATES]
        )
        newest_in_category = (
            self.published()
            .filter(category_id=article.category_id)
            .order_by("-published_at", "-pk")
            .values("pk")[: limit + 1]
        )
        shared_tags = (
            tagged.filter(object_id=OuterRef("pk"))
            .values("object_id")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            self.published()
            # Each bounded look-up sits in a subquery of its own: SQLite allows no LIMIT in
            # the parts of a UNION.
            .filter(
                pk__in=Article.objects.filter(pk__in=most_shared)
                .values("pk")
                .union(Article.objects.filter(pk__in=newest_in_category).values("pk"))
            )
            .exclude(pk=article.pk)
            .annotate(shared_tags=Coalesce(Subquery(shared_tags), 0))
            .only("title", "slug", "summary", "published_at")
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )

    def review_overdue(self, *, today: date) -> "ArticleQuerySet":
        """Public articles whose next review date has passed."""
        return self.published().filter(next_review_due__lt=today)

    def review_due_within(self, *, today: date, days: int) -> "ArticleQuerySet":
        """Public articles overdue, or due within `days` of `today`."""
        return self.published().filter(next_review_due__lte=today + timedelta(days=days))

    def update_search_index(self, *, batch_size: int = BATCH_SIZE) -> None:
        """Refresh what search reads (see Article.update_search_index) for these articles:
        after a category, tag or condition they carry was renamed."""
        sqlite = connection.vendor != "postgresql"
        rows = (
            self.select_related("category")
            # The title for the vocabulary (SearchTerm) on both databases.
            .only("title", "category__ancestry", *(("summary", "body_text") if sqlite else ()))
            .prefetch_related("tags", "conditions")
        )
        for batch in rows._in_batches(batch_size):
            for article in batch:
                article.fill_search_fields(
                    tag_names=[tag.name for tag in article.tags.all()],
                    condition_terms=[
                        term for condition in article.conditions.all() for term in condition.terms
                    ],
                )
            Article.objects.bulk_update(batch, search_fields())
            SearchTerm.objects.add_words_of(
                f"{article.title} {article.search_extra}" for article in batch
            )
            if not sqlite:
                Article.objects.filter(pk__in=[article.pk for article in batch]).update(
                    search_vector=SEARCH_VECTOR
                )

    # `self` is annotated: django-stubs leaves a QuerySet subclass's row type unbound
    # inside its own methods, so list(self...) would not be a list of articles.
    def _in_batches(self: "ArticleQuerySet", size: int) -> Iterator[list["Article"]]:
        """These articles, `size` at a time in order of id: each batch is a query of its
        own, so neither the whole set nor an open cursor is held while batches are written."""
        last = 0
        while batch := list(self.filter(pk__gt=last).order_by("pk")[:size]):
            yield batch
            last = batch[-1].pk

    def needing_medical_review(self) -> "ArticleQuerySet":
        """Articles in a medical category or below one: Category.needs_medical_review() for
        many articles in one query.

        That method reads the "medical" flag of each crumb of the category's ancestry. A
        JSON "contains" lookup could read the same here, but SQLite has none; so this asks
        the tree the same question: is the category, or one whose path starts its path,
        medical? (The flags in ancestry are copied from those categories at save.)

        A pending version moving its live article out of a medical category counts too: it
        needs a reviewer's approval (articles.editorial.pending.needs_approval)."""
        medical_above = Category.objects.filter(is_medical=True).filter(
            Q(path=OuterRef("path")) | StartsWith(OuterRef("path"), Concat(F("path"), Value("/")))
        )
        medical = Category.objects.filter(Exists(medical_above)).values("pk")
        return self.filter(Q(category__in=medical) | Q(live__category__in=medical))

    # `self` is annotated for the `|` below, as in _in_batches.
    def for_reviewer(self: "ArticleQuerySet", user: User) -> "ArticleQuerySet":
        """What a medical reviewer reads in the admin, in medical categories only: versions
        in review assigned to them, to nobody, or to someone who no longer reviews; drafts
        assigned to them (sent back with their request for changes, or assigned early); and
        published articles they reviewed, that nobody reviewed, or whose reviewer no longer
        reviews. The reminders write about those last to every reviewer
        (articles.editorial.review.send_review_reminders): each of them can open them."""
        # Active members of Medical reviewers (the group of articles.editorial.review).
        reviewing = User.objects.filter(is_active=True, groups__name="Medical reviewers")
        nobody_reviewing = ~Q(assigned_reviewer__in=reviewing.values("pk"))
        in_review = self.filter(
            Q(assigned_reviewer=user, status__in=[ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW])
            | (Q(status=ArticleStatus.IN_REVIEW) & nobody_reviewing)
        )
        published = self.published().filter(
            Q(reviewer=user) | ~Q(reviewer__in=reviewing.values("pk"))
        )
        return (in_review | published).needing_medical_review()


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ChangeKind(models.TextChoices):
    SUBSTANTIVE = "substantive", "Substantive: the advice changed"
    MINOR = "minor", "Minor: a typo, wording or a link"


# Also what the partial indexes of public articles hold (Article.Meta.indexes).
PUBLIC_STATUSES = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)


# Every save made through the admin or the workflow keeps a revision (django-reversion).
# Revisions hold what editors wrote, so a compare shows only that: the rest is derived at
# save (from the body, tags and categories, comments and review dates), so restoring a
# revision recomputes it. The sources and the tag links are followed into each revision
# (registered below); the fingerprint marks a revision that holds them, as those made
# before did not (articles.editorial.revisions).
@reversion.register(
    exclude=(
        "tags", *RENDERED_FIELDS, "search_extra", "search_vector", *FOLDED_FIELDS,
        "comment_count", "next_review_due", "live", "change_kind", "change_summary",
        "assigned_reviewer", "publish_changes_at", "change_log",
    ),
    follow=("references", "tag_links"),
)  # fmt: skip
class Article(PlainLineBreaks, InvalidatesPages):
    Status = ArticleStatus
    ChangeKind = ChangeKind
    # Readers see an article in these statuses once its publish time has come: see
    # ArticleQuerySet.published() and is_public, the two readings of that one rule.
    PUBLIC_STATUSES = PUBLIC_STATUSES

    title = models.CharField(max_length=200, validators=[no_control_characters])
    # Unique among articles readers can reach (see Meta): a pending version carries the
    # address its live article will have once it is published.
    slug = models.SlugField(max_length=200)
    summary = models.TextField(
        max_length=300,
        validators=[no_control_characters],
        help_text="One or two sentences shown in lists and search results.",
    )
    body = models.TextField(help_text="Markdown: ## for headings, - for bulleted lists.")
    body_html = models.TextField(editable=False, default="")
    # Derived from body_html at save, so the page does no work for them.
    body_text = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    toc = models.JSONField(
        "table of contents", editable=False, default=list, help_text="h2/h3 headings."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    hero_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown at the top of the article, full width. Pictures in the body: a line "
        "“[image:12]” with the image's number from the library.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it goes public. Leave empty to use the moment it is published.",
    )
    # For search: the names of the article's categories and tags, and (on PostgreSQL) the
    # weighted full-text vector, both kept up to date by update_search_index(). A GIN index
    # on the vector is made by migration 0013 on PostgreSQL only.
    search_extra = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)
    # See FOLDED_FIELDS: title; summary, categories and tags; body.
    folded_title = models.TextField(editable=False, default="")
    folded_extra = models.TextField(editable=False, default="")
    folded_body = models.TextField(editable=False, default="")
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible comments, replies included."
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
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_articles",
        limit_choices_to=~models.Q(credentials=""),
        verbose_name="medical reviewer",
        help_text="A health professional with credentials on their profile; not the author.",
    )
    reviewed_on = models.DateField(
        "medical review date", null=True, blank=True, help_text="When the reviewer checked it."
    )
    substantively_updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Shown as “Updated”: set when an editor saves a substantive change.",
    )
    next_review_override = models.DateField(
        "set next review due",
        null=True,
        blank=True,
        help_text="Leave empty for the usual date: the review date (or, with no review, the "
        "publish date) plus the category's review period. Recording a new review date "
        "empties it.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The date an editor set, else the review date (or, with no review, the "
        "publish date) plus the category's review period.",
    )
    # A pending version is an article row of its own, never public, whose `live` is the
    # published (or scheduled) article it will replace: readers keep seeing the live one
    # until an editor publishes the change (articles.editorial.pending).
    live = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending",
        help_text="For a pending version: the live article it changes.",
    )
    change_kind = models.CharField(
        "kind of change",
        max_length=11,
        choices=ChangeKind,
        default=ChangeKind.SUBSTANTIVE,
        help_text="Substantive: the advice changed; in a medical category a medical reviewer "
        "approves it before it is published, and readers see “Updated”. Minor: a typo or a "
        "link fixed; the last review stands.",
    )
    change_summary = models.CharField(
        "summary of the change",
        max_length=200,
        blank=True,
        help_text="One line for readers' change history, e.g. “New advice on pain relief”.",
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reviews",
        limit_choices_to={"groups__name": "Medical reviewers"},
        help_text="Who reviews this version; empty: any member of Medical reviewers.",
    )
    publish_changes_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="For a pending version: when it replaces the live text by itself.",
    )
    # The fingerprint of the text, sources and tags as last saved in the admin or the
    # workflow (articles.editorial.content): lists of what awaits review compare it with
    # the approvals on file without reading every version's text.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # What readers' change history shows, newest last: written by the workflow when the
    # article is published, reviewed or changed, so the page reads it without a query.
    change_log = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    line_break_fields = ("summary", "body", "change_summary", "archive_note")

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", "Can publish articles and edit anyone's"),
            ("review_article", "Can approve articles as a medical reviewer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(live__isnull=True),
                name="article_slug_unique",
                violation_error_message="Another article already uses this address (slug).",
            ),
            # A pending version never reaches readers.
            models.CheckConstraint(
                condition=models.Q(live__isnull=True) | models.Q(status__in=["draft", "in_review"]),
                name="article_pending_never_public",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # Lists of public articles, newest first, read straight off this index.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status__in=list(PUBLIC_STATUSES)),
                name="article_public_newest",
            ),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_published"
            ),
            # The newest public articles of one category (related articles), read in order.
            models.Index(
                fields=["category", "-published_at", "-id"],
                condition=models.Q(status__in=list(PUBLIC_STATUSES)),
                name="article_public_category_newest",
            ),
            models.Index(
                fields=["author", "status", "-published_at"], name="article_author_published"
            ),
            models.Index(fields=["next_review_due"], name="article_next_review_due"),
            # Whether an article found by id (through a tag, say) is public, and when it was
            # published, read off this index alone: a tag page orders its articles without
            # visiting the table.
            models.Index(
                fields=["id", "published_at"],
                condition=models.Q(status__in=list(PUBLIC_STATUSES)),
                name="article_public_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Fill what is derived from what editors wrote, then save; the status is the
        workflow's (articles.editorial.workflow.save_article) and the comment count the
        comments app's (comments.models.recount_comments), which no save writes back."""
        self.normalize_line_breaks()  # before the body is rendered and its pictures found
        self.render_body(images=self.body_images())
        self.next_review_due = self.compute_next_review_due()
        stored_here = not self._state.adding and kwargs.get("using") in {None, self._state.db}
        if stored_here and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in WRITTEN_ELSEWHERE
            ]
        with transaction.atomic():
            old_slug = self._old_public_slug()
            super().save(*args, **kwargs)
            if self.live_id is None:  # a pending version's address is not in use yet
                # The current address always wins over a redirect someone else left behind.
                OldSlug.objects.filter(slug=self.slug).delete()
                if old_slug and old_slug != self.slug:
                    OldSlug.objects.create(article=self, slug=old_slug)
            self.update_search_index()

    def invalidate_cached_pages(self) -> None:
        # A pending version shows on no page readers see.
        if self.live_id is None:
            super().invalidate_cached_pages()

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def tag_links(self) -> "models.QuerySet[TaggedItem]":
        """django-taggit's rows linking the article to its tags: what a revision keeps of
        its tags (the manager `tags` yields the tags, which outlive a link removed)."""
        return TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=self.pk
        )

    def render_body(self, *, images: Mapping[int, Image]) -> None:
        """Fill RENDERED_FIELDS from the Markdown body: once at save, never per request.
        `images`: the library pictures the body places, by id."""
        self.body_html = render_markdown(self.body, images=images)
        self.body_text = reading.plain_text(self.body_html)
        self.reading_minutes = reading.reading_minutes(self.body_html)
        self.toc = reading.table_of_contents(self.body_html)

    def update_search_index(self) -> None:
        """Refresh what search reads: category and tag names, the names and synonyms of the
        conditions it is about (the conditions app's, through the reverse relation), and on
        PostgreSQL the weighted vector (title above summary, categories, tags and
        conditions, above body), on SQLite the casefolded text. Call it again after changing
        the tags, which are saved after the article."""
        self.fill_search_fields(
            tag_names=self.tags.names(), condition_terms=self.conditions.search_terms()
        )
        rows = Article.objects.filter(pk=self.pk)
        rows.update(**{name: getattr(self, name) for name in search_fields()})
        SearchTerm.objects.add_words_of([self.title, self.search_extra])
        if connection.vendor == "postgresql":
            rows.update(search_vector=SEARCH_VECTOR)

    def fill_search_fields(
        self, *, tag_names: list[str], condition_terms: list[str] | None = None
    ) -> None:
        """Set search_fields() from the text, the category path, `tag_names` and
        `condition_terms` (the names and synonyms of the article's conditions)."""
        self.search_extra = " ".join(
            [*_names(self.category.ancestry), *tag_names, *(condition_terms or [])]
        )
        if connection.vendor != "postgresql":
            self.folded_title = self.title.casefold()
            self.folded_extra = f"{self.summary} {self.search_extra}".casefold()
            self.folded_body = self.body_text.casefold()

    def clean(self) -> None:
        self._clean_review()
        missing = image_ids(self.body) - set(self.body_images())
        if missing:
            listed = ", ".join(f"[image:{number}]" for number in sorted(missing))
            raise ValidationError({"body": f"No image in the library for {listed}."})
        if self.status == self.Status.SCHEDULED and (
            self.published_at is None
            or (self.published_at <= timezone.now() and not self._stored_schedule_is_due())
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
            replacement = self.replaced_by
            if replacement is None or not replacement.is_public:
                # Readers are sent there for good (301): it has to be a page they can read.
                raise ValidationError(
                    {"replaced_by": "The replacement must be a published article."}
                )

    def body_images(self) -> dict[int, Image]:
        """The library images the body places, by id (one query, none when it places none)."""
        ids = image_ids(self.body)
        return Image.objects.in_bulk(ids) if ids else {}

    def _clean_review(self) -> None:
        if (self.reviewer_id is None) != (self.reviewed_on is None):
            field = "reviewed_on" if self.reviewer_id else "reviewer"
            raise ValidationError({field: "Give both the medical reviewer and the review date."})
        # Both or neither, as just checked; naming both lets the type checker know too.
        if self.reviewer_id is not None and self.reviewed_on is not None:
            if self.reviewer_id == self.author_id:
                raise ValidationError(
                    {"reviewer": "The medical reviewer cannot be the article's author."}
                )
            reviewer = self.reviewer
            if reviewer is None or not reviewer.credentials:
                raise ValidationError(
                    {"reviewer": "The medical reviewer needs credentials on their profile."}
                )
            if self.reviewed_on > timezone.localdate():
                raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
        if self.next_review_override and self.reviewed_on:
            if self.next_review_override <= self.reviewed_on:
                raise ValidationError(
                    {"next_review_override": "The next review must come after the review date."}
                )
        going_public = self.status in self.PUBLIC_STATUSES
        if (
            going_public
            and self.reviewer_id is None
            and self.category_id is not None
            and self.category.needs_medical_review()
        ):
            raise ValidationError(
                {
                    "status": f"Articles in “{self.category.name}” need a medical review "
                    "(reviewer and date) before they are published."
                }
            )

    def compute_next_review_due(self) -> date | None:
        """The date an editor set, else the last review plus the category's period."""
        if self.next_review_override:
            return self.next_review_override
        last = self.last_reviewed_on
        return add_months(last, self.category.review_period_months) if last else None

    def _stored_schedule_is_due(self) -> bool:
        """True when the stored article is scheduled and its time has come: saving it
        again sets no new schedule (it is saved as published)."""
        return (
            self.pk is not None
            and Article.objects.filter(
                pk=self.pk, status=self.Status.SCHEDULED, published_at__lte=timezone.now()
            ).exists()
        )

    @property
    def last_reviewed_on(self) -> date | None:
        """The medical review date, or the publish date for an article never reviewed."""
        if self.reviewed_on:
            return self.reviewed_on
        return timezone.localdate(self.published_at) if self.published_at else None

    @property
    def is_public(self) -> bool:
        """Whether readers see this article: what Article.objects.published() selects."""
        return (
            self.status in self.PUBLIC_STATUSES
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

    @property
    def modified_at(self) -> datetime | None:
        """When what readers read last changed: the latest of the first publication, a
        substantive update and the last change published (a minor correction too). The one
        definition behind the JSON-LD's dateModified and the feeds' updated date."""
        times = [
            self.published_at,
            self.substantively_updated_at,
            *(datetime.fromisoformat(entry["at"]) for entry in self.change_log),
        ]
        known = [moment for moment in times if moment is not None]
        return max(known).replace(microsecond=0) if known else None

    @property
    def history(self) -> list[dict[str, Any]]:
        """Readers' change history, newest first, read from this row alone (the reviewer
        comes with the article on its page): no query.

        Each entry has a "kind": "published", "reviewed", "updated" (with its "summary")
        or "corrected"; "at", a datetime without microseconds (<time datetime> takes none)
        or, for a review known only by its date, a date; and "on", its date. A review, or
        an update a reviewer approved, names the "reviewer" and "reviewer_url". The minor
        corrections are one entry, at the latest of them, with their "count" and "dates"
        (newest first, each with "at" and "on"). The current review counts as one unless
        the last change a reviewer approved says so already; an update an editor marked
        in the admin, with no entry in the change log, shows without a summary.
        """

        def moment(value: datetime) -> dict[str, Any]:
            value = value.replace(microsecond=0)
            return {"at": value, "on": timezone.localdate(value)}

        logged = [
            {**entry, **moment(datetime.fromisoformat(entry["at"]))} for entry in self.change_log
        ]
        events: list[dict[str, Any]] = []
        reviewer = self.reviewer
        if reviewer is not None and self.reviewed_on is not None:
            last = next((entry for entry in reversed(logged) if entry.get("reviewer")), None)
            said = (
                last is not None
                and last["on"] >= self.reviewed_on
                and (
                    last["reviewer"] == reviewer.public_name
                    or last.get("reviewer_url") == reviewer.get_absolute_url()
                )
            )
            if not said:
                # First in the list: on the day it was also published, the review came first.
                events.append(
                    {
                        "kind": "reviewed",
                        "at": self.reviewed_on,
                        "on": self.reviewed_on,
                        "reviewer": reviewer.public_name,
                        "reviewer_url": reviewer.get_absolute_url(),
                    }
                )
        if self.published_at is not None:
            events.append({"kind": "published", **moment(self.published_at)})
        corrections = []
        for entry in logged:
            when = {"at": entry["at"], "on": entry["on"]}
            review = (
                {"reviewer": entry["reviewer"], "reviewer_url": entry.get("reviewer_url", "")}
                if entry.get("reviewer")
                else {}
            )
            if entry["kind"] == "corrected":
                corrections.append(when)
                if review:
                    events.append({"kind": "reviewed", **when, **review})
            else:
                events.append(
                    {"kind": "updated", "summary": entry.get("summary", ""), **when, **review}
                )
        if self.substantively_updated_at is not None:
            updated = moment(self.substantively_updated_at)
            if not any(e["kind"] == "updated" and e["at"] == updated["at"] for e in events):
                events.append({"kind": "updated", "summary": "", **updated})
        if corrections:
            dates = corrections[::-1]
            events.append({"kind": "corrected", "count": len(dates), "dates": dates, **dates[0]})
        # Oldest first, in the order above within a day (the log is oldest first), then
        # turned round.
        events.sort(key=lambda event: event["on"])
        return events[::-1]


class OldSlug(InvalidatesPages):
    """An address an article had while public: it answers with a permanent redirect."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class OldTagSlug(InvalidatesPages):
    """An address of a tag merged into another (articles.tags.merge_tags): its page
    answers with a permanent redirect to that tag's."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class Reference(PlainLineBreaks, InvalidatesPages):
    """A numbered source of an article, cited in its body as [1], [2]..."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text="Cite it in the body as [number].",
    )
    title = models.CharField("source title", max_length=300)
    publisher = models.CharField(
        "publisher or journal", max_length=200, blank=True, help_text="e.g. “The Lancet”, “NHS”."
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    # Fetched by `check_references` from inside our network: a public web address only.
    url = models.URLField("URL", max_length=500, validators=[public_web_address])
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\d{4,9}/\S+$", "A DOI looks like 10.1000/xyz123.")],
    )
    pubmed_id = models.CharField(
        "PubMed id",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{1,10}$", "A PubMed id is a number, e.g. 31978945.")],
    )
    accessed_on = models.DateField("date accessed", null=True, blank=True)
    # Written by `manage.py check_references`: the last answer from the URL.
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_ok = models.BooleanField("link works", null=True, editable=False)
    check_result = models.CharField(max_length=200, blank=True, editable=False)

    line_break_fields = ("title", "publisher")

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="reference_number_unique_per_article",
                violation_error_message="This article already has a reference with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.title}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/" if self.pubmed_id else ""


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?", for editors to read."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article_id}"


DEFAULT_DISCLAIMER = (
    "**This page is general information, not medical advice.** It cannot take into account "
    "your own health. Talk to a doctor, nurse or pharmacist about your situation. In an "
    "emergency, call your local emergency number."
)
DISCLAIMER_CACHE_KEY = "articles:disclaimer-html"
# Saving the disclaimer deletes it from the cache, but a local-memory cache belongs to one
# server process: the others keep their copy until it expires, at most this long.
DISCLAIMER_CACHE_SECONDS = 60


class Disclaimer(PlainLineBreaks, InvalidatesPages):
    """The medical disclaimer every article page shows: one row, edited by editors."""

    text = models.TextField(
        default=DEFAULT_DISCLAIMER, help_text="Markdown: **bold**, *emphasis* and links."
    )
    text_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    line_break_fields = ("text",)

    class Meta:
        verbose_name = "medical disclaimer"

    def __str__(self) -> str:
        return "Medical disclaimer"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # there is only one
        self.normalize_line_breaks()  # before it is rendered
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)
        cache.delete(DISCLAIMER_CACHE_KEY)

    @classmethod
    def current_html(cls) -> str:
        """The disclaimer's HTML, from the cache: article pages spend no query on it."""

        def load() -> str:
            disclaimer = cls.objects.filter(pk=1).first()
            return disclaimer.text_html if disclaimer else render_markdown(DEFAULT_DISCLAIMER)

        # get_or_set is typed as maybe None (a cached None); load() never stores one.
        return cast(
            str, cache.get_or_set(DISCLAIMER_CACHE_KEY, load, timeout=DISCLAIMER_CACHE_SECONDS)
        )


# What a revision of an article keeps of its sources and tags (it follows them): what
# editors wrote, not the link checks, and which tag each link names.
class SearchTermQuerySet(models.QuerySet["SearchTerm"]):
    # `self` is annotated, as in ArticleQuerySet._in_batches.
    def add_words_of(self: "SearchTermQuerySet", texts: Iterable[str]) -> None:
        """Add the words of `texts` to the vocabulary, in one query. Words are only added:
        one left behind by a rename is harmless, as search corrects to a word only when
        the corrected search finds something."""
        words = {
            word
            for text in texts
            for word in VOCABULARY_WORD.findall(text.casefold())
            if not word.isdigit() and len(word) <= SearchTerm.MAX_LENGTH
        }
        if words:
            self.bulk_create(
                [SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True
            )


class SearchTerm(models.Model):
    """A word of the titles, category, tag and condition names that search knows: what a
    misspelt search is corrected to (articles.search.corrected). Filled at save, so a
    search compares its words with words, never with documents."""

    MAX_LENGTH = 100

    word = models.CharField(max_length=MAX_LENGTH, unique=True)

    objects = SearchTermQuerySet.as_manager()

    def __str__(self) -> str:
        return self.word


reversion.register(Reference, exclude=("checked_at", "link_ok", "check_result"))
reversion.register(TaggedItem, fields=("tag", "content_type", "object_id"))


# Models of the editorial package, registered with this app.

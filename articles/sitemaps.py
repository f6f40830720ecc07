"""Sitemaps of public pages only: published articles, categories, tags in use and the
pages of people who wrote or reviewed a published article."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from accounts.models import User

from .models import Article, ArticleQuerySet, Category

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _LastArticle(TypedDict):
        """What PeopleSitemap.items() annotates each person with."""

        last_article: datetime | None


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> ArticleQuerySet:
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article: Article) -> datetime:
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet[Category]:
        return Category.objects.only("path").order_by("path")


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self) -> QuerySet[Tag]:
        public = TaggedItem.objects.filter(
            tag=OuterRef("pk"), object_id__in=Article.objects.published().values("pk")
        )
        return Tag.objects.filter(Exists(public)).only("slug").order_by("slug")

    def location(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class PeopleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> QuerySet[User]:
        published = Article.objects.published()
        # The page lists the published articles a person wrote or reviewed: its last change
        # is the newest of those, never a draft's.
        newest = (
            published.filter(Q(author=OuterRef("pk")) | Q(reviewer=OuterRef("pk")))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            User.objects.filter(
                Q(Exists(published.filter(author=OuterRef("pk"))))
                | Q(Exists(published.filter(reviewer=OuterRef("pk")))),
                is_active=True,
            )
            .annotate(last_article=Subquery(newest))
            .only("username")
            .order_by("username")
        )

    def lastmod(self, user: "WithAnnotations[User, _LastArticle]") -> datetime | None:
        return user.last_article


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "people": PeopleSitemap,
}

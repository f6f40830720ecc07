"""RSS 2.0 and Atom feeds of the newest articles: all, per category (with the categories
below it), per tag and per author."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from taggit.models import Tag

from accounts.models import User
from healthsite.validators import strip_control_characters

from .models import Article, ArticleQuerySet, Category

FEED_LENGTH = 20


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    return value


class WithoutControlCharacters(SyndicationFeed):
    """A feed whose text leaves out control characters, which XML cannot hold: one in a
    title or a name stored before the fields refused them (healthsite.validators) would
    otherwise stop the whole feed from being written, for everyone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*_clean(args), **{name: _clean(value) for name, value in kwargs.items()})

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*_clean(args), **{name: _clean(value) for name, value in kwargs.items()})


class CleanRssFeed(WithoutControlCharacters, Rss201rev2Feed):
    pass


class CleanAtomFeed(WithoutControlCharacters, Atom1Feed):
    pass


class ArticlesFeed[ObjT](Feed):
    """What every feed of articles shares. A subclass picks the articles, and gives the
    title, description and link, for `ObjT`: what its address names (None for all)."""

    feed_type = CleanRssFeed

    def articles(self, obj: ObjT) -> ArticleQuerySet:
        raise NotImplementedError

    def items(self, obj: ObjT) -> list[Article]:
        # Fixed queries whatever the length: the articles with their author and category,
        # then the tags of all of them at once.
        rows = self.articles(obj).select_related("author", "category")
        # django-taggit has no type hints, so django-stubs cannot tell that its tags prefetch.
        rows = rows.prefetch_related("tags")  # type: ignore[misc]
        return list(rows.order_by("-published_at", "-pk")[:FEED_LENGTH])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str:
        return item.author.public_name

    def item_author_link(self, item: Article) -> str:
        return item.author.get_absolute_url()

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name, *(tag.name for tag in item.tags.all())]

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        # The article's JSON-LD says the same (dateModified).
        return item.modified_at


class LatestArticlesFeed(ArticlesFeed[None]):
    title = "healthsite: latest articles"
    description = "Clear, trustworthy writing on health and recovery."

    def link(self, obj: None = None) -> str:
        return reverse("articles:home")

    def articles(self, obj: None) -> ArticleQuerySet:
        return Article.objects.published()


class CategoryFeed(ArticlesFeed[Category]):
    def get_object(self, request: HttpRequest, path: str) -> Category:
        return get_object_or_404(Category, path=path)

    def title(self, obj: Category) -> str:
        return f"healthsite: {obj.name}"

    def description(self, obj: Category) -> str:
        return obj.description or f"The newest articles in {obj.name}."

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Category) -> ArticleQuerySet:
        return Article.objects.published().in_category(obj)


class TagFeed(ArticlesFeed[Tag]):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"healthsite: articles tagged {obj.name}"

    def description(self, obj: Tag) -> str:
        return f"The newest articles tagged {obj.name}."

    def link(self, obj: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def articles(self, obj: Tag) -> ArticleQuerySet:
        return Article.objects.published().filter(tags=obj)


class AuthorFeed(ArticlesFeed[User]):
    def get_object(self, request: HttpRequest, username: str) -> User:
        return get_object_or_404(User, username=username, is_active=True)

    def title(self, obj: User) -> str:
        return f"healthsite: articles by {obj.public_name}"

    def description(self, obj: User) -> str:
        return f"The newest articles by {obj.public_name}."

    def link(self, obj: User) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: User) -> ArticleQuerySet:
        return Article.objects.published().filter(author=obj)


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The same feed as Atom 1.0 (summaries go in <summary>)."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": CleanAtomFeed, "subtitle": feed_class.description},
    )

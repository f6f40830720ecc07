"""Articles' tags, django-taggit's rows: search follows every change of a tag link, and
merging tags keeps the articles, and the old tag pages, pointing at the tag that stays.

An article's tag names are part of what search reads (Article.update_search_index), and
its tag links are TaggedItem rows, which django-taggit writes in many ways our save()
never sees: the tag manager (add, remove, set, clear), the tag admin's inline, a tag's
deletion. The signals below refresh the search index and the cached pages after each, in
one place.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from healthsite.caching.versions import invalidate_pages_after_write

from .models import Article, OldTagSlug

# The articles whose tag links changed inside the current tag_links_changing() block.
_changed: ContextVar[set[int] | None] = ContextVar("tag_links_changed", default=None)


@contextmanager
def tag_links_changing() -> Iterator[set[int]]:
    """Refresh the search index once, at the end of the block, for every article whose
    tag links change in it, in batches: a bulk change (a tag's deletion cascading to its
    links, the tags an admin form sets) otherwise refreshes an article per row. The set
    yielded takes the ids of articles changed by writes no signal reports (update()).
    Nested blocks leave the refresh to the outermost one."""
    outer = _changed.get()
    if outer is not None:
        yield outer
        return
    changed: set[int] = set()
    token = _changed.set(changed)
    try:
        yield changed
    finally:
        _changed.reset(token)
    # Not after an error: the transaction the block writes in is rolled back.
    _refresh(changed)


def _refresh(article_ids: set[int]) -> None:
    """What follows a change of these articles' tag links: their search index, and every
    cached page (tags show on article pages and in lists), once for the lot."""
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update_search_index()
        invalidate_pages_after_write()


def _links_changed(article_ids: set[int]) -> None:
    changed = _changed.get()
    if changed is not None:
        changed.update(article_ids)
    else:
        _refresh(article_ids)


def _link_saved_or_deleted(instance: TaggedItem, **kwargs: Any) -> None:
    if instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        _links_changed({instance.object_id})


def _tags_changed(instance: Any, action: str, **kwargs: Any) -> None:
    # The tag manager of one article; its remove() and clear() delete rows one by one
    # too (a post_delete each), so set() in a tag_links_changing() block costs one refresh.
    if action.startswith("post_") and isinstance(instance, Article):
        _links_changed({instance.pk})


def follow_tag_links() -> None:
    """Keep search and the cached pages up to date with every change of a tag link (from
    ready())."""
    uid = "articles-search-tag-links"
    post_save.connect(_link_saved_or_deleted, sender=TaggedItem, dispatch_uid=f"{uid}-save")
    post_delete.connect(_link_saved_or_deleted, sender=TaggedItem, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid=f"{uid}-m2m")


def merge_tags(*, tags: QuerySet[Tag], into: str) -> Tag:
    """Merge `tags` into the tag named `into` (made if there is none; it may be one of
    them): everything tagged with any of them is tagged with it once, the others are
    deleted, and their pages redirect to its page, in one transaction."""
    with transaction.atomic(), tag_links_changing() as changed:
        target, _ = Tag.objects.get_or_create(name=into)
        merged = tags.exclude(pk=target.pk)
        links = TaggedItem.objects.filter(tag__in=merged)
        changed.update(
            links.filter(content_type=ContentType.objects.get_for_model(Article))
            .values_list("object_id", flat=True)
            .distinct()
        )
        already = TaggedItem.objects.filter(
            tag=target, content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=target, content_type_id=content_type, object_id=object_id)
            for content_type, object_id in links.exclude(Exists(already))
            .values_list("content_type", "object_id")
            .distinct()
        )
        # Old addresses of the merged tags follow them; the target's own is its page.
        OldTagSlug.objects.filter(tag__in=merged).update(tag=target)
        slugs = list(merged.values_list("slug", flat=True))
        OldTagSlug.objects.filter(slug__in=[*slugs, target.slug]).delete()
        OldTagSlug.objects.bulk_create(OldTagSlug(tag=target, slug=slug) for slug in slugs)
        merged.delete()  # and with them their links, now on the target
    invalidate_pages_after_write()
    return target

"""A condition's links to its articles: search and the cached pages follow every change.

An article's search index holds the names and synonyms of the conditions it is about
(Article.update_search_index reads them through `article.conditions`). The links are rows
of Condition.articles.through, written by the many-to-many manager from either side: the
condition admin's form sets them (`condition.articles.set()`), code adds them
(`article.conditions.add()`). m2m_changed reports each such call once, with the ids it
changed, so the refresh is one batch per call. The article admin's inline saves its rows
one by one, which no signal reports: it refreshes its article itself (conditions.admin).
A condition deleted takes its links with it (Condition.delete refreshes).
"""

from typing import Any
from weakref import WeakKeyDictionary

from django.db.models.signals import m2m_changed

from .models import Condition, refresh_articles

# The articles of a condition whose links are being cleared, between pre_clear (when they
# can still be read) and post_clear (when they are gone).
_clearing: WeakKeyDictionary[Condition, list[int]] = WeakKeyDictionary()


def _links_changed(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    # Forward (`condition.articles`): the instance is a condition and pk_set its articles;
    # reverse (`article.conditions`): the instance is the one article concerned.
    if reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            refresh_articles([instance.pk])
    elif action in {"post_add", "post_remove"}:
        refresh_articles(pk_set or ())
    elif action == "pre_clear":
        _clearing[instance] = list(instance.articles.values_list("pk", flat=True))
    elif action == "post_clear":
        refresh_articles(_clearing.pop(instance, []))


def follow_article_links() -> None:
    """Refresh search and the cached pages after every change of a condition's links
    through the many-to-many manager (from ready())."""
    m2m_changed.connect(
        _links_changed, sender=Condition.articles.through, dispatch_uid="conditions-links"
    )

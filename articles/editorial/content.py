"""A version's content: what a review approves and a comparison shows."""

import hashlib
import json
from typing import Any

from ..models import Article
from .models import ReviewNote

# What a pending version changes of its live article. The rest (status, publish time,
# review, comments, archiving) is workflow state, changed on the live article itself.
CONTENT_FIELDS = ("title", "slug", "summary", "hero_image_id", "body", "category_id")
REFERENCE_FIELDS = ("number", "title", "publisher", "year", "url", "doi", "pubmed_id")


def _text(value: Any) -> Any:
    """Text as a reader sees it: line breaks of any kind and spaces at line ends do not
    make another version (a browser sends CRLF, a form strips the last line break)."""
    if not isinstance(value, str):
        return value
    return "\n".join(line.rstrip() for line in value.splitlines()).strip()


def content_of(article: Article) -> dict[str, Any]:
    """The version's text, filing, tags and sources: what a review is about and what a
    comparison shows. Two queries (tags, references)."""
    return {
        **{name: _text(getattr(article, name)) for name in CONTENT_FIELDS},
        "tags": sorted(article.tags.names()),
        "references": [
            {name: getattr(reference, name) for name in REFERENCE_FIELDS}
            for reference in article.references.order_by("number")
        ],
    }


def content_hash(content: dict[str, Any]) -> str:
    """A fingerprint of a version's content: the same text gives the same hash."""
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_content_hash(article: Article) -> str:
    """Store the fingerprint of the article's content as it is now saved (after its tags
    and sources, which are saved after the article)."""
    article.content_hash = content_hash(content_of(article))
    Article.objects.filter(pk=article.pk).update(content_hash=article.content_hash)
    return article.content_hash


def approval_of(article: Article, *, fingerprint: str | None = None) -> ReviewNote | None:
    """A medical reviewer's approval of this exact version, if one is on file.
    `fingerprint`: the version's content hash, when the caller has it already."""
    fingerprint = fingerprint or content_hash(content_of(article))
    return (
        article.review_notes.filter(kind=ReviewNote.Kind.APPROVED, content_hash=fingerprint)
        .select_related("by")
        .last()
    )

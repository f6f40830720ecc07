"""JSON-LD for search engines, built from the models."""

import json
from collections.abc import Iterable
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from taggit.models import Tag

from accounts.models import User
from articles.models import Article

register = template.Library()

# What Django's json_script escapes: with these, no title or summary can close the
# <script> element or open a comment, and the data stays valid JSON.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def article_data(article: Article, *, tags: Iterable[Tag], request: HttpRequest) -> dict[str, Any]:
    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    def person(user: User) -> dict[str, str]:
        entry = {
            "@type": "Person",
            "name": user.public_name,
            "url": absolute(user.get_absolute_url()),
        }
        if user.credentials:
            entry["jobTitle"] = user.credentials
        return entry

    medical = article.category.needs_medical_review()
    page: dict[str, Any] = {
        "@type": "MedicalWebPage" if medical else "Article",
        "@id": absolute(article.get_absolute_url()),
        "url": absolute(article.get_absolute_url()),
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en-GB",
        "author": person(article.author),
        "datePublished": article.published_at,
        "dateModified": article.modified_at,
        "publisher": {"@type": "Organization", "name": "healthsite", "url": absolute("/")},
        "keywords": [tag.name for tag in tags],
    }
    if article.reviewer is not None:
        # lastReviewed and reviewedBy belong to a WebPage in schema.org: the medical page
        # itself, or the page that carries an Article (a blank node: the Article's @id is
        # the page's address already).
        review = {"lastReviewed": article.reviewed_on, "reviewedBy": person(article.reviewer)}
        if medical:
            page.update(review)
        else:
            page["mainEntityOfPage"] = {"@type": "WebPage", "url": page["url"], **review}
    if article.hero_image is not None:
        page["image"] = absolute(article.hero_image.fallback_url())
    # The conditions it is about (the conditions app's, through the reverse relation): read
    # once for the page, which names them in its footer too.
    prefetch_related_objects([article], "conditions")
    about = [
        condition.structured_data(url=absolute(condition.get_absolute_url()))
        for condition in article.conditions.all()
    ]
    if about:
        page["about"] = about
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb["name"],
                "item": absolute(reverse("articles:category", kwargs={"path": crumb["path"]})),
            }
            for position, crumb in enumerate(article.category.ancestry, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [page, breadcrumbs]}


@register.simple_tag(takes_context=True)
def article_json_ld(
    context: template.Context, article: Article, tags: Iterable[Tag] | None = None
) -> str:
    """`tags`: the article's tags when the page has read them already."""
    tags = article.tags.all() if tags is None else tags
    data = json.dumps(
        article_data(article, tags=tags, request=context["request"]), cls=DjangoJSONEncoder
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(data.translate(_ESCAPES))
    )

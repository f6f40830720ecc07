"""The conditions an article is about, on its page: read once, for the footer and the
JSON-LD alike (articles.templatetags.structured_data reads the same prefetched list)."""

from django import template
from django.db.models import prefetch_related_objects

from articles.models import Article

register = template.Library()


@register.inclusion_tag("conditions/includes/about.html")
def article_conditions(article: Article) -> dict:
    """ "About: Stroke, Long COVID" with a link to each condition's page. One query for
    the page, whichever part of it asks first."""
    prefetch_related_objects([article], "conditions")
    return {"conditions": article.conditions.all()}

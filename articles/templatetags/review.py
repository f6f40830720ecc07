from django import template
from django.utils import timezone

from articles.editorial.review import REVIEW_DUE_SOON_DAYS
from articles.models import Article

register = template.Library()

PANEL_LIMIT = 20


@register.inclusion_tag("tags/review_due_panel.html", takes_context=True)
def review_due_panel(context: template.Context) -> dict:
    """The admin dashboard's list of articles whose medical review is overdue or due soon,
    for editors only (authors and moderators see no such panel)."""
    user = context["request"].user
    if not user.has_perm("articles.publish_article"):
        return {"show": False}
    today = timezone.localdate()
    articles = list(
        Article.objects.review_due_within(today=today, days=REVIEW_DUE_SOON_DAYS)
        .select_related("reviewer")
        .order_by("next_review_due", "pk")[: PANEL_LIMIT + 1]
    )
    return {
        "show": True,
        "articles": articles[:PANEL_LIMIT],
        "more": len(articles) > PANEL_LIMIT,
        "days": REVIEW_DUE_SOON_DAYS,
        "today": today,
    }

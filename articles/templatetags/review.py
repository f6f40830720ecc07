from django import template
from django.utils import timezone

from articles.editorial.review import REVIEW_DUE_SOON_DAYS, awaiting_approval
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


@register.inclusion_tag("tags/reviewer_desk.html", takes_context=True)
def reviewer_desk(context: template.Context) -> dict:
    """A medical reviewer's dashboard: the versions awaiting their review (assigned to
    them or to nobody), oldest first, and the published articles overdue for a review
    they look after; each links to its review page. Two queries, whatever the number of
    rows (who may see what is ArticleQuerySet.for_reviewer)."""
    user = context["request"].user
    if not user.has_perm("articles.review_article"):
        return {"show": False}
    today = timezone.localdate()
    # Nobody reviews what they wrote (review.can_review).
    theirs = Article.objects.for_reviewer(user).exclude(author=user).without_text()
    awaiting = list(
        awaiting_approval(theirs)
        .select_related("author", "category", "assigned_reviewer")
        .order_by("updated_at", "pk")[: PANEL_LIMIT + 1]
    )
    overdue = list(
        theirs.review_overdue(today=today)
        .select_related("category", "reviewer")
        .order_by("next_review_due", "pk")[: PANEL_LIMIT + 1]
    )
    return {
        "show": True,
        "user_id": user.pk,
        "awaiting": awaiting[:PANEL_LIMIT],
        "more_awaiting": len(awaiting) > PANEL_LIMIT,
        "overdue": overdue[:PANEL_LIMIT],
        "more_overdue": len(overdue) > PANEL_LIMIT,
    }

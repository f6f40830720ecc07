"""The panels of the admin home page about comments: the moderators' and the authors'."""

from django import template
from django.db.models import Count, Exists, OuterRef, Q

from .. import rules
from ..models import Comment, Report

register = template.Library()


@register.inclusion_tag("tags/moderation_panel.html", takes_context=True)
def moderation_panel(context: template.Context) -> dict:
    """How many comments await approval and how many have open reports, each linking to
    the comment list filtered so; for those who moderate. Two counts, whatever the numbers."""
    user = context["request"].user
    if not user.has_perm("comments.change_comment"):
        return {"show": False}
    # "Reported" as the list's filter means it (CommentAdmin's ReportedFilter): an open report.
    open_report = Report.objects.filter(comment=OuterRef("pk"), reviewed_at__isnull=True)
    return {
        "show": True,
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "reported": Comment.objects.filter(Exists(open_report)).count(),
    }


@register.inclusion_tag("admin/comments/own_articles_panel.html", takes_context=True)
def own_articles_comments_panel(context: template.Context) -> dict:
    """For authors, who read but do not moderate: how many comments on their own articles
    await approval and how many have open reports, linking to the comment list so filtered
    (which lists their articles' comments only). One query, whatever the numbers."""
    user = context["request"].user
    if not rules.reads_own_articles_comments(user):
        return {"show": False}
    comments = rules.comments_in_admin(comments=Comment.objects.all(), user=user)
    open_report = Report.objects.filter(comment=OuterRef("pk"), reviewed_at__isnull=True)
    counts = comments.aggregate(
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
        reported=Count("pk", filter=Q(Exists(open_report))),
    )
    return {"show": True, **counts}

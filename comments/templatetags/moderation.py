"""The moderators' panel of the admin home page."""

from django import template
from django.db.models import Exists, OuterRef

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

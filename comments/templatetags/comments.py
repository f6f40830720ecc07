"""The comment section of the article page, and what a reader may do with each comment."""

from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject

from articles.models import Article

from .. import rules
from ..forms import CommentForm
from ..models import Comment
from ..threads import thread_page

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context: template.Context, article: Article) -> dict[str, Any]:
    """`{% comment_section article %}`: the article's comments (the page named by
    `?comments=`), reply links and the form, or why the reader cannot comment.

    The first page as a visitor who is not signed in sees it is the same for all of them:
    it is a cached fragment when the page shares fragments. The comments are read only when
    that fragment is not cached."""
    request = context["request"]
    user = context["user"]
    number = request.GET.get("comments")
    refusal = rules.comment_refusal_reason(article=article, user=user)
    return {
        "article": article,
        "user": user,
        # Deleting or reporting a comment is answered inside the section: see placed_messages.
        "messages": context.get("messages", ()),
        "shared_fragments": context.get("shared_fragments"),
        "shared": not user.is_authenticated and number is None,
        "comment_page": SimpleLazyObject(
            lambda: thread_page(article=article, user=user, number=number)
        ),
        "comment_form": CommentForm(article=article),
        "refusal": refusal,
        "can_comment": refusal is None,
    }


@register.filter
def actions_for(comment: Comment, user: rules.Reader) -> frozenset[str]:
    """`{% with actions=comment|actions_for:user %}`: "edit", "delete", "report"."""
    return rules.actions_for(comment=comment, user=user)

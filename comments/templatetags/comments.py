"""The comment section of the article page, and what a reader may do with each comment."""

import re
import time
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
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
    shared_fragments = context.get("shared_fragments")
    # Signed-in readers who may comment see the same list as one another, but for their own
    # comments' links and their own comments awaiting approval. Without such comments here
    # (one query), they share a cached list in which each comment carries every reader's
    # links, marked, and their page keeps their own (fill_reader_actions): the list is
    # rendered once per article version, not once per reader and request.
    for_readers = (
        shared_fragments is not None
        and refusal is None
        and not Comment.objects.filter(
            article=article, user=user, status=Comment.Status.PENDING
        ).exists()
    )
    # Whom the list is read for: a reader's own held comments are in theirs alone.
    listed_for = AnonymousUser() if for_readers else user
    return {
        "article": article,
        "user": user,
        # Deleting or reporting a comment is answered inside the section: see placed_messages.
        "messages": context.get("messages", ()),
        "shared_fragments": shared_fragments,
        "shared": not user.is_authenticated and number is None,
        "for_readers": for_readers,
        "comment_number": number or "1",
        "comment_page": SimpleLazyObject(
            lambda: thread_page(article=article, user=listed_for, number=number)
        ),
        "comment_form": CommentForm(article=article),
        "refusal": refusal,
        "can_comment": refusal is None,
    }


@register.filter
def actions_for(comment: Comment, user: rules.Reader) -> frozenset[str]:
    """`{% with actions=comment|actions_for:user %}`: "edit", "delete", "report"."""
    return rules.actions_for(comment=comment, user=user)


@register.filter
def editable_until_timestamp(comment: Comment) -> int:
    """When the comment's edit window closes, in seconds since 1970 (for reader_actions)."""
    return int(rules.editable_until(comment).timestamp())


# A comment's links in the list shared by signed-in readers (comments/section.html,
# reader_actions): its author's id, when its edit window closes, the author's links, and
# everyone else's. Comments from readers never hold "<!--": their text is escaped.
READER_ACTIONS = re.compile(r"<!--actions (\d+) (\d+)-->(.*?)<!--/actions-->", re.S)
OWN = re.compile(r"<!--own-->(.*?)<!--/own-->", re.S)
EDIT = re.compile(r"<!--edit-->(.*?)<!--/edit-->", re.S)
OTHERS = re.compile(r"<!--others-->(.*?)<!--/others-->", re.S)


def reader_actions(html: str, *, reader_id: int, now: float) -> str:
    """The shared list with the links of this reader kept: edit (while its window is open)
    and delete on their own comments, report on everyone else's."""

    def keep(match: re.Match) -> str:
        author, editable_until, links = int(match.group(1)), int(match.group(2)), match.group(3)
        if author == reader_id:
            links = OTHERS.sub("", links)
            if now >= editable_until:
                links = EDIT.sub("", links)
            links = EDIT.sub(r"\1", links)
            return OWN.sub(r"\1", links)
        return OTHERS.sub(r"\1", OWN.sub("", links))

    return READER_ACTIONS.sub(keep, html)


class ReaderActionsNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return reader_actions(
            self.nodelist.render(context), reader_id=context["user"].pk, now=time.time()
        )


@register.tag
def fill_reader_actions(
    parser: template.base.Parser, token: template.base.Token
) -> ReaderActionsNode:
    """`{% fill_reader_actions %}...{% endfill_reader_actions %}`: the comment list inside,
    shared by signed-in readers, with this reader's own links kept (reader_actions)."""
    nodelist = parser.parse(("endfill_reader_actions",))
    parser.delete_first_token()
    return ReaderActionsNode(nodelist)

from dataclasses import dataclass, field

from django.conf import settings

from articles.models import Article
from articles.pagination import WindowPage, WindowPaginator

from .models import Comment


@dataclass
class ThreadPart:
    """The part of one thread that is on a page: its top-level comment and the replies."""

    head: Comment
    replies: list[Comment] = field(default_factory=list)
    # The head is on an earlier page: this page starts within its replies.
    continued: bool = False
    # More replies to the head are on the next page.
    continues: bool = False


def thread_page(*, article: Article, user, number: str | int | None) -> WindowPage:
    """One page of an article's comments, replies included, grouped in `page.threads`.

    A page holds at most COMMENTS_PER_PAGE comments, however they fall into
    threads, so one thread with hundreds of replies is spread over several pages. One
    query, whether the article has no comments or thousands (and one more for a page number
    past the end, which shows the first page): each reply comes with its top-level comment
    joined, which a page that starts within a thread shows as context.
    """
    comments = (
        Comment.objects.filter(article=article)
        .listed_for(user)
        .select_related("user", "parent__user")
        # Of the top-level comment a reply is joined to, only the name and date are shown.
        .defer("parent__body", "parent__body_html")
    )
    page = WindowPaginator(comments, settings.COMMENTS_PER_PAGE).get_page(number)
    parts: list[ThreadPart] = []
    for comment in page:
        if comment.parent_id is None:
            parts.append(ThreadPart(head=comment))
        elif parts and parts[-1].head.pk == comment.parent_id:
            parts[-1].replies.append(comment)
        else:
            parts.append(ThreadPart(head=comment.parent, replies=[comment], continued=True))
    following = page.following
    if parts and following is not None and following.parent_id == parts[-1].head.pk:
        parts[-1].continues = True
    page.threads = parts
    return page


def comment_url(*, comment: Comment, user) -> str:
    """The address of `comment` as `user` sees the comments: on the page that holds it.

    One query over the article's comment ids in reading order; used after a write (posting,
    editing), never on a page view."""
    listed = Comment.objects.filter(article_id=comment.article_id).listed_for(user)
    ids = list(listed.values_list("pk", flat=True))
    number = ids.index(comment.pk) // settings.COMMENTS_PER_PAGE + 1 if comment.pk in ids else 1
    page = f"?comments={number}" if number > 1 else ""
    return f"{comment.article.get_absolute_url()}{page}#comment-{comment.pk}"

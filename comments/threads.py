from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from articles.models import Article
from healthsite.pagination import WindowPage, WindowPaginator

from .models import Comment
from .rules import Reader


@dataclass
class ThreadPart:
    """The part of one thread that is on a page: its top-level comment and the replies."""

    head: Comment
    replies: list[Comment] = field(default_factory=list)
    # The head is on an earlier page: this page starts within its replies.
    continued: bool = False
    # More replies to the head are on the next page.
    continues: bool = False


class ThreadPage(WindowPage):
    """A page of comments, and the parts of threads they fall into (`threads`)."""

    def __init__(self, page: WindowPage, *, threads: list[ThreadPart]) -> None:
        super().__init__(page.object_list, page.number, page.paginator, following=page.following)
        self.threads = threads


def thread_page(*, article: Article, user: Reader, number: str | int | None) -> ThreadPage:
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
    return ThreadPage(page, threads=parts)


def comment_url(*, comment: Comment, user: Reader) -> str:
    """The address of `comment` as `user` sees the comments: on the page that holds it.

    Its page follows from how many listed comments come before it in reading order (see
    CommentQuerySet.listed_for): those of earlier threads and, for a reply, its thread's
    top-level comment and older replies. One count, after a write, never on a page view."""
    parent = comment.parent
    if parent is None:
        started, thread = comment.created_at, comment.pk
        in_thread_before = Q(pk__in=[])
    else:
        started, thread = parent.created_at, parent.pk
        in_thread_before = Q(thread=thread) & (
            Q(parent__isnull=True)
            | Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )
    earlier_threads = Q(thread_started__lt=started) | Q(thread_started=started, thread__lt=thread)
    before = (
        Comment.objects.filter(article_id=comment.article_id)
        .listed_for(user)
        .filter(earlier_threads | in_thread_before)
        .count()
    )
    number = before // settings.COMMENTS_PER_PAGE + 1
    page = f"?comments={number}" if number > 1 else ""
    return f"{comment.article.get_absolute_url()}{page}#comment-{comment.pk}"

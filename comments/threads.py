from django.conf import settings

from articles.models import Article
from articles.pagination import WindowPage, WindowPaginator

from .models import Comment


def thread_page(*, article: Article, user, number: str | int | None) -> WindowPage:
    """One page of an article's comment threads, each with its replies in `shown_replies`.

    Always two queries, whether the article has no comments or thousands: the page of
    threads and the replies to those threads. (prefetch_related would skip its query when
    there is nothing to fetch, which would make the count vary.)
    """
    threads = Comment.objects.filter(article=article).threads_shown_to(user).select_related("user")
    page = WindowPaginator(threads, settings.COMMENT_THREADS_PER_PAGE).get_page(number)
    offset = (page.number - 1) * settings.COMMENT_THREADS_PER_PAGE
    window = threads[offset : offset + settings.COMMENT_THREADS_PER_PAGE]
    replies = (
        Comment.objects.shown_to(user).filter(parent__in=window.values("pk")).select_related("user")
    )
    by_parent: dict[int, list[Comment]] = {}
    for reply in replies:
        by_parent.setdefault(reply.parent_id, []).append(reply)
    for thread in page:
        thread.shown_replies = by_parent.get(thread.pk, [])
    return page

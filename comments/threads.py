from django.conf import settings
from django.core.paginator import Page, Paginator

from articles.models import Article

from .models import Comment


def thread_page(*, article: Article, user, number: str | int | None) -> Page:
    """One page of an article's comment threads, each with its replies in `shown_replies`.

    Always three queries, whether the article has no comments or thousands: the count, the
    page of threads, and the replies to those threads. (Paginator and prefetch_related skip
    their queries when there is nothing to fetch, which would make the count vary.)
    """
    threads = Comment.objects.filter(article=article).threads_shown_to(user).select_related("user")
    paginator = Paginator(threads, settings.COMMENT_THREADS_PER_PAGE)
    # A missing, invalid or out-of-range page number shows the nearest page.
    number = paginator.get_page(number).number
    offset = (number - 1) * paginator.per_page
    window = threads[offset : offset + paginator.per_page]
    page_threads = list(window)
    replies = (
        Comment.objects.shown_to(user).filter(parent__in=window.values("pk")).select_related("user")
    )
    by_parent: dict[int, list[Comment]] = {}
    for reply in replies:
        by_parent.setdefault(reply.parent_id, []).append(reply)
    for thread in page_threads:
        thread.shown_replies = by_parent.get(thread.pk, [])
    return Page(page_threads, number, paginator)

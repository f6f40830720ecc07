from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from healthsite.caching.versions import InvalidatesPages, invalidate_article_pages

from .text import render_comment

if TYPE_CHECKING:
    from articles.models import Article

    from .rules import Reader

REPORTS_TO_HIDE = 3


def shown_condition(user: "Reader") -> Q:
    """Visible comments, plus the reader's own comments still awaiting approval."""
    condition = Q(status=Comment.Status.VISIBLE)
    if user.is_authenticated:
        condition |= Q(status=Comment.Status.PENDING, user=user)
    return condition


def thread_condition(user: "Reader") -> Q:
    """Top-level comments to list: those shown to the reader, and removed or hidden ones
    that still have visible replies, which stand as a placeholder above them."""
    has_visible_reply = Exists(
        Comment.objects.filter(parent=OuterRef("pk"), status=Comment.Status.VISIBLE)
    )
    placeholder = Q(status__in=[Comment.Status.REMOVED, Comment.Status.HIDDEN]) & Q(
        has_visible_reply
    )
    return Q(parent__isnull=True) & (shown_condition(user) | placeholder)


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.VISIBLE)

    def shown_to(self, user: "Reader") -> "CommentQuerySet":
        return self.filter(shown_condition(user))

    def threads_shown_to(self, user: "Reader") -> "CommentQuerySet":
        return self.filter(thread_condition(user))

    def listed_for(self, user: "Reader") -> "CommentQuerySet":
        """Every comment to list, top-level and replies, in reading order: each thread by
        when it was started, its top-level comment first, then its replies oldest first.

        Replies are listed under a thread that is listed itself, and only those shown to
        the reader. The order is worked out in SQL so that a page of it can be read with
        LIMIT and OFFSET, whether the page starts at a thread or within its replies."""
        threads = self.threads_shown_to(user).values("pk")
        return (
            self.filter(thread_condition(user) | (Q(parent__in=threads) & shown_condition(user)))
            .alias(
                thread_started=Coalesce("parent__created_at", "created_at"),
                thread=Coalesce("parent_id", "pk"),
            )
            .order_by(
                "thread_started",
                "thread",
                F("parent_id").asc(nulls_first=True),
                "created_at",
                "pk",
            )
        )


class Comment(InvalidatesPages):
    """A reader's comment on an article, or a reply to one (one level deep); staff reply
    from the admin (comments.moderation.post_staff_reply), labelled with their role."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed"

    class StaffRole(models.TextChoices):
        # The labels are what readers read after the name on the article page.
        AUTHOR = "author", "Author of this article"
        EDITOR = "editor", "Editor"
        MODERATOR = "moderator", "Moderator"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        help_text="Empty when the commenter deleted their account.",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    notify_replies = models.BooleanField(
        default=False, help_text="Email the commenter when someone replies."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the emails about this comment went out: once, when it first showed.",
    )
    # Decided when a staff reply is written, and kept: the label says who answered then,
    # even if their roles change later, and the article page reads it with the comment.
    staff_role = models.CharField(
        max_length=10,
        choices=StaffRole,
        blank=True,
        default="",
        editable=False,
        help_text="The role of the staff member who replied from the admin; empty for readers.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            models.Index(fields=["user", "created_at"], name="comment_user_created"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rendered once here: escaped text, kept line breaks, links that cannot pass rank.
        self.body_html = render_comment(self.body)
        # Inside a caller's transaction (posting, moderating) a failure undoes it all: no
        # savepoint of its own, which would cost two more round trips per comment. So a
        # caller must not catch a database error from it inside its transaction and go on:
        # the transaction is unusable after one.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            recount_comments(self.article)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            recount_comments(self.article)
        return result

    def invalidate_cached_pages(self) -> None:
        # A comment shows on its article's pages only.
        invalidate_article_pages(self.article.slug)

    def get_absolute_url(self) -> str:
        """A permanent address: it leads to the comment page that holds the comment when it
        is followed, though later replies move comments to later pages."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def has_link(self) -> bool:
        return "<a " in render_comment(self.body)

    def get_edit_url(self) -> str:
        return reverse("comments:edit", kwargs={"pk": self.pk})


def recount_comments(article: "Article") -> None:
    """Store the article's number of visible comments: counted once per comment change, in
    one statement, instead of on every page view. The one writer of Article.comment_count
    (Article.save() leaves it alone).

    A visible reply under a comment that awaits approval is not counted: readers see it
    only once that comment is approved (CommentQuerySet.listed_for), and approving it
    saves it, which counts again."""
    visible = (
        Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.VISIBLE)
        .exclude(parent__status=Comment.Status.PENDING)
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = type(article).objects.filter(pk=article.pk)
    # The article's row is locked first, in a statement of its own. A comment posted at
    # the same time in another transaction holds that lock until it commits; the count
    # below then starts after it and sees its comment. Counted inside the UPDATE alone, a
    # waiting transaction would count with what it saw before the wait, one short, for
    # good (PostgreSQL re-reads the row it updates after a wait, not its subquery).
    with transaction.atomic(savepoint=False):  # the lock lasts until the caller commits
        list(rows.select_for_update().values_list("pk", flat=True))
        rows.update(comment_count=Coalesce(Subquery(visible), 0))
    article.comment_count = rows.values_list("comment_count", flat=True).first() or 0


class Report(models.Model):
    """A reader's flag on a comment. Enough different readers hide it until reviewed."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        MISINFORMATION = "misinformation", "Medical misinformation"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_report_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on comment {self.comment_id}"

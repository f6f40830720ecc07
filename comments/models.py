from django.conf import settings
from django.db import models


class CommentQuerySet(models.QuerySet):
    def visible(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.VISIBLE)


class Comment(models.Model):
    """A reader's comment on an article. Only visible comments are shown and counted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        help_text="Empty when the commenter deleted their account.",
    )
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status")
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article}"

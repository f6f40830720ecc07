"""What medical reviewers say about one exact version of an article."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewNote(models.Model):
    """A step of a medical review: a reviewer's approval or request for changes, or the
    author's reply when they send the article back.

    Each note is recorded against the version it was about, by its content hash
    (articles.editorial.pending.content_hash), with a copy of that content: an approval
    counts only while the text is still what was approved, and the next review compares
    against what was last approved."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes", "Changes requested"
        REPLY = "reply", "Reply and resubmission"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="review_notes"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    content = models.JSONField(default=dict, help_text="The version's text, as reviewed.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "kind", "-created_at"], name="review_note_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by} on {self.created_at:%Y-%m-%d}"

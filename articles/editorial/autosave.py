"""Autosave: what someone is typing in the article form, kept every few seconds, privately.

As in Ghost and WordPress, the edit form (static/js/autosave.js) sends what is typed while
it changes, and when the page is hidden or left. It is stored here, one draft per person and
article (or per person, for an article never saved yet), and nowhere else: the article row,
its revisions, readers' pages, feeds and search never see it. Opening the form again offers
to compare the draft with the saved text, restore it into the form, or discard it; a restored
draft is saved as any edit is, through the form's version check (ArticleAdminForm), so it
never silently overwrites a save made after it was typed. Saving the form deletes the draft.

The admin's pages for it are in articles.editorial.autosave_admin.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import normalize_newlines

from accounts.models import User

from ..models import Article

# What is autosaved: the text people type at length. The rest of the form (a category, a
# status, a date) is a choice made in one go, and restoring it could move an article.
AUTOSAVED_FIELDS = ("title", "slug", "summary", "body", "change_summary")
# The largest autosave accepted, all fields together: several times the longest article.
# Anything bigger is not typing, and is refused before it is read.
MAX_DRAFT_BYTES = 1024 * 1024


def _text(value: str) -> str:
    """Text as the form saves it: a browser sends CRLF, a form strips the ends."""
    return normalize_newlines(value).strip()


class AutosaveQuerySet(models.QuerySet["Autosave"]):
    def of(self, *, user: User, article: Article | None) -> "AutosaveQuerySet":
        """The draft `user` is typing of `article` (None: a new article), if any. Only its
        writer's: no one else reads, restores or discards it."""
        if article is None or article.pk is None:
            return self.filter(user=user, article__isnull=True)
        return self.filter(user=user, article=article)


class Autosave(models.Model):
    """What one person typed in the form of one article (or of a new one), not saved yet."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Field name → text as typed, for the AUTOSAVED_FIELDS the form lets this person change.
    values = models.JSONField(default=dict)
    # The article's version (its `updated_at`) the typing started from: the form's
    # loaded_version. A save since then is said, and the version check catches it.
    started_from = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            # NULLs are distinct in a unique constraint: one new article's draft per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_article",
            ),
        ]

    def __str__(self) -> str:
        return f"Autosave by {self.user_id} of {self.article_id or 'a new article'}"

    def saved_after(self, article: Article | None) -> bool:
        """Whether the article was saved (by anyone) after this was typed: the form's
        version check would then refuse it once, as it refuses any stale save."""
        if article is None or article.pk is None or self.started_from is None:
            return False
        return article.updated_at != self.started_from

    def changes(self, article: Article | None, fields: tuple[str, ...]) -> dict[str, str]:
        """The draft's text of `fields` that differs from the article as saved (None: a
        new article, whose saved text is empty)."""
        changed = {}
        for name in fields:
            if name not in self.values:
                continue
            saved = getattr(article, name) if article is not None else ""
            if _text(self.values[name]) != _text(saved or ""):
                changed[name] = self.values[name]
        return changed


@dataclass(frozen=True)
class Offer:
    """What the form shows of a draft: when it was typed, what differs from the saved text,
    and whether the article was saved since."""

    draft: Autosave
    changes: dict[str, str]
    saved_after: bool


def offer_of(*, user: User, article: Article | None, fields: tuple[str, ...]) -> Offer | None:
    """The draft to offer on opening the form, or None if there is none or it is what is
    saved already. One query."""
    draft = Autosave.objects.of(user=user, article=article).first()
    if draft is None:
        return None
    changes = draft.changes(article, fields)
    if not changes:
        return None
    return Offer(draft=draft, changes=changes, saved_after=draft.saved_after(article))


def autosave_draft(
    *, user: User, article: Article | None, values: dict[str, str], started_from: datetime | None
) -> Autosave:
    """Keep what `user` is typing of `article` (None: a new article), replacing what was
    kept before. Writes this one row only."""
    draft, _ = Autosave.objects.update_or_create(
        user=user,
        article=article if article is not None and article.pk else None,
        defaults={"values": values, "started_from": started_from, "saved_at": timezone.now()},
    )
    return draft


def discard_draft(*, user: User, article: Article | None) -> bool:
    """Forget what `user` typed of `article` (None: a new article): on saving the form, or
    on "Discard". True if there was a draft."""
    deleted, _ = Autosave.objects.of(user=user, article=article).delete()
    return bool(deleted)


def restored_initial(draft: Autosave, fields: Any) -> dict[str, str]:
    """The form's initial values from the draft: its text of the `fields` the form has, and
    the version it was typed from, so that the version check applies to it."""
    initial = {name: value for name, value in draft.values.items() if name in fields}
    if "loaded_version" in fields and draft.started_from is not None:
        initial["loaded_version"] = draft.started_from.isoformat()
    return initial

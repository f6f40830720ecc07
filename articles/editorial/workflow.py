"""The editorial workflow: who may move an article from one status to the next.

Authors write drafts and submit them for review; editors (users with the
`articles.publish_article` permission) publish now or at a chosen time, send articles
back to draft, archive them and restore earlier revisions. Each step validates the
article, then saves it in one transaction together with a revision saying who did what.
"""

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from accounts.models import User
from healthsite.caching.versions import invalidate_pages_at

from ..models import Article
from .content import approval_of, refresh_content_hash
from .models import ReviewNote

# What "restore a revision" brings back: the text and its filing. Workflow state (status,
# publish time, review) is never restored, so restoring cannot publish or unpublish.
RESTORED_FIELDS = ("title", "slug", "summary", "body", "category_id")


def can_publish(user: User) -> bool:
    return user.has_perm("articles.publish_article")


# Text in these statuses reaches readers (or will at its time) without another review,
# so only editors change it; its author reads it.
EDITORS_ONLY = frozenset({Article.Status.PUBLISHED, Article.Status.SCHEDULED})


def can_edit(user: User, article: Article) -> bool:
    """Editors change any article; authors their own until an editor publishes or
    schedules it, or sets its pending version to publish at a time: what goes out then is
    what the editor saw (articles.editorial.pending.publish_due_changes)."""
    return can_publish(user) or (
        article.author_id == user.pk
        and article.status not in EDITORS_ONLY
        and article.publish_changes_at is None
    )


def settle_status(article: Article) -> None:
    """Make the status say what the publish time means: "Published" with no time is
    published now; "Published" with a time to come is a schedule; a schedule whose time
    has come is published (lists should say so).

    The time is kept to the second: the admin's form shows and posts no microseconds, so
    a time stored with them would change, and be recorded as changed, on every save."""
    now = timezone.now().replace(microsecond=0)
    if article.published_at is not None:
        article.published_at = article.published_at.replace(microsecond=0)
    if article.status == Article.Status.PUBLISHED:
        if article.published_at is None:
            article.published_at = now
        elif article.published_at > now:
            article.status = Article.Status.SCHEDULED
    elif article.status == Article.Status.SCHEDULED and article.is_public:
        article.status = Article.Status.PUBLISHED


def save_article(article: Article) -> None:
    """Save an edit or a workflow step: the status settled first, and a schedule
    registered so that cached pages change when the article goes live by itself. The admin
    saves through here too."""
    settle_status(article)
    article.save()
    goes_live = article.published_at
    if (
        article.status == Article.Status.SCHEDULED
        and goes_live is not None  # a schedule always has its time (Article.clean)
        and goes_live > timezone.now()
    ):
        invalidate_pages_at(goes_live)


def _save(*, article: Article, by: User, comment: str) -> None:
    """Validate, then save with a revision; a ValidationError leaves nothing written."""
    article.full_clean()
    with transaction.atomic(), reversion.create_revision():
        save_article(article)
        reversion.set_user(by)
        reversion.set_comment(comment)


def submit_for_review(*, article: Article, by: User) -> None:
    """A draft goes to the editors. Its author or an editor may submit it."""
    if not can_edit(by, article):
        raise PermissionDenied("Only the article's author or an editor can submit it.")
    if article.status != Article.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    article.status = Article.Status.IN_REVIEW
    _save(article=article, by=by, comment="Submitted for review.")
    # What the reviewers' desk compares with the approvals on file.
    refresh_content_hash(article)


def publish_article(*, article: Article, by: User, at: datetime | None = None) -> None:
    """Publish now, or schedule for `at` when that is in the future.

    An article published before keeps its first publish time when published again, so
    its "Published" date stays true; an explicit `at` always wins.
    """
    if not can_publish(by):
        raise PermissionDenied("Only editors can publish.")
    if article.live_id is not None:
        raise ValidationError("This is a pending version: publish it as a change instead.")
    if approved_before_changes(article):
        raise ValidationError(
            "The text changed after the medical reviewer approved it: it needs their "
            "approval again before it is published."
        )
    now = timezone.now().replace(microsecond=0)  # to the second, as settle_status keeps it
    if at is not None and at > now:
        article.status = Article.Status.SCHEDULED
        article.published_at = at
        comment = f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M}."
    else:
        article.status = Article.Status.PUBLISHED
        if at is not None or article.published_at is None or article.published_at > now:
            article.published_at = at or now
        comment = "Published."
    article.replaced_by = None
    _save(article=article, by=by, comment=comment)


def approved_before_changes(article: Article) -> bool:
    """A medical reviewer approved an earlier version, and not this one. (An article whose
    review an editor recorded by hand, with no approval on file, keeps that review.)"""
    return (
        article.category.needs_medical_review()
        and article.review_notes.filter(kind=ReviewNote.Kind.APPROVED).exists()
        and approval_of(article) is None
    )


def return_to_draft(*, article: Article, by: User) -> None:
    """Take an article off the site (or out of review) and give it back to its author."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can send an article back to draft.")
    article.status = Article.Status.DRAFT
    article.replaced_by = None
    _save(article=article, by=by, comment="Returned to draft.")


def archive_article(
    *, article: Article, by: User, replacement: Article | None = None, note: str = ""
) -> None:
    """Take an article off the site for good: its address answers 410 Gone with `note`,
    or redirects permanently to `replacement`, which must be public."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can archive.")
    article.status = Article.Status.ARCHIVED
    article.replaced_by = replacement
    article.archive_note = note
    _save(article=article, by=by, comment="Archived.")


def restore_revision(*, article: Article, version: Version, by: User) -> None:
    """Bring back an earlier revision's text and filing, as a new revision.

    The status, publish time and review stay as they are now: restoring text is an
    edit like any other, and an author restoring an old revision publishes nothing.
    """
    if not can_edit(by, article):
        raise PermissionDenied("Only the article's author or an editor can restore it.")
    # A pending version takes the text of its live article's revisions too.
    own = {str(article.pk), *([str(article.live_id)] if article.live_id else [])}
    if version.object_id not in own or version.content_type.model_class() is not Article:
        raise ValidationError("That revision belongs to another article.")
    fields = version.field_dict
    for name in RESTORED_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    when = timezone.localtime(version.revision.date_created)
    _save(article=article, by=by, comment=f"Restored the revision of {when:%Y-%m-%d %H:%M}.")

"""Changes to live articles wait for approval, as the draft of a live page does in Wagtail.

Editing a published or scheduled article starts a **pending version**: an article row of
its own (`Article.live` names the live article), never public, edited and previewed like a
draft while readers, feeds, search and the sitemap keep showing the live text. An editor
publishes it (the live article takes its text, sources and tags) or discards it. In a
medical category a substantive change is published only once a medical reviewer has
approved that exact version (articles.editorial.review); a minor one keeps the last review.
"""

from datetime import datetime
from typing import Any

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from healthsite.caching.versions import invalidate_pages_at

from ..models import Article, Reference
from .content import CONTENT_FIELDS, REFERENCE_FIELDS, approval_of, refresh_content_hash
from .models import ReviewNote
from .workflow import EDITORS_ONLY, can_publish, save_article

# What a pending version copies of each source: what editors write (the link check is the
# live source's own, kept while its address stays the same).
COPIED_REFERENCE_FIELDS = (*REFERENCE_FIELDS, "accessed_on")


def is_live(article: Article) -> bool:
    """Whether readers see (or will see at its time) this article's stored text."""
    return article.live_id is None and article.status in EDITORS_ONLY


def can_change_live(user: User, article: Article) -> bool:
    """Editors change any live article, its author their own, through a pending version."""
    return can_publish(user) or article.author_id == user.pk


@transaction.atomic
def start_pending_version(*, article: Article, by: User) -> Article:
    """The pending version of a live article, made now as a copy of the live text, sources
    and tags if there is none yet."""
    if not is_live(article):
        raise ValidationError("Only a published or scheduled article gets a pending version.")
    if not can_change_live(by, article):
        raise PermissionDenied("Only the article's author or an editor can change it.")
    existing = Article.objects.filter(live=article).first()
    if existing is not None:
        return existing
    pending = Article(
        live=article,
        status=Article.Status.DRAFT,
        author=article.author,
        comments_closed=article.comments_closed,
        **{name: getattr(article, name) for name in CONTENT_FIELDS},
    )
    with reversion.create_revision():
        pending.save()
        reversion.set_user(by)
        reversion.set_comment("Started a pending version of the live article.")
    pending.tags.set(article.tags.names())
    Reference.objects.bulk_create(
        Reference(article=pending, **{name: getattr(ref, name) for name in COPIED_REFERENCE_FIELDS})
        for ref in article.references.all()
    )
    pending.update_search_index()
    refresh_content_hash(pending)
    return pending


def needs_approval(pending: Article) -> bool:
    """A substantive change in a medical category, or out of one: moving the article
    elsewhere changes advice readers read as reviewed, and the reviewers still see it
    (ArticleQuerySet.needing_medical_review)."""
    live = pending.live
    medical = pending.category.needs_medical_review() or (
        live is not None and live.category.needs_medical_review()
    )
    return pending.change_kind == Article.ChangeKind.SUBSTANTIVE and medical


def publish_refusal(pending: Article, *, approval: ReviewNote | None) -> str | None:
    """Why this pending version cannot be published now, or None if it can. `approval`:
    the version's own (content.approval_of), read once by the caller."""
    if needs_approval(pending) and approval is None:
        return (
            "A medical reviewer has to approve this version before it is published: it is a "
            "substantive change in a medical category. Submit it for review, or mark it as a "
            "minor change if it only fixes a typo, wording or a link."
        )
    if pending.change_kind == Article.ChangeKind.SUBSTANTIVE and not pending.change_summary:
        return "Write a one-line summary of the change: readers see it in the change history."
    return None


def publish_pending_version(*, pending: Article, by: User, at: datetime | None = None) -> Article:
    """Replace the live article's text, sources and tags with the pending version's, now or
    (with `at` in the future) by `publish_due_changes` at that time. Returns the live
    article."""
    if not can_publish(by):
        raise PermissionDenied("Only editors publish changes.")
    live = pending.live
    if live is None:
        raise ValidationError("This is not a pending version of a live article.")
    # A reviewer's approval is recorded whenever there is one; needed only for some.
    approval = approval_of(pending)
    refusal = publish_refusal(pending, approval=approval)
    if refusal:
        raise ValidationError(refusal)
    if at is not None and at > timezone.now():
        pending.publish_changes_at = at
        pending.status = Article.Status.IN_REVIEW
        pending.save(update_fields=["publish_changes_at", "status", "updated_at"])
        invalidate_pages_at(at)
        return live
    kind = "Minor change" if pending.change_kind == Article.ChangeKind.MINOR else "Change"
    summary = f": {pending.change_summary}" if pending.change_summary else ""
    _apply(
        pending=pending, live=live, approval=approval, by=by, comment=f"{kind} published{summary}."
    )
    return live


@transaction.atomic
def _apply(
    *, pending: Article, live: Article, approval: ReviewNote | None, by: User | None, comment: str
) -> None:
    """Give the live article the pending version's content, with a revision saying who
    (None: the schedule) and what; the pending version goes."""
    with reversion.create_revision():
        _apply_content(pending=pending, live=live, approval=approval)
        if by is not None:
            reversion.set_user(by)
        reversion.set_comment(comment)


def _apply_content(*, pending: Article, live: Article, approval: ReviewNote | None) -> None:
    now = timezone.now()
    tags = pending.tags.names()
    for name in CONTENT_FIELDS:
        setattr(live, name, getattr(pending, name))
    entry: dict[str, Any] = {"at": now.isoformat(), "summary": pending.change_summary}
    if pending.change_kind == Article.ChangeKind.MINOR:
        entry["kind"] = "corrected"
    else:
        entry["kind"] = "updated"
        live.substantively_updated_at = now
    if approval is not None:
        live.reviewer = approval.by
        live.reviewed_on = timezone.localdate(approval.created_at)
        live.next_review_override = None
        entry["reviewer"] = approval.by.public_name
        entry["reviewer_url"] = approval.by.get_absolute_url()
    live.change_log = [*live.change_log, entry]
    # Checked before anything is written (an address another article took meanwhile, say):
    # a refusal leaves the pending version whole, to wait on its page.
    live.full_clean()
    # The pending row goes first: it holds the address the live article takes.
    ReviewNote.objects.filter(article=pending).update(article=live)
    _sync_references(pending=pending, live=live)
    pending.delete()
    save_article(live)  # a schedule whose time has come is published, as on any save
    live.tags.set(tags)
    live.update_search_index()
    refresh_content_hash(live)


def _sync_references(*, pending: Article, live: Article) -> None:
    """Give the live article the pending version's sources, by number: a source that did
    not change keeps its row and its link check, a new one moves over, a removed one goes."""
    current = {reference.number: reference for reference in live.references.all()}
    wanted = {reference.number: reference for reference in pending.references.all()}
    live.references.exclude(number__in=wanted).delete()
    for number, new in wanted.items():
        old = current.get(number)
        if old is None:
            new.article = live
            new.save()
            continue
        if all(getattr(old, name) == getattr(new, name) for name in COPIED_REFERENCE_FIELDS):
            continue
        if old.url != new.url:  # a new address has not been checked yet
            old.checked_at, old.link_ok, old.check_result = None, None, ""
        for name in COPIED_REFERENCE_FIELDS:
            setattr(old, name, getattr(new, name))
        old.save()


def discard_pending_version(*, pending: Article, by: User) -> None:
    """Throw the pending version away: the live article stays as it is."""
    if not can_publish(by):
        raise PermissionDenied("Only editors discard changes.")
    if pending.live_id is None:
        raise ValidationError("This is not a pending version of a live article.")
    pending.delete()


def publish_due_changes(*, now: datetime | None = None) -> tuple[int, list[Article]]:
    """Publish the pending versions whose set time has come (`manage.py
    publish_due_changes`, every minute from cron). Returns how many were published, and
    the versions left waiting because they can no longer be (their text changed after
    the approval, say)."""
    due = Article.objects.filter(
        live__isnull=False, publish_changes_at__lte=now or timezone.now()
    ).select_related("live__category", "category")
    published, waiting = 0, []
    for pending in due:
        live = pending.live
        assert live is not None  # the filter above
        approval = approval_of(pending)
        if publish_refusal(pending, approval=approval):
            waiting.append(pending)
            continue
        try:
            _apply(
                pending=pending,
                live=live,
                approval=approval,
                by=None,
                comment="Scheduled change published.",
            )
        except ValidationError:
            # One version that cannot be published must not hold back the others, run
            # after run.
            waiting.append(pending)
            continue
        published += 1
    return published, waiting

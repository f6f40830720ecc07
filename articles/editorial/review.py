"""Medical review: reviewers approve an exact version or ask for changes, authors reply,
editors assign reviewers; and the reminders of reviews that are due.

Reviewers (the Medical reviewers group, permission `articles.review_article`) never edit
the text or publish: they record a verdict on what they read, against its content hash, so
that a change made after an approval needs a new one (articles.editorial.pending).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from healthsite.mail import send_templated_mail

from ..models import Article, ArticleQuerySet
from .content import content_hash, content_of
from .models import ReviewNote
from .workflow import submit_for_review

REVIEWERS_GROUP = "Medical reviewers"


def can_review(user: User, article: Article) -> bool:
    """A medical reviewer with credentials, who did not write the article."""
    return (
        user.is_active
        and user.has_perm("articles.review_article")
        and bool(user.credentials)
        and article.author_id != user.pk
    )


def _note(*, article: Article, by: User, kind: str, note: str = "") -> ReviewNote:
    content = content_of(article)
    return ReviewNote.objects.create(
        article=article,
        by=by,
        kind=kind,
        note=note,
        content=content,
        content_hash=content_hash(content),
    )


def last_approved_content(article: Article) -> dict | None:
    """The content a reviewer last approved, of this version or (for a pending version) of
    its live article, else the live text: what the next review is compared against."""
    ids = [article.pk, *([article.live_id] if article.live_id else [])]
    last = (
        ReviewNote.objects.filter(article_id__in=ids, kind=ReviewNote.Kind.APPROVED)
        .order_by("created_at", "pk")
        .last()
    )
    if last is not None:
        return last.content
    # No approval on file (a review an editor recorded by hand): what readers read now.
    return content_of(article.live) if article.live is not None else None


@transaction.atomic
def approve_version(*, article: Article, by: User, note: str = "") -> ReviewNote:
    """Record that `by` approved this exact version. For a draft it also becomes the
    article's medical review; a pending version takes it when it is published."""
    if not can_review(by, article):
        raise PermissionDenied("Only a medical reviewer who did not write it can approve it.")
    if article.status != Article.Status.IN_REVIEW:
        raise ValidationError("Only an article submitted for review can be approved.")
    approval = _note(article=article, by=by, kind=ReviewNote.Kind.APPROVED, note=note)
    if article.live_id is None:
        article.reviewer = by
        article.reviewed_on = timezone.localdate(approval.created_at)
        article.next_review_override = None
        article.save()
    return approval


@transaction.atomic
def request_changes(*, article: Article, by: User, note: str, base_url: str) -> ReviewNote:
    """Send the version back to its author with a note, by email and on its admin page."""
    if not can_review(by, article):
        raise PermissionDenied("Only a medical reviewer who did not write it can review it.")
    if not note.strip():
        raise ValidationError("Say what needs to change: the author reads this note.")
    requested = _note(
        article=article, by=by, kind=ReviewNote.Kind.CHANGES_REQUESTED, note=note.strip()
    )
    article.status = Article.Status.DRAFT
    # The author's answer goes back to the same reviewer.
    article.assigned_reviewer = by
    # A time an editor set to publish it at no longer holds: it goes back to its author,
    # and its approval of this same text would let publish_due_changes send it out.
    article.publish_changes_at = None
    article.save(update_fields=["status", "assigned_reviewer", "publish_changes_at", "updated_at"])
    author = article.author
    transaction.on_commit(
        lambda: (
            send_templated_mail(
                template="articles/email/changes_requested",
                to=author.email,
                context={
                    "article": article,
                    "note": requested,
                    "edit_url": base_url
                    + reverse("admin:articles_article_change", args=[article.pk]),
                },
            )
            if author.email
            else None
        )
    )
    return requested


def reply_and_resubmit(*, article: Article, by: User, note: str) -> ReviewNote | None:
    """The author's (or an editor's) answer to a request for changes, recorded with the
    version they send back; the article goes back to review, to the same reviewer."""
    submit_for_review(article=article, by=by)
    if not note.strip():
        return None
    return _note(article=article, by=by, kind=ReviewNote.Kind.REPLY, note=note.strip())


def assign_reviewer(*, article: Article, reviewer: User | None, by: User, base_url: str) -> None:
    """An editor names who reviews this version (None: any medical reviewer); the
    reviewer is told by email."""
    if not by.has_perm("articles.publish_article"):
        raise PermissionDenied("Only editors assign reviewers.")
    if reviewer is not None and not can_review(reviewer, article):
        raise ValidationError(f"{reviewer} cannot review this article.")
    article.assigned_reviewer = reviewer
    article.save(update_fields=["assigned_reviewer", "updated_at"])
    if reviewer is not None and reviewer.email:
        url = base_url + reverse("admin:articles_article_review", args=[article.pk])
        transaction.on_commit(
            lambda: send_templated_mail(
                template="articles/email/review_assigned",
                to=reviewer.email,
                context={"article": article, "reviewer": reviewer, "review_url": url},
            )
        )


# Editors see articles due this soon in the admin (filter and dashboard panel); the
# reminders name them too.
REVIEW_DUE_SOON_DAYS = 30
# A version in review this many days without a verdict is in its reviewers' reminders.
REVIEW_WAITING_DAYS = 7


def awaiting_approval(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Those of `articles` that wait for a medical reviewer: in review, in a medical
    category, and not approved as they now stand (no approval of their content hash, by
    anyone). Not a pending version set to publish at a time (it was cleared for it), nor a
    minor change to a live article, which needs no approval (pending.needs_approval)."""
    approved = ReviewNote.objects.filter(
        article=OuterRef("pk"), kind=ReviewNote.Kind.APPROVED, content_hash=OuterRef("content_hash")
    )
    return (
        articles.needing_medical_review()
        .filter(status=Article.Status.IN_REVIEW, publish_changes_at__isnull=True)
        .exclude(live__isnull=False, change_kind=Article.ChangeKind.MINOR)
        .exclude(Exists(approved))
    )


@dataclass
class RemindersSent:
    # Queued (healthsite.mail): one the mail server refuses is tried again, then kept in
    # the admin's failed emails.
    sent: int = 0


@dataclass(frozen=True)
class DigestEntry:
    article: Article
    url: str
    # "reviewer": theirs to review (the link opens the review page); "editor": overdue
    # with nobody to review it (the link opens the article, to assign a reviewer).
    role: str


@dataclass
class ReviewDigest:
    """What one person is reminded of in one run, by section."""

    person: User
    overdue: list[DigestEntry] = field(default_factory=list)
    due_soon: list[DigestEntry] = field(default_factory=list)
    waiting: list[DigestEntry] = field(default_factory=list)

    def add(self, section: str, entry: DigestEntry) -> None:
        entries: list[DigestEntry] = getattr(self, section)
        # Someone both reviewer and editor is told once, as the reviewer (added first).
        if all(listed.article.pk != entry.article.pk for listed in entries):
            entries.append(entry)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.waiting)


def send_review_reminders(*, today: date, base_url: str) -> RemindersSent:
    """Email one digest to each person who can act on a medical review, listing all of
    theirs; returns how many digests were queued.

    - A published article in a medical category, overdue or due within
      REVIEW_DUE_SOON_DAYS: its medical reviewer, if still an active member of Medical
      reviewers, else every active member. If it is overdue and has no such reviewer,
      every editor as well, to assign one.
    - A version waiting for approval (awaiting_approval) and not saved for more than
      REVIEW_WAITING_DAYS: its assigned reviewer, on the same terms, else every member.

    Reviewers' links open the review page, editors' the article. Meant for a daily cron:
    a reminder repeats until the review is done. Four queries, whatever the number of
    articles."""
    members = list(User.objects.filter(is_active=True, groups__name=REVIEWERS_GROUP).order_by("pk"))
    member_ids = {member.pk for member in members}
    editors = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="publish_article",
                groups__permissions__content_type__app_label="articles",
            )
            | Q(
                user_permissions__codename="publish_article",
                user_permissions__content_type__app_label="articles",
            )
        )
        .distinct()
        .order_by("pk")
    )
    digests: dict[int, ReviewDigest] = {}

    def remind(people: list[User], section: str, article: Article, role: str) -> None:
        view = "review" if role == "reviewer" else "change"
        url = base_url + reverse(f"admin:articles_article_{view}", args=[article.pk])
        for person in people:
            digest = digests.setdefault(person.pk, ReviewDigest(person))
            digest.add(section, DigestEntry(article, url, role))

    def reviewers_of(article: Article, reviewer: User | None) -> list[User]:
        if reviewer is not None and reviewer.pk in member_ids:
            return [reviewer]
        # Nobody is named (or they stopped reviewing): whoever reviews, but not the author.
        return [member for member in members if member.pk != article.author_id]

    due = (
        Article.objects.review_due_within(today=today, days=REVIEW_DUE_SOON_DAYS)
        .needing_medical_review()
        .without_text()
        .select_related("reviewer")
        .order_by("next_review_due", "pk")
    )
    for article in due:
        assert article.next_review_due is not None  # review_due_within compares it
        overdue = article.next_review_due < today
        section = "overdue" if overdue else "due_soon"
        remind(reviewers_of(article, article.reviewer), section, article, "reviewer")
        if overdue and (article.reviewer_id is None or article.reviewer_id not in member_ids):
            remind(editors, section, article, "editor")

    waiting_since = timezone.make_aware(
        datetime.combine(today - timedelta(days=REVIEW_WAITING_DAYS), time.min)
    )
    waiting = (
        awaiting_approval(Article.objects.filter(updated_at__lt=waiting_since))
        .without_text()
        .select_related("assigned_reviewer")
        .order_by("updated_at", "pk")
    )
    for article in waiting:
        remind(reviewers_of(article, article.assigned_reviewer), "waiting", article, "reviewer")

    result = RemindersSent()
    for digest in sorted(digests.values(), key=lambda digest: digest.person.pk):
        person = digest.person
        if not person.email:
            continue
        # Each digest is an email of its own in the queue: one address the server refuses
        # (or a server that drops the connection once) keeps no one else's from going out.
        send_templated_mail(
            template="articles/email/review_digest",
            to=person.email,
            context={
                "person": person,
                "digest": digest,
                "today": today,
                "due_soon_days": REVIEW_DUE_SOON_DAYS,
                "waiting_days": REVIEW_WAITING_DAYS,
            },
            failure=f"Could not send the review digest to user {person.pk}",
        )
        result.sent += 1
    return result

"""Who may comment, reply, edit, delete and report: every rule in one place.

Views refuse with these answers and templates show only what they allow (through
`comments.templatetags.comments`), so a link is never offered that its page refuses.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from articles.models import Article

from .models import Comment

# A comment's author can change it this long after posting it.
EDIT_WINDOW = timedelta(minutes=15)
EDIT_WINDOW_TEXT = f"{int(EDIT_WINDOW.total_seconds() // 60)} minutes"

type Reader = User | AnonymousUser


# Why someone cannot comment, as comment_refusal_reason() names it, and what they are told.
REFUSALS = {
    "closed": "Comments are closed on this article.",
    "login": "Login is required before commenting.",
    "confirm": (
        "Please confirm your email address before commenting: "
        "you can ask for a new link on your profile page."
    ),
}


def comment_refusal_reason(*, article: Article, user: Reader) -> str | None:
    """Why this user cannot comment on (or reply under) this article now, as a key of
    REFUSALS, or None if they can."""
    if article.comments_closed:
        return "closed"
    if not user.is_authenticated:
        return "login"
    if not user.email_confirmed:
        return "confirm"
    return None


def comment_refusal(*, article: Article, user: Reader) -> str | None:
    """What to tell this user about why they cannot comment here, or None if they can."""
    reason = comment_refusal_reason(article=article, user=user)
    return REFUSALS[reason] if reason else None


def can_comment(*, article: Article, user: Reader) -> bool:
    return comment_refusal_reason(article=article, user=user) is None


def editable_until(comment: Comment) -> datetime:
    return comment.created_at + EDIT_WINDOW


def in_edit_window(comment: Comment) -> bool:
    """Still open to its author's changes: shown (or awaiting approval) and recent."""
    return comment.status in {
        Comment.Status.VISIBLE,
        Comment.Status.PENDING,
    } and timezone.now() < editable_until(comment)


def _is_author(comment: Comment, user: Reader) -> bool:
    return user.is_authenticated and comment.user_id == user.pk


def can_edit(*, comment: Comment, user: Reader) -> bool:
    return _is_author(comment, user) and in_edit_window(comment)


def can_delete(*, comment: Comment, user: Reader) -> bool:
    return _is_author(comment, user) and comment.status != Comment.Status.REMOVED


def report_refusal(*, comment: Comment, user: Reader) -> str | None:
    """Why this user cannot report this comment, or None if they can. Reports hide
    comments, so they come only from confirmed accounts, about someone else's words that
    readers can see."""
    if not user.is_authenticated:
        return "Please log in to report a comment."
    if comment.user_id == user.pk:
        return "This is your own comment: you can edit or delete it instead of reporting it."
    if comment.status != Comment.Status.VISIBLE:
        return "Only comments readers can see can be reported."
    if not user.email_confirmed:
        return (
            "Please confirm your email address before reporting comments: "
            "you can ask for a new link on your profile page."
        )
    return None


def actions_for(*, comment: Comment, user: Reader) -> frozenset[str]:
    """What the reader may do with this comment, as the comment's links: "edit",
    "delete", "report". Report is offered to every signed-in reader but the author, as
    before; the report page itself says when their address is not confirmed yet."""
    if not user.is_authenticated:
        return frozenset()
    if _is_author(comment, user):
        return frozenset(
            name
            for name, allowed in (
                ("edit", can_edit(comment=comment, user=user)),
                ("delete", can_delete(comment=comment, user=user)),
            )
            if allowed
        )
    return frozenset({"report"}) if comment.status == Comment.Status.VISIBLE else frozenset()

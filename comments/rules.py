"""Who may comment, reply, edit, delete, report and moderate, and who replies as staff
from the admin: every rule in one place.

Views refuse with these answers and templates show only what they allow (through
`comments.templatetags.comments`), so a link is never offered that its page refuses.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
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


# The groups whose members reply as staff from the admin, and the label each gives, in the
# order they are tried. Being the article's author comes first (staff_role).
STAFF_GROUPS = (("Editors", Comment.StaffRole.EDITOR), ("Moderators", Comment.StaffRole.MODERATOR))


def moderates(user: Reader) -> bool:
    """Approves, hides and removes comments, on every article: moderators and editors.

    Authors do not, not even on their own articles: on a health site a comment that
    questions an article's advice must not be hidden by the person who wrote it, and one
    team applying one policy decides what stays up. Authors read, and answer, instead."""
    return user.has_perm("comments.change_comment")


def comments_in_admin(*, comments: QuerySet[Comment], user: Reader) -> QuerySet[Comment]:
    """Of `comments`, those the admin lists for this user: all of them for those who
    moderate, those on their own articles for anyone else who may read comments
    (authors), held and reported ones included."""
    if moderates(user):
        return comments
    if not user.is_authenticated:
        return comments.none()
    return comments.filter(article__author=user)


def reads_own_articles_comments(user: Reader) -> bool:
    """Reads the comments on their own articles in the admin, without moderating: authors."""
    return user.has_perm("comments.view_comment") and not moderates(user)


def staff_role(*, article: Article, user: Reader) -> str | None:
    """The role this user answers readers as on this article, a Comment.StaffRole, or None
    if they do not reply as staff here (medical reviewers, readers, another article's
    author). Costs one query for the user's groups, unless they wrote the article, after
    the permissions the admin has read already."""
    # Those who cannot read comments in the admin cannot answer them there either.
    if not (user.is_active and user.is_staff and user.has_perm("comments.view_comment")):
        return None
    if article.author_id == user.pk:
        return Comment.StaffRole.AUTHOR
    if user.is_superuser:
        return Comment.StaffRole.EDITOR
    groups = set(user.groups.values_list("name", flat=True))
    for group, role in STAFF_GROUPS:
        if group in groups:
            return role
    return None


def staff_reply_refusal(*, comment: Comment) -> str | None:
    """Why no staff reply can go under this comment now, or None if one can. Who may
    reply is staff_role's answer; this is about the comment and its article."""
    thread = comment.parent or comment
    if comment.article.comments_closed:
        return "Comments are closed on this article: open them on the article to reply."
    if thread.status == Comment.Status.REMOVED:
        return "This thread's comment was removed: there is nothing to reply to."
    return None

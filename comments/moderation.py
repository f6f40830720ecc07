"""Writing and moderating comments: each function validates, then acts in one transaction."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from articles.models import Article

from .models import REPORTS_TO_HIDE, Comment, Report
from .notifications import notify_about_new_comment


def initial_status(*, user: User, comment: Comment) -> str:
    """Moderators' comments go straight up. A user's first comment, and any comment with a
    link in it, waits for a moderator: that is where spam and harm come from."""
    # The cheap checks first: most comments come from regulars without links, and reading
    # the user's permissions costs two queries.
    if (
        not comment.has_link
        and Comment.objects.filter(user=user, status=Comment.Status.VISIBLE).exists()
    ):
        return Comment.Status.VISIBLE
    if user.has_perm("comments.change_comment"):
        return Comment.Status.VISIBLE
    return Comment.Status.PENDING


def post_comment(
    *,
    article: Article,
    user: User,
    body: str,
    parent: Comment | None = None,
    notify_replies: bool = False,
    base_url: str,
) -> Comment:
    comment = Comment(
        article=article, user=user, body=body, parent=parent, notify_replies=notify_replies
    )
    comment.status = initial_status(user=user, comment=comment)
    _write_new(comment=comment, base_url=base_url)
    return comment


def post_staff_reply(
    *, comment: Comment, user: User, role: str, body: str, base_url: str
) -> Comment:
    """A reply from the admin by an editor, moderator or the article's author, answering
    `comment`'s thread (replies go one level deep, as readers' do), labelled with `role`
    (rules.staff_role decides it; rules.staff_reply_refusal whether the thread takes one).

    Shown at once: staff answer for the site, so there is no one to approve it. Written,
    counted and announced as a reader's visible comment is, so the person replied to hears
    of it once, if they asked to."""
    reply = Comment(
        article=comment.article,
        parent=comment.parent or comment,
        user=user,
        body=body,
        status=Comment.Status.VISIBLE,
        staff_role=role,
    )
    _write_new(comment=reply, base_url=base_url)
    return reply


def _write_new(*, comment: Comment, base_url: str) -> None:
    with transaction.atomic():
        if comment.status == Comment.Status.VISIBLE:
            # New, so nobody else can have announced it: claimed as it is written.
            comment.notified_at = timezone.now()
        comment.save()
        if comment.notified_at:
            _notify_after_commit(comment=comment, base_url=base_url)


def _notify_once(*, comment: Comment, base_url: str) -> None:
    """Send the emails about a new comment if it is visible and they have not gone out yet.

    Claimed with one conditional UPDATE, so a comment hidden by reports and approved again,
    or approved by two moderators at once, is announced only once; a comment that waited
    for approval (edited or not meanwhile) is announced when it is approved. Call inside
    the transaction that made it visible: the emails go after it commits.
    """
    now = timezone.now()
    claimed = Comment.objects.filter(
        pk=comment.pk, status=Comment.Status.VISIBLE, notified_at__isnull=True
    ).update(notified_at=now)
    if claimed:
        comment.notified_at = now
        _notify_after_commit(comment=comment, base_url=base_url)


def _notify_after_commit(*, comment: Comment, base_url: str) -> None:
    transaction.on_commit(lambda: notify_about_new_comment(comment=comment, base_url=base_url))


def edit_comment(*, comment: Comment, body: str) -> Comment:
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        if comment.status == Comment.Status.VISIBLE:
            # Only its author edits a comment (rules.can_edit), so it has one.
            assert comment.user is not None
            # An edit that adds a link goes back for approval like a new comment would.
            comment.status = initial_status(user=comment.user, comment=comment)
        comment.save()
    return comment


def delete_comment(*, comment: Comment) -> None:
    """The author's own delete. Replies keep a "comment removed" placeholder above them;
    the text itself is gone either way."""
    with transaction.atomic():
        if comment.replies.exists():
            comment.body = ""
            comment.status = Comment.Status.REMOVED
            comment.save()
        else:
            comment.delete()


def report_comment(*, comment: Comment, user: User, reason: str, note: str = "") -> bool:
    """Record a report; False if this reader had reported the comment already.

    Enough different readers hide the comment until a moderator looks at it.
    """
    try:
        with transaction.atomic():
            Report.objects.create(comment=comment, user=user, reason=reason, note=note)
            locked = Comment.objects.select_for_update().get(pk=comment.pk)
            open_reports = locked.reports.filter(reviewed_at__isnull=True).count()
            if locked.status == Comment.Status.VISIBLE and open_reports >= REPORTS_TO_HIDE:
                locked.status = Comment.Status.HIDDEN
                locked.save(update_fields=["status"])
    except IntegrityError:
        return False
    return True


def moderate(*, comments: Iterable[Comment], status: str, by: User, base_url: str) -> int:
    """Set the status of comments, recording who did it and when. Approving closes their
    open reports and, for a comment never shown before, sends the notifications."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for comment in comments:
            comment.status = status
            comment.moderated_by = by
            comment.moderated_at = now
            comment.save(update_fields=["status", "moderated_by", "moderated_at"])
            changed += 1
            if status == Comment.Status.VISIBLE:
                comment.reports.filter(reviewed_at__isnull=True).update(reviewed_at=now)
                _notify_once(comment=comment, base_url=base_url)
    return changed

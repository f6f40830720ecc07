"""Opt-in emails about comments, each with a one-click unsubscribe link."""

from django.core import signing
from django.urls import reverse

from accounts.models import User
from healthsite.mail import send_templated_mail

from .models import Comment

UNSUBSCRIBE_SALT = "comments.unsubscribe"
REPLIES = "replies"
ARTICLE_COMMENTS = "article-comments"


def unsubscribe_token(*, user: User, topic: str) -> str:
    return signing.dumps({"user": user.pk, "topic": topic}, salt=UNSUBSCRIBE_SALT)


def _read_token(token: str) -> tuple[int, str] | None:
    """The user and topic an unsubscribe token names, or None for a bad token.

    Tokens do not expire: an old email's link must keep working.
    """
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if data.get("topic") not in {REPLIES, ARTICLE_COMMENTS}:
        return None
    return data.get("user"), data["topic"]


def unsubscribe_topic(*, token: str) -> str | None:
    """The topic a valid token would turn off, without turning it off; None for a bad one."""
    read = _read_token(token)
    return read[1] if read else None


def unsubscribe(*, token: str) -> str | None:
    """Turn off the emails the token names; returns the topic, or None for a bad token."""
    read = _read_token(token)
    if read is None:
        return None
    user_id, topic = read
    if topic == REPLIES:
        Comment.objects.filter(user_id=user_id).update(notify_replies=False)
        # And for the comments they write next: their profile's setting is off too.
        User.objects.filter(pk=user_id).update(notify_replies=False)
    else:
        User.objects.filter(pk=user_id).update(notify_comments=False)
    return topic


def notify_about_new_comment(*, comment: Comment, base_url: str) -> None:
    """Email whoever asked to hear about this comment: the person replied to, and the
    article's author. Called once per comment, when it first becomes visible (see
    comments.moderation; Comment.notified_at records it)."""
    parent = comment.parent
    if parent and parent.notify_replies and parent.user and parent.user_id != comment.user_id:
        _send(
            to=parent.user,
            topic=REPLIES,
            template="comments/email/reply",
            context={"comment": comment, "parent": parent},
            base_url=base_url,
        )
    author = comment.article.author
    if author.notify_comments and author.pk != comment.user_id:
        _send(
            to=author,
            topic=ARTICLE_COMMENTS,
            template="comments/email/new_comment",
            context={"comment": comment},
            base_url=base_url,
        )


def _send(*, to: User, topic: str, template: str, context: dict, base_url: str) -> None:
    if not to.email or not to.email_confirmed:
        return
    path = reverse(
        "comments:unsubscribe", kwargs={"token": unsubscribe_token(user=to, topic=topic)}
    )
    context = {
        **context,
        "recipient": to,
        "comment_url": base_url + context["comment"].get_absolute_url(),
        "unsubscribe_url": base_url + path,
    }
    send_templated_mail(
        template=template,
        to=to.email,
        context=context,
        # One-click unsubscribe from the mail program itself (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        failure=f"Could not send the {template} email to user {to.pk}",
    )

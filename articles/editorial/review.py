"""Medical review reminders: who is told when an article's next review is overdue."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from accounts.models import User
from healthsite.mail import send_templated_mail

from ..models import Article

# Editors see articles due this soon in the admin (filter and dashboard panel).
REVIEW_DUE_SOON_DAYS = 30


@dataclass
class RemindersSent:
    sent: int = 0
    failed: int = 0


def send_overdue_review_reminders(*, today: date, base_url: str) -> RemindersSent:
    """Email each overdue public article's author and medical reviewer; returns how many
    emails were sent and how many the mail server refused. Meant for a daily cron:
    reminders repeat until the article is reviewed again (a new review date moves "next
    review due"), so one that failed goes out again the next day."""
    result = RemindersSent()
    overdue = Article.objects.review_overdue(today=today).select_related("author", "reviewer")
    for article in overdue.order_by("next_review_due", "pk"):
        recipients = {p for p in (article.author, article.reviewer) if p is not None}
        for person in sorted(recipients, key=lambda user: user.pk):
            if not person.is_active or not person.email:
                continue
            # One address the server refuses (or a server that drops the connection once)
            # must not keep the reminders to everyone else from going out.
            if _remind(person=person, article=article, base_url=base_url):
                result.sent += 1
            else:
                result.failed += 1
    return result


def _remind(*, person: User, article: Article, base_url: str) -> bool:
    context = {
        "person": person,
        "article": article,
        "role": "reviewer" if person == article.reviewer else "author",
        "edit_url": base_url + reverse("admin:articles_article_change", args=[article.pk]),
        "page_url": base_url + article.get_absolute_url(),
    }
    return send_templated_mail(
        template="articles/email/review_overdue",
        to=person.email,
        context=context,
        failure=f"Could not send the review reminder for article {article.pk} to user {person.pk}",
    )

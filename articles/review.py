"""Medical review reminders: who is told when an article's next review is overdue."""

from datetime import date

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import Article

# Editors see articles due this soon in the admin (filter and dashboard panel).
REVIEW_DUE_SOON_DAYS = 30


def send_overdue_review_reminders(*, today: date, base_url: str) -> int:
    """Email each overdue public article's author and medical reviewer; returns the number
    of emails sent. Meant for a daily cron: reminders repeat until the article is reviewed
    again (a new review date moves "next review due")."""
    sent = 0
    overdue = Article.objects.review_overdue(today=today).select_related("author", "reviewer")
    for article in overdue.order_by("next_review_due", "pk"):
        recipients = {article.author, article.reviewer} - {None}
        for person in sorted(recipients, key=lambda user: user.pk):
            sent += _remind(person=person, article=article, base_url=base_url)
    return sent


def _remind(*, person: User, article: Article, base_url: str) -> int:
    if not person.is_active or not person.email:
        return 0
    context = {
        "person": person,
        "article": article,
        "role": "reviewer" if person == article.reviewer else "author",
        "edit_url": base_url + reverse("admin:articles_article_change", args=[article.pk]),
        "page_url": base_url + article.get_absolute_url(),
    }
    EmailMessage(
        subject=render_to_string("articles/email/review_overdue_subject.txt", context).strip(),
        body=render_to_string("articles/email/review_overdue.txt", context),
        to=[person.email],
    ).send()
    return 1

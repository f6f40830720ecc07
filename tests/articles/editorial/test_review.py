"""Medical review: who may review, medical categories, the dates readers see, the review
cycle, the editors' filter and dashboard panel, and the reminder emails."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial.workflow import publish_article
from articles.models import Article, add_months
from tests.articles.editorial.test_workflow import admin_form
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def editor():
    return make_user(username="ed", role="Editors")


@pytest.fixture
def doctor():
    return make_user(
        username="drsaad", display_name="Dr Amal Saad", credentials="MD, rheumatologist"
    )


@pytest.fixture
def medical():
    """Health (medical) > Joints: medical because its parent is."""
    health = make_category(name="Health", slug="health", is_medical=True)
    return make_category(name="Joints", slug="joints", parent=health)


def reviewed(article: Article, *, by, on: date) -> Article:
    article.reviewer, article.reviewed_on = by, on
    article.save()
    return article


# Who may review.


def test_reviewer_cannot_be_the_author(client, editor):
    writer = make_user(username="writer", credentials="RN")
    article = make_article(author=writer)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, reviewer=writer.pk, reviewed_on="2026-01-05"),
    )
    assertContains(response, "The medical reviewer cannot be the article&#x27;s author.")
    article.refresh_from_db()
    assert article.reviewer is None


def test_reviewer_needs_credentials(editor):
    article = make_article(category=make_category())
    article.reviewer, article.reviewed_on = make_user(credentials=""), date(2026, 1, 5)
    with pytest.raises(ValidationError, match="needs credentials"):
        article.full_clean()


def test_reviewer_and_date_go_together(doctor):
    article = make_article()
    article.reviewer = doctor
    with pytest.raises(ValidationError, match="both the medical reviewer and the review date"):
        article.full_clean()


def test_authors_cannot_record_a_review(client, doctor):
    writer = make_user(username="writer", role="Authors")
    article = make_article(author=writer, status=Status.DRAFT)
    client.force_login(writer)
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, reviewer=doctor.pk, reviewed_on="2026-01-05"),
    )
    article.refresh_from_db()
    assert article.reviewer is None


# Medical categories.


def test_medical_category_needs_a_review_before_publishing(client, editor, doctor, medical):
    draft = make_article(title="Knee pain", category=medical, status=Status.DRAFT)
    with pytest.raises(ValidationError, match="need a medical review"):
        publish_article(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    client.force_login(editor)
    url = f"/admin/articles/article/{draft.pk}/change/"
    response = client.post(url, admin_form(draft, status=Status.PUBLISHED))
    assertContains(response, "Articles in “Joints” need a medical review")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    response = client.post(
        url,
        admin_form(draft, status=Status.PUBLISHED, reviewer=doctor.pk, reviewed_on="2026-01-05"),
    )
    assert response.status_code == 302, response.text
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_non_medical_category_publishes_without_review(editor):
    draft = make_article(category=make_category(name="Cooking"), status=Status.DRAFT)
    publish_article(article=draft, by=editor)
    assert draft.status == Status.PUBLISHED


# What readers see.


def test_page_shows_review_publish_and_review_cycle(client, doctor, medical):
    published = timezone.make_aware(timezone.datetime(2026, 2, 1, 9, 30))
    article = make_article(title="Knee pain", category=medical, published_at=published)
    reviewed(article, by=doctor, on=date(2026, 3, 3))
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        f'Medically reviewed by <a href="/authors/{doctor.username}/">Dr Amal Saad</a>, '
        "MD, rheumatologist on",
        count=1,
    )
    assertContains(response, '<time datetime="2026-03-03">3 March 2026</time>', html=True)
    assertContains(response, "Published")
    assertNotContains(response, "Updated")
    assertContains(response, "Page last reviewed:")
    assertContains(response, '<time datetime="2029-03-03">3 March 2029</time>', html=True)


def test_unreviewed_article_counts_from_its_publish_date(client):
    published = timezone.make_aware(timezone.datetime(2026, 1, 31, 12, 0))
    article = make_article(category=make_category(review_period_months=1), published_at=published)
    assert article.next_review_due == date(2026, 2, 28)
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "Medically reviewed")
    assertContains(response, "Page last reviewed:")
    assertContains(response, "Next review due:")


def test_updated_date_only_for_a_substantive_change(client, editor):
    article = make_article(title="Fever")
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.post(url, admin_form(article, body="Drink water; rest."))
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.substantively_updated_at is None
    assertNotContains(client.get(article.get_absolute_url()), "Updated")

    response = client.post(
        url,
        admin_form(article, body="New advice: see a doctor after 3 days.", substantive_change="on"),
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.substantively_updated_at is not None
    page = client.get(article.get_absolute_url())
    assertContains(
        page,
        f'Updated <time datetime="{timezone.localtime(article.substantively_updated_at):%Y-%m-%dT}',
    )


def test_authors_do_not_get_the_substantive_change_box(client):
    writer = make_user(role="Authors")
    article = make_article(author=writer)
    client.force_login(writer)
    form = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert form.status_code == 200
    assertNotContains(form, 'name="substantive_change"')


# The review cycle.


def test_next_review_due_follows_the_category_period(doctor):
    category = make_category()
    article = reviewed(make_article(category=category), by=doctor, on=date(2026, 8, 31))
    assert article.next_review_due == date(2029, 8, 31)  # 36 months by default
    category.review_period_months = 6
    category.save()
    article.refresh_from_db()
    assert article.next_review_due == date(2027, 2, 28)


def test_editors_set_the_next_review_date_until_a_new_review(client, editor, doctor):
    today = timezone.localdate()
    first_review = today - timedelta(days=60)
    category = make_category()
    article = reviewed(
        make_article(title="Knee pain", category=category), by=doctor, on=first_review
    )
    assert article.next_review_due == add_months(first_review, 36)
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    review = {"reviewer": doctor.pk, "reviewed_on": f"{first_review:%Y-%m-%d}"}
    sooner = today + timedelta(days=20)

    response = client.post(
        url, admin_form(article, **review, next_review_override=f"{sooner:%Y-%m-%d}")
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.next_review_due == sooner
    page = client.get(article.get_absolute_url())
    assertContains(page, f'<time datetime="{sooner:%Y-%m-%d}">', count=1)
    assertContains(client.get("/admin/articles/article/?review=soon"), "Knee pain")
    category.review_period_months = 6  # a new period leaves a date set by hand alone
    category.save()
    article.refresh_from_db()
    assert article.next_review_due == sooner

    too_early = first_review - timedelta(days=1)
    response = client.post(
        url, admin_form(article, **review, next_review_override=f"{too_early:%Y-%m-%d}")
    )
    assertContains(response, "The next review must come after the review date.")
    article.refresh_from_db()
    assert article.next_review_due == sooner

    # A new review starts a new cycle from the category's period.
    response = client.post(
        url,
        admin_form(
            article,
            reviewer=doctor.pk,
            reviewed_on=f"{today:%Y-%m-%d}",
            next_review_override=f"{sooner:%Y-%m-%d}",
        ),
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.next_review_override is None
    assert article.next_review_due == add_months(today, 6)


def test_authors_cannot_set_the_next_review_date(client):
    writer = make_user(role="Authors")
    article = make_article(author=writer, status=Status.DRAFT)
    client.force_login(writer)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, next_review_override="2030-01-01"),
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.next_review_override is None


def test_add_months_keeps_the_day_or_the_months_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2026, 3, 1), 36) == date(2029, 3, 1)


@pytest.fixture
def due_articles(doctor):
    today = timezone.localdate()
    category = make_category(review_period_months=12)

    def article_reviewed(title: str, days_until_due: int) -> Article:
        # Reviewed 12 months before the wanted due date.
        due = today + timedelta(days=days_until_due)
        return reviewed(
            make_article(
                title=title,
                category=category,
                author=make_user(email=f"{title[:4].lower()}@example.com"),
            ),
            by=doctor,
            on=add_months(due, -12),
        )

    return {
        "overdue": article_reviewed("Overdue piece", -3),
        "soon": article_reviewed("Soon piece", 10),
        "later": article_reviewed("Later piece", 200),
    }


def test_admin_filter_for_overdue_and_due_soon(client, editor, due_articles):
    client.force_login(editor)
    overdue = client.get("/admin/articles/article/?review=overdue")
    assertContains(overdue, "Overdue piece")
    assertNotContains(overdue, "Soon piece")
    soon = client.get("/admin/articles/article/?review=soon")
    assertContains(soon, "Soon piece")
    assertNotContains(soon, "Overdue piece")
    assertNotContains(soon, "Later piece")


def test_review_filter_lists_published_articles_only_like_the_dashboard(
    client, editor, doctor, due_articles
):
    long_ago = add_months(timezone.localdate(), -48)
    draft = reviewed(make_article(title="Draft piece", status=Status.DRAFT), by=doctor, on=long_ago)
    archived = reviewed(make_article(title="Archived piece"), by=doctor, on=long_ago)
    archived.status = Status.ARCHIVED
    archived.save()
    assert draft.next_review_due < timezone.localdate()
    assert archived.next_review_due < timezone.localdate()
    client.force_login(editor)
    overdue = client.get("/admin/articles/article/?review=overdue")
    assertContains(overdue, "Overdue piece")
    for page in (
        overdue,
        client.get("/admin/"),
        client.get("/admin/articles/article/?review=soon"),
    ):
        assertNotContains(page, "Draft piece")
        assertNotContains(page, "Archived piece")
    assertNotContains(client.get("/admin/articles/article/?review=later"), "Draft piece")
    assertContains(client.get("/admin/articles/article/"), "Draft piece")  # still listed


def test_dashboard_panel_lists_overdue_and_due_soon_for_editors(client, editor, due_articles):
    client.force_login(editor)
    dashboard = client.get("/admin/")
    assertContains(dashboard, "Reviews overdue or due within 30 days")
    assertContains(dashboard, "Overdue piece")
    assertContains(dashboard, "(overdue)", count=1)
    assertContains(dashboard, "Soon piece")
    assertNotContains(dashboard, "Later piece")

    client.force_login(make_user(role="Authors"))
    assertNotContains(client.get("/admin/"), "Reviews overdue")


def test_reminder_command_emails_author_and_reviewer_of_overdue_articles(due_articles, doctor):
    inactive = make_user(is_active=False)
    overdue_unreviewed = make_article(
        title="Forgotten piece",
        category=make_category(review_period_months=1),
        author=inactive,
        published_at=timezone.now() - timedelta(days=90),
    )
    call_command("send_review_reminders", base_url="https://health.example.org/")
    by_subject = sorted((message.subject, tuple(message.to)) for message in mail.outbox)
    assert by_subject == [
        ("Review overdue: Overdue piece", ("drsaad@example.com",)),
        ("Review overdue: Overdue piece", ("over@example.com",)),
    ]
    body = mail.outbox[0].body
    assert "https://health.example.org/articles/" in body
    assert f"/admin/articles/article/{due_articles['overdue'].pk}/change/" in body
    assert overdue_unreviewed.next_review_due < timezone.localdate()  # skipped: inactive


def test_an_address_the_mail_server_refuses_does_not_stop_the_other_reminders(
    due_articles, doctor, settings, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingSomeEmailBackend"}}
    gone = make_user(email="gone@unreachable.example")
    unreachable = reviewed(
        make_article(title="Unreachable piece", author=gone),
        by=doctor,
        on=add_months(timezone.localdate(), -48),
    )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"1 review reminder\(s\) could not be sent"):
        call_command(
            "send_review_reminders", base_url="https://health.example.org", stdout=out, stderr=err
        )

    # Sent to everyone else, the reviewer included for the article whose author failed.
    assert sorted((message.subject, tuple(message.to)) for message in mail.outbox) == [
        ("Review overdue: Overdue piece", ("drsaad@example.com",)),
        ("Review overdue: Overdue piece", ("over@example.com",)),
        ("Review overdue: Unreachable piece", ("drsaad@example.com",)),
    ]
    assert out.getvalue() == "3 review reminder(s) sent.\n"
    assert (
        f"Could not send the review reminder for article {unreachable.pk} to user {gone.pk}"
        in caplog.text
    )
    assert "No such user here" in caplog.text  # with the server's answer


def test_reminder_command_reports_what_it_sent(due_articles):
    out = io.StringIO()
    call_command("send_review_reminders", base_url="https://health.example.org", stdout=out)
    assert out.getvalue() == "2 review reminder(s) sent.\n"


# Queries.


def test_article_page_queries_stay_fixed_with_a_reviewer(client, doctor, medical, no_page_cache):
    plain = make_article(category=medical, published_at=timezone.now() - timedelta(days=1))
    with_review = reviewed(make_article(category=medical), by=doctor, on=date(2026, 1, 5))

    def count(article: Article) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    assert count(with_review) == count(plain) <= 8

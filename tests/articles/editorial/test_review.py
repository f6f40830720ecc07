"""Medical review: who may review, medical categories, the dates readers see, the review
cycle, the editors' filter and dashboard panel, and the reminder emails."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from articles.editorial.content import refresh_content_hash
from articles.editorial.pending import start_pending_version
from articles.editorial.review import approve_version, send_review_reminders
from articles.editorial.workflow import publish_article, submit_for_review
from articles.models import Article, add_months
from mailqueue.models import FailedEmail
from tests.articles.editorial.admin_forms import (
    admin_form,
    change_live,
    pending_form,
    start_pending,
)
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status


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
    # A draft: a live article's review is recorded by a reviewer's approval instead.
    article = make_article(author=writer, status=Status.DRAFT)
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


def test_review_date_cannot_be_in_the_future(client, editor, doctor):
    article = make_article(status=Status.DRAFT)
    client.force_login(editor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, reviewer=doctor.pk, reviewed_on=f"{tomorrow:%Y-%m-%d}"),
    )
    assertContains(response, "The review date cannot be in the future.")
    article.refresh_from_db()
    assert (article.reviewer, article.reviewed_on) == (None, None)


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
    published = timezone.make_aware(datetime(2026, 2, 1, 9, 30))  # noqa: DTZ001 (made aware here)
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
    published = timezone.make_aware(datetime(2026, 1, 31, 12, 0))  # noqa: DTZ001 (made aware here)
    article = make_article(category=make_category(review_period_months=1), published_at=published)
    assert article.next_review_due == date(2026, 2, 28)
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "Medically reviewed")
    assertContains(response, "Page last reviewed:")
    assertContains(response, "Next review due:")


def test_updated_date_only_for_a_substantive_change(client, editor):
    article = make_article(title="Fever")
    client.force_login(editor)
    change_live(client, article, kind="minor", body="Drink water; rest.")
    assert article.substantively_updated_at is None
    assertNotContains(client.get(article.get_absolute_url()), "Updated")

    change_live(client, article, kind="substantive", body="New advice: see a doctor after 3 days.")
    assert article.substantively_updated_at is not None
    page = client.get(article.get_absolute_url())
    assertContains(
        page,
        f'Updated <time datetime="{timezone.localtime(article.substantively_updated_at):%Y-%m-%dT}',
    )


def test_authors_do_not_choose_the_kind_of_change(client):
    writer = make_user(role="Authors")
    article = make_article(author=writer)
    client.force_login(writer)
    version = start_pending(client, article)
    form = client.get(f"/admin/articles/article/{version.pk}/change/")
    assert form.status_code == 200
    # Whether a change is minor (and skips the medical review) is an editor's call.
    assertNotContains(form, 'name="change_kind"')
    assertContains(form, 'name="change_summary"')


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

    # A new review, a reviewer's approval of a version, starts a new cycle from the
    # category's period.
    doctor.groups.add(Group.objects.get(name="Medical reviewers"))
    version = start_pending_version(article=article, by=editor)
    version.change_summary = "Checked again"
    version.save()
    submit_for_review(article=version, by=editor)
    approve_version(article=version, by=doctor)
    response = client.post(
        f"/admin/articles/article/{version.pk}/change/",
        pending_form(version, _publish_changes="1"),
    )
    assert response.status_code == 302, response.text
    article.refresh_from_db()
    assert article.reviewed_on == today
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
    assert draft.next_review_due is not None
    assert archived.next_review_due is not None
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


# The reminders: one digest per person who can act, with links they can open.

BASE_URL = "https://health.example.org"
LINK = re.compile(re.escape(BASE_URL) + r"(/admin/\S+)")


@pytest.fixture
def reminders():
    """Who is reminded of what. Medical reviewers Dr Saad and Dr Lee (and one who left),
    editors Ed and a superuser, and medical articles in every state the reminders read."""
    today = timezone.localdate()
    group = {"role": "Medical reviewers", "credentials": "MD"}
    people = {
        "saad": make_user(username="drsaad", display_name="Dr Amal Saad", **group),
        "lee": make_user(username="drlee", display_name="Dr Kim Lee", **group),
        "left": make_user(username="drleft", is_active=False, **group),
        "ed": make_user(username="ed", role="Editors"),
        "boss": make_user(username="boss", is_superuser=True, is_staff=True),
        "retired editor": make_user(username="old-ed", role="Editors", is_active=False),
        "writer": make_user(username="writer", role="Authors"),
    }
    medical = make_category(name="Health", is_medical=True, review_period_months=12)

    def published(title: str, *, due_in: int, by=None, category=medical) -> Article:
        due = today + timedelta(days=due_in)
        article = make_article(
            title=title,
            category=category,
            author=people["writer"],
            published_at=timezone.now() - timedelta(days=800),
        )
        if by is not None:
            return reviewed(article, by=by, on=add_months(due, -12))
        Article.objects.filter(pk=article.pk).update(next_review_due=due)
        article.refresh_from_db()
        return article

    def waiting(title: str, *, days: int, assigned=None) -> Article:
        article = make_article(
            title=title, category=medical, author=people["writer"], status=Status.IN_REVIEW
        )
        refresh_content_hash(article)
        Article.objects.filter(pk=article.pk).update(
            assigned_reviewer=assigned, updated_at=timezone.now() - timedelta(days=days)
        )
        article.refresh_from_db()
        return article

    approved = waiting("Approved piece", days=10)
    approve_version(article=approved, by=people["saad"])
    Article.objects.filter(pk=approved.pk).update(updated_at=timezone.now() - timedelta(days=10))
    articles = {
        "overdue": published("Overdue piece", due_in=-3, by=people["saad"]),
        "soon": published("Soon piece", due_in=10, by=people["saad"]),
        "later": published("Later piece", due_in=200, by=people["saad"]),
        "unreviewed": published("Unreviewed piece", due_in=-30),
        "reviewer left": published("Orphan piece", due_in=5, by=people["left"]),
        "cooking": published("Cooking piece", due_in=-3, category=make_category()),
        "waiting for lee": waiting("Lee's piece", days=10, assigned=people["lee"]),
        "waiting for anyone": waiting("Anyone's piece", days=8),
        "just submitted": waiting("Fresh piece", days=2),
        "approved": approved,
    }
    return people, articles


def remind(**options) -> None:
    """`manage.py send_review_reminders` as cron runs it, outside any transaction: the
    digests it queues (healthsite.mail) go out, which each test's transaction would hold."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_review_reminders", **options)


def digests_by_username(people) -> dict[str, str]:
    by_address = {user.email: name for name, user in people.items()}
    bodies: dict[str, str] = {}
    for message in mail.outbox:
        [address] = message.to
        assert by_address[address] not in bodies, "one digest per person"
        bodies[by_address[address]] = str(message.body)
    return bodies


def test_reminders_send_one_digest_per_person_who_can_act(reminders):
    people, articles = reminders

    remind(base_url=f"{BASE_URL}/")

    digests = digests_by_username(people)
    assert sorted(digests) == ["boss", "ed", "lee", "saad"]
    assert {message.subject for message in mail.outbox} >= {
        "Medical reviews to do: 5 articles",  # Dr Saad
        "Medical reviews to do: 1 article",  # each editor
    }

    def listed(name: str) -> set[str]:
        return {title for title in TITLES if title in digests[name]}

    # Dr Saad reviewed two; every reviewer gets those with no reviewer who still reviews.
    assert listed("saad") == {
        "Overdue piece", "Soon piece", "Unreviewed piece", "Orphan piece", "Anyone's piece"
    }  # fmt: skip
    assert listed("lee") == {"Unreviewed piece", "Orphan piece", "Lee's piece", "Anyone's piece"}
    # Editors hear of an overdue article nobody looks after, to assign a reviewer.
    assert listed("ed") == listed("boss") == {"Unreviewed piece"}
    assert "please assign one" in digests["ed"]

    saad = digests["saad"]
    assert saad.index("Overdue\n") < saad.index("Overdue piece") < saad.index("Due soon\n")
    assert saad.index("Due soon\n") < saad.index("Soon piece") < saad.index("Waiting for your")
    assert saad.index("Waiting for your review\n") < saad.index("Anyone's piece")
    review_link = f"{BASE_URL}/admin/articles/article/{articles['overdue'].pk}/review/"
    assert review_link in saad
    change_link = f"{BASE_URL}/admin/articles/article/{articles['unreviewed'].pk}/change/"
    assert change_link in digests["ed"]


TITLES = (
    "Overdue piece", "Soon piece", "Later piece", "Unreviewed piece", "Orphan piece",
    "Cooking piece", "Lee's piece", "Anyone's piece", "Fresh piece", "Approved piece",
)  # fmt: skip


def test_every_link_in_a_digest_opens_for_its_recipient(client, reminders):
    # Needs ArticleAdmin.get_urls to route <pk>/review/ to review_view.
    people, _ = reminders
    remind(base_url=BASE_URL)

    for name, body in digests_by_username(people).items():
        links = LINK.findall(body)
        assert links, name
        client.force_login(people[name])
        for path in links:
            assert client.get(path).status_code == 200, (name, path)


def test_an_address_the_mail_server_refuses_does_not_stop_the_other_digests(
    reminders, settings, caplog
):
    people, _ = reminders
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingSomeEmailBackend"}}
    lee = people["lee"]
    lee.email = "lee@unreachable.example"
    lee.save()
    out = io.StringIO()

    remind(base_url=BASE_URL, stdout=out)

    assert sorted(digests_by_username(people)) == ["boss", "ed", "saad"]
    assert out.getvalue() == "4 review digest(s) queued.\n"
    assert f"Could not send the review digest to user {lee.pk}" in caplog.text
    assert "No such user here" in caplog.text  # with the server's answer
    # Refused for good (550): kept at once for editors, with the server's answer.
    [failed] = FailedEmail.objects.all()
    assert (failed.to, failed.attempts) == ("lee@unreachable.example", 1)
    assert "550 No such user here" in failed.last_error
    assert "Lee's piece" in failed.body


def test_reminders_skip_people_without_an_address_and_say_what_was_sent(reminders):
    people, _ = reminders
    User.objects.filter(pk=people["boss"].pk).update(email="")
    out = io.StringIO()
    remind(base_url=BASE_URL, stdout=out)
    assert out.getvalue() == "3 review digest(s) queued.\n"
    assert len(mail.outbox) == 3


def test_reminders_read_a_fixed_number_of_queries(reminders):
    def count() -> int:
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            send_review_reminders(today=timezone.localdate(), base_url=BASE_URL)
        return len(queries)

    few = count()
    medical = make_category(is_medical=True, review_period_months=1)
    for number in range(20):
        make_article(
            title=f"More {number}",
            category=medical,
            author=make_user(),
            published_at=timezone.now() - timedelta(days=90),
        )
    assert count() == few <= 4


# Queries.


def test_article_page_queries_stay_fixed_with_a_reviewer(client, doctor, medical, no_page_cache):
    plain = make_article(category=medical, published_at=timezone.now() - timedelta(days=1))
    with_review = reviewed(make_article(category=medical), by=doctor, on=date(2026, 1, 5))

    def count(article: Article) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    assert count(with_review) == count(plain) <= 8

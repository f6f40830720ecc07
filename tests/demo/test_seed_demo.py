import re

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from accounts.models import User
from articles.models import Article, Category

pytestmark = pytest.mark.django_db

HEADING = re.compile(r'<h2 id="[^"]+">[^<]+</h2>')
BULLETED_LIST = re.compile(r"<ul>\s*(<li>.+?</li>)", re.S)


def counts() -> dict:
    return {
        "categories": Category.objects.count(),
        "articles": Article.objects.count(),
        "users": User.objects.count(),
        "tagged": Article.tags.through.objects.count(),
    }


def test_seed_demo_builds_a_browsable_site(client):
    call_command("seed_demo")

    recovery = Category.objects.get(path="more/health/recovery")
    depths = {category.path.count("/") for category in Category.objects.all()}
    assert Category.objects.count() >= 6
    assert depths == {0, 1, 2}
    assert Article.objects.published().count() >= 12
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert User.objects.filter(articles__isnull=False).distinct().count() >= 2
    editor = User.objects.get(username="editor")
    assert editor.check_password("healthsite-editor")
    assert editor.has_perm("articles.publish_article")
    for username, role in [
        ("moderator", "Moderators"),
        ("amara.okafor", "Authors"),
        ("dr.helen.mwangi", "Medical reviewers"),
    ]:
        assert User.objects.get(username=username).groups.filter(name=role).exists()

    reviewed = Article.objects.published().in_category(recovery)
    assert not reviewed.filter(reviewer__isnull=True).exists()
    assert Article.objects.filter(references__isnull=False).exists()

    # Every demo article is a real one: sections, a bulleted list and tags.
    # taggit ships no stubs, so the Django plugin cannot see its "tags" manager.
    for demo in Article.objects.published().prefetch_related("tags"):  # type: ignore[misc]
        assert len(HEADING.findall(demo.body_html)) >= 2, demo.slug
        assert BULLETED_LIST.search(demo.body_html), demo.slug
        assert demo.tags.all(), demo.slug

    article = Article.objects.published().in_category(recovery).first()
    assert article is not None
    response = client.get(article.get_absolute_url())
    heading = HEADING.search(article.body_html)
    bullet = BULLETED_LIST.search(article.body_html)
    assert heading is not None
    assert bullet is not None
    first_heading = heading.group(0)
    first_bullet = bullet.group(1)
    assertContains(response, first_heading, html=True)
    assertContains(response, first_bullet, html=True)
    assertContains(response, "Comments (0)")
    assertContains(response, "Medically reviewed by")
    assert article.tags.exists()
    assert client.get("/more/health/recovery/").status_code == 200


def pending_in_review():
    return Article.objects.filter(live__isnull=False, status=Article.Status.IN_REVIEW)


def test_seed_demo_twice_creates_no_duplicates():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert pending_in_review().count() == 1


def test_demo_reviewer_signs_in_to_the_admin(client):
    call_command("seed_demo")
    reviewer = User.objects.get(username="dr.helen.mwangi")
    assert reviewer.is_staff
    assert reviewer.groups.filter(name="Medical reviewers").exists()
    assert reviewer.has_perm("articles.review_article")

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "dr.helen.mwangi", "password": "healthsite-reviewer"},
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assertContains(response, "healthsite editors")  # the admin's header, not its login form
    assert response.context["user"] == reviewer
    # The demo's change waits on her desk.
    (version,) = pending_in_review()
    assertContains(response, version.title)


def test_demo_change_waits_for_the_reviewer(client):
    call_command("seed_demo")
    (version,) = pending_in_review().select_related("live", "assigned_reviewer")
    live = version.live
    assert live.is_public
    assert live.category.needs_medical_review()
    assert version.assigned_reviewer.username == "dr.helen.mwangi"
    assert version.change_kind == Article.ChangeKind.SUBSTANTIVE
    assert version.change_summary
    assert version.body.startswith(live.body.rstrip())
    assert len(version.body) > len(live.body)
    assert version.tags.count() == live.tags.count()
    assert version.references.count() == live.references.count()
    # Readers still read the live text.
    response = client.get(live.get_absolute_url())
    assert response.status_code == 200
    assert version.body_html not in response.text


def test_seed_demo_if_empty_leaves_existing_content_alone(capsys):
    call_command("seed_demo")
    first = Article.objects.first()
    assert first is not None
    Article.objects.filter(slug=first.slug).delete()
    before = counts()
    call_command("seed_demo", if_empty=True)
    assert counts() == before
    assert "not loaded" in capsys.readouterr().out

"""The article editor's writing checks and live preview, through the admin."""

import json

import pytest
import time_machine
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import checks
from articles.editorial.checks import Source, check_article, syllables
from articles.models import Article, Reference
from tests.factories import make_article, make_category, make_user

from .admin_forms import admin_form

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/articles/article/editor/preview/"
FRAME = "/admin/articles/article/editor/preview/frame/"

PLAIN = """## Getting up safely

Stand up slowly. Hold on to something firm. Wait a moment before you walk.

- Keep a chair near you.
- Wear shoes that fit well.
"""

# One long sentence of long, rare words: a reading age far above 11.
DENSE = (
    "Proprioceptive rehabilitation interventions incorporating multidimensional "
    "vestibular habituation methodologies demonstrate considerable heterogeneity "
    "regarding neurophysiological outcomes, particularly concerning cerebellar "
    "degeneration, notwithstanding methodological inconsistencies, institutional "
    "variability and comparatively insufficient longitudinal characterisation."
)


def report(body: str, **overrides):
    values = {
        "title": "Getting up safely",
        "summary": "How to stand up from a chair or a bed without falling, step by step.",
        "body": body,
        "sources": [],
        "medical": False,
        "reviewed": False,
        "url": "/articles/getting-up-safely/",
    }
    return check_article(**{**values, **overrides})


def named(found, name: str):
    return next(check for check in found.checks if check.name == name)


# The checks, on texts built to pass and to fail.


def test_plain_english_passes_the_reading_level():
    found = named(report(PLAIN), "Reading level")
    assert found.status == "pass"
    assert report(PLAIN).reading_age <= 11


def test_dense_text_gets_a_warning_with_its_long_sentence_and_rare_words(settings):
    settings.TARGET_READING_AGE = 11
    found = named(report(DENSE), "Reading level")
    assert found.status == "warn"
    assert "above the 11" in found.summary
    assert any(detail.startswith("28 words: Proprioceptive") for detail in found.details)
    # Rare long words are named, rarest first; everyday long words are not.
    assert "proprioceptive" in found.marked
    assert "considerable" not in found.marked


def test_the_target_reading_age_is_a_setting(settings):
    settings.TARGET_READING_AGE = 60
    assert named(report(DENSE), "Reading level").status == "pass"


@pytest.mark.parametrize(
    ("word", "count"),
    [("walk", 1), ("table", 2), ("medicine", 3), ("ataxia", 4), ("rehabilitation", 6)],
)
def test_syllables_are_counted_as_said(word, count):
    assert syllables(word) == count


def test_a_picture_without_alt_text_blocks():
    found = named(report("![](https://example.org/x.png)\n\nText."), "Pictures")
    assert found.status == "block"
    assert named(report("![A walking frame](https://example.org/x.png)"), "Pictures").status == (
        "pass"
    )


def test_skipped_heading_levels_are_named():
    found = named(report("## Symptoms\n\n#### Early signs\n\nText."), "Headings")
    assert found.status == "warn"
    assert found.details == ["“Early signs” is a level 4 heading after level 2."]
    assert named(report("## Symptoms\n\n### Early signs\n"), "Headings").status == "pass"


def test_vague_link_text_is_named():
    found = named(report("Read [click here](https://example.org/) now."), "Links")
    assert found.status == "warn"
    assert found.details == ["“click here”"]
    good = "Read [the guide to balance exercises](https://example.org/)."
    assert named(report(good), "Links").status == "pass"


def test_tables_without_a_header_row_are_named():
    found = named(report("<table><tr><td>1</td></tr></table>"), "Tables")
    assert found.status == "warn"
    table = "| Week | Steps |\n| --- | --- |\n| 1 | 500 |\n"
    assert named(report(table), "Tables").status == "pass"


@time_machine.travel("2026-06-01 12:00Z")
def test_sources_are_counted_aged_and_their_failed_links_named():
    sources = [
        Source(number=1, title="A trial", url="https://example.org/1", year=2025),
        Source(number=2, title="An old review", url="https://example.org/2", year=2015),
        Source(
            number=3, title="A moved page", url="https://example.org/3", year=2024, link_ok=False
        ),
    ]
    found = report("Exercise helps [1] [2] [4].", sources=sources)
    assert named(found, "Sources").status == "warn"
    assert named(found, "Sources").details == [
        "[4] is cited in the text but no source has that number."
    ]
    assert named(found, "Age of sources").details == ["[2] An old review (2015)"]
    assert named(found, "Source links").details == ["[3] https://example.org/3"]
    assert named(report("No sources."), "Sources").status == "warn"


def test_summary_review_and_title_lengths():
    found = report(PLAIN, summary="", medical=True, title="A" * 70)
    assert named(found, "Summary").status == "warn"
    assert named(found, "Medical review").status == "warn"
    assert named(found, "Title").status == "warn"
    assert found.title_shown.endswith("…") or len(found.title_shown) <= 61
    fine = report(PLAIN, medical=True, reviewed=True)
    assert [c.status for c in fine.checks if c.name in {"Summary", "Medical review", "Title"}] == [
        "pass",
        "pass",
        "pass",
    ]


def test_long_summaries_are_shown_cut_as_search_results_cut_them():
    found = report(PLAIN, summary="word " * 60)
    assert named(found, "Summary").status == "warn"
    assert len(found.summary_shown) <= checks.SUMMARY_SHOWN_CHARACTERS + 2


# The live preview, through the admin.


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf(client: Client) -> str:
    client.get("/admin/articles/article/add/")
    return client.cookies["csrftoken"].value


def test_the_preview_renders_the_body_as_the_page_does(author):
    client = signed_in(author)
    body = "## Steps [1]\n\n:::urgent\n- you cannot stand\n:::\n\n<script>alert(1)</script>"
    response = client.post(
        PREVIEW,
        {"title": "Steps", "summary": "Short.", "body": body},
        HTTP_X_CSRFTOKEN=csrf(client),
    )
    assert response.status_code == 200
    answer = response.json()
    article = make_article(body=body, author=author, status=Article.Status.DRAFT)
    assert answer["body_html"] == article.body_html  # the pipeline a save uses
    assert "care-card--urgent" in answer["body_html"]
    assert "<script" not in answer["body_html"]
    assert "Look at:" in answer["checks_html"]
    assert answer["title"] == "Steps"


def test_the_preview_reads_the_sources_as_typed_and_the_stored_link_checks(author):
    article = make_article(author=author, status=Article.Status.DRAFT)
    Reference.objects.create(
        article=article, number=1, title="Moved", url="https://example.org/moved", link_ok=False
    )
    client = signed_in(author)
    data = admin_form(
        article,
        body="Rest helps [1].",
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-number": "1",
            "references-0-title": "Moved",
            "references-0-url": "https://example.org/moved",
        },
    )
    response = client.post(PREVIEW, {**data, "article": article.pk}, HTTP_X_CSRFTOKEN=csrf(client))
    assertContains(response, "1 link failed the last link check")
    assertContains(response, "1 source, 1 cited in the text.")


def test_the_preview_needs_the_csrf_token(author):
    client = signed_in(author)
    response = client.post(PREVIEW, {"body": "Hello"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", [None, "Moderators", "Medical reviewers"])
def test_only_people_who_write_articles_can_preview(role, client):
    user = make_user(role=role)
    client.force_login(user)
    response = client.post(PREVIEW, {"body": "Hello"})
    # Readers are sent to the admin's sign-in; staff who do not write are refused.
    assert response.status_code == (302 if role is None else 403)


def test_the_preview_of_another_authors_article_uses_none_of_its_stored_data(author, client):
    other = make_article(author=make_user(role="Authors"), status=Article.Status.DRAFT)
    Reference.objects.create(
        article=other, number=1, title="Theirs", url="https://example.org/theirs", link_ok=False
    )
    client.force_login(author)
    response = client.post(PREVIEW, {"body": "Text [1].", "article": other.pk})
    assert response.status_code == 200
    assertNotContains(response, "theirs")
    assertContains(response, "No sources yet")


def test_a_body_too_long_to_preview_is_refused_clearly(author, client):
    client.force_login(author)
    response = client.post(PREVIEW, {"body": "x" * 200_001})
    assert response.status_code == 413
    assert "save to see it" in response.json()["error"]


def test_the_preview_answers_post_only(author, client):
    client.force_login(author)
    assert client.get(PREVIEW).status_code == 405


def test_the_frame_may_be_shown_only_inside_the_site(author, client):
    client.force_login(author)
    response = client.get(FRAME)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self'" in policy  # the rest of the site's policy still holds
    assertContains(response, 'id="preview-body"')
    assertContains(response, "css/site.css")


# The checks on the form, before any typing and without JavaScript.


def test_the_change_form_shows_the_stored_texts_checks_and_a_summary(author, client):
    article = make_article(author=author, status=Article.Status.DRAFT, summary="")
    client.force_login(author)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assertContains(response, 'id="writing-checks"')
    assertContains(response, "<strong>Summary.</strong> No summary")
    warnings = len(checks.check_article(
        title=article.title, summary="", body=article.body, sources=[], medical=False,
        reviewed=False, url="",
    ).warnings)  # fmt: skip
    assertContains(response, f"{warnings} to look at")
    assertContains(response, "Formatting help")


def test_a_live_articles_read_only_page_has_no_checks(editor, client):
    article = make_article(author=editor)
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assertNotContains(response, 'id="writing-checks"')


def test_saving_a_picture_without_alt_text_is_refused_and_keeps_the_text(author, client):
    article = make_article(author=author, status=Article.Status.DRAFT)
    client.force_login(author)
    body = "Look:\n\n![](https://example.org/stairs.png)\n\nMy new paragraph."
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", admin_form(article, body=body)
    )
    assert response.status_code == 200
    assertContains(response, "1 picture has no alt text")
    assertContains(response, "My new paragraph.")
    article.refresh_from_db()
    assert "stairs" not in article.body


def test_the_help_under_the_body_names_the_care_cards_numbers(settings, author, client):
    settings.CARE_CARDS = {**settings.CARE_CARDS, "emergency": ("Emergency", "call 112 now if:")}
    client.force_login(author)
    response = client.get("/admin/articles/article/add/")
    assertContains(response, "call 112 now if:")


def test_the_preview_knows_a_medical_category(author, client):
    medical = make_category(is_medical=True)
    client.force_login(author)
    response = client.post(PREVIEW, {"body": "Text.", "category": medical.pk})
    assert "No medical review recorded yet" in json.loads(response.content)["checks_html"]


def test_submitting_for_review_sums_up_the_checks_still_to_look_at(author, client):
    article = make_article(author=author, status=Article.Status.DRAFT, summary="Short.")
    client.force_login(author)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form(article, _submit_for_review="1"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assertContains(response, "Writing checks still to look at: sources, summary.")


def test_a_submission_with_nothing_to_look_at_says_nothing_more(author, client):
    article = make_article(
        author=author,
        status=Article.Status.DRAFT,
        summary="How to stand up from a chair or a bed without falling, step by step.",
        body="Stand up slowly [1].",
    )
    Reference.objects.create(article=article, number=1, title="Falls", url="https://example.org/")
    client.force_login(author)
    form = admin_form(article, _submit_for_review="1")
    form.update(
        {
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "1",
            "references-0-id": str(article.references.get().pk),
            "references-0-article": str(article.pk),
            "references-0-number": "1",
            "references-0-title": "Falls",
            "references-0-url": "https://example.org/",
        }
    )
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form, follow=True)
    assertContains(response, "is now waiting for")
    assertNotContains(response, "Writing checks still to look at")

"""Editing the Health A to Z in the admin, tried from the outside as an editor, an author
and a reader."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from conditions.models import Condition, ConditionLink
from tests.articles.editorial.admin_forms import admin_form
from tests.conditions.factories import make_condition
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/conditions/condition/add/"


def condition_form(**overrides) -> dict:
    return {
        "name": "Cerebellar atrophy",
        "slug": "cerebellar-atrophy",
        "synonyms": "Cerebellar degeneration\r\nAtaxia",
        "description": "The part of the brain that **steadies** movement shrinks.",
        "icd10": "g31.9",
        "icd11": "",
        "mesh": "",
        "snomed": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        **overrides,
    }


def links_of(*articles: Article) -> dict:
    """The article rows of the condition's inline, one per article."""
    data = {"links-TOTAL_FORMS": str(len(articles)), "links-INITIAL_FORMS": "0"}
    for number, article in enumerate(articles):
        data[f"links-{number}-article"] = str(article.pk)
    return data


def article_conditions(*conditions: Condition) -> dict:
    """The conditions inline of the article form, adding these conditions."""
    data = {"condition_links-TOTAL_FORMS": str(len(conditions))}
    data["condition_links-INITIAL_FORMS"] = "0"
    for number, condition in enumerate(conditions):
        data[f"condition_links-{number}-condition"] = str(condition.pk)
    return data


def search(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    return re.findall(r'<h3 class="summary__title"><a href="[^"]+">([^<]+)</a></h3>', response.text)


@pytest.fixture
def editor():
    return make_user(username="ed", role="Editors")


@pytest.fixture
def author():
    return make_user(username="writer", role="Authors")


def test_editor_adds_a_condition_with_its_articles(client, editor):
    article = make_article(title="Walking safely")
    other = make_article(title="Balance at home")
    client.force_login(editor)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, condition_form(**links_of(article, other)))
    assert response.status_code == 302, response.text
    condition = Condition.objects.get()
    assert condition.icd10 == "G31.9"
    assert condition.synonyms == "Cerebellar degeneration\nAtaxia"
    assert "<strong>steadies</strong>" in condition.description_html
    assert set(condition.articles.all()) == {article, other}
    assert sorted(search(client, "ataxia")) == ["Balance at home", "Walking safely"]

    listing = client.get("/admin/conditions/condition/")
    assertContains(listing, "Cerebellar atrophy")
    assertContains(listing, '<td class="field-article_count">2</td>', html=True)

    # Unlinking one in the inline takes it out of search.
    link = ConditionLink.objects.get(article=other)
    keep = ConditionLink.objects.get(article=article)
    response = client.post(
        f"/admin/conditions/condition/{condition.pk}/change/",
        condition_form(
            **{
                "links-TOTAL_FORMS": "2",
                "links-INITIAL_FORMS": "2",
                "links-0-id": str(keep.pk),
                "links-0-condition": str(condition.pk),
                "links-0-article": str(article.pk),
                "links-1-id": str(link.pk),
                "links-1-condition": str(condition.pk),
                "links-1-article": str(other.pk),
                "links-1-DELETE": "on",
            }
        ),
    )
    assert response.status_code == 302, response.text
    assert list(condition.articles.all()) == [article]
    assert search(client, "ataxia") == ["Walking safely"]


def test_a_mistyped_code_is_refused_and_nothing_is_stored(client, editor):
    client.force_login(editor)
    response = client.post(ADD, condition_form(snomed="49049001", icd11="8O00"))
    assert response.status_code == 200
    assertContains(response, "fails its check digit")
    assertContains(response, "never holds the letters I or O")
    # What the editor typed is still in the form.
    assertContains(response, "Cerebellar degeneration")
    assert not Condition.objects.exists()


def test_editor_deletes_conditions_and_search_forgets_them(client, editor):
    article = make_article(title="Walking safely")
    condition = make_condition(name="Cerebellar atrophy", synonyms="Ataxia", articles=[article])
    client.force_login(editor)
    response = client.post(
        "/admin/conditions/condition/",
        {"action": "delete_selected", "_selected_action": [condition.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Condition.objects.exists()
    assert search(client, "ataxia") == []


def test_author_reads_the_a_to_z_but_changes_no_condition(client, author):
    condition = make_condition(name="Stroke", slug="stroke")
    client.force_login(author)
    listing = client.get("/admin/conditions/condition/")
    assertContains(listing, "Stroke")
    assertNotContains(listing, "/admin/conditions/condition/add/")
    assert client.get(ADD).status_code == 403
    page = client.get(f"/admin/conditions/condition/{condition.pk}/change/")
    assert page.status_code == 200
    assertNotContains(page, 'name="_save"')
    response = client.post(
        f"/admin/conditions/condition/{condition.pk}/change/", condition_form(name="Renamed")
    )
    assert response.status_code == 403
    assert Condition.objects.get().name == "Stroke"


def test_readers_are_kept_out(client):
    client.force_login(make_user(username="reader"))
    response = client.get("/admin/conditions/condition/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_author_tags_their_own_draft_with_conditions(client, author):
    draft = make_article(title="My draft on balance", author=author, status=Article.Status.DRAFT)
    stroke = make_condition(name="Stroke", synonyms="Brain attack")
    client.force_login(author)
    page = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(page, "Health A to Z: conditions this article is about")
    # The choice of conditions is searched as the author types.
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "conditions",
            "model_name": "conditionlink",
            "field_name": "condition",
            "term": "str",
        },
    )
    assert found.status_code == 200
    assert found.json()["results"] == [{"id": str(stroke.pk), "text": "Stroke"}]

    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        admin_form(draft, **article_conditions(stroke)),
    )
    assert response.status_code == 302, response.text
    assert list(draft.conditions.all()) == [stroke]
    draft.refresh_from_db()
    assert "Brain attack" in draft.search_extra


def test_the_article_form_without_its_conditions_leaves_them_as_they_are(client, editor):
    article = make_article(title="Walking safely", status=Article.Status.DRAFT)
    condition = make_condition(name="Cerebellar atrophy", synonyms="Ataxia", articles=[article])
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", admin_form(article, title="New title")
    )
    assert response.status_code == 302, response.text
    assert list(article.conditions.all()) == [condition]
    article.refresh_from_db()
    assert article.title == "New title"
    assert "Ataxia" in article.search_extra


def test_author_cannot_tag_an_article_an_editor_published(client, author):
    live = make_article(title="Published piece", author=author)
    stroke = make_condition(name="Stroke")
    client.force_login(author)
    page = client.get(f"/admin/articles/article/{live.pk}/change/")
    assert page.status_code == 200
    assertNotContains(page, 'name="condition_links-0-condition"')
    response = client.post(
        f"/admin/articles/article/{live.pk}/change/",
        admin_form(live, **article_conditions(stroke)),
    )
    assert response.status_code == 403
    assert not live.conditions.exists()


def test_author_cannot_tag_someone_elses_draft(client, author):
    theirs = make_article(status=Article.Status.DRAFT)
    stroke = make_condition(name="Stroke")
    client.force_login(author)
    response = client.post(
        f"/admin/articles/article/{theirs.pk}/change/",
        admin_form(theirs, **article_conditions(stroke)),
    )
    assert response.status_code in {302, 403}
    assert not theirs.conditions.exists()


def test_editor_tags_a_live_article_and_its_page_says_so(client, editor):
    live = make_article(title="Published piece")
    stroke = make_condition(name="Stroke", slug="stroke")
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{live.pk}/change/",
        admin_form(live, **article_conditions(stroke)),
    )
    assert response.status_code == 302, response.text
    client.logout()
    assertContains(
        client.get(live.get_absolute_url()), '<a href="/conditions/stroke/">Stroke</a>', html=True
    )

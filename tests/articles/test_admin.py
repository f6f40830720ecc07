"""The tags admin (django-taggit's, with ours around it): merging tags and changing an
article's tag links through the tag's inline keep articles, search and tag pages right."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag, TaggedItem

from articles.models import Article
from tests.articles.test_search import result_titles
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def merge_in_admin(client: Client, *, names: list[str], into: str):
    selected = Tag.objects.filter(name__in=names).values_list("pk", flat=True)
    response = client.post(
        "/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": list(selected)}
    )
    assert response["Location"] == "/admin/taggit/tag/merge-tags/"
    return client.post(response["Location"], {"new_tag_name": into})


def test_merging_into_a_selected_tag_keeps_every_article_and_redirects_the_old_page(client):
    make_article(title="Inhaler technique", tags=["asthma"])
    make_article(title="Peak flow diary", tags=["asthma", "asthma-care"])
    make_article(title="Spacers for children", tags=["asthma-care"])
    make_article(title="Other piece", tags=["sleep"])
    reader = Client()
    # A reader has the tag page, cached, before the merge.
    assertContains(reader.get("/tags/asthma/"), "Inhaler technique")
    client.force_login(make_user(role="Editors"))

    response = merge_in_admin(client, names=["asthma", "asthma-care"], into="asthma")
    assert response.status_code == 302, response.text

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["asthma", "sleep"]
    tagged = {a.title: sorted(a.tags.names()) for a in Article.objects.exclude(title="Other piece")}
    assert tagged == {
        "Inhaler technique": ["asthma"],
        "Peak flow diary": ["asthma"],
        "Spacers for children": ["asthma"],
    }
    page = reader.get("/tags/asthma/")
    for title in ("Inhaler technique", "Peak flow diary", "Spacers for children"):
        assertContains(page, title)
    assert sorted(result_titles(reader.get("/search/", {"q": "asthma"}))) == [
        "Inhaler technique",
        "Peak flow diary",
        "Spacers for children",
    ]
    assert result_titles(reader.get("/search/", {"q": "care"})) == []
    moved = reader.get("/tags/asthma-care/")
    assert moved.status_code == 301
    assert moved["Location"] == "/tags/asthma/"


def test_merging_twice_keeps_the_first_old_page_redirecting_to_the_last_tag(client):
    make_article(title="Inhaler technique", tags=["wheeze"])
    make_article(title="Peak flow diary", tags=["asthma"])
    make_article(title="Spacers", tags=["breathing"])
    client.force_login(make_user(role="Editors"))
    assert merge_in_admin(client, names=["wheeze", "asthma"], into="asthma").status_code == 302
    assert (
        merge_in_admin(client, names=["asthma", "breathing"], into="breathing").status_code == 302
    )

    for old in ("wheeze", "asthma"):
        response = client.get(f"/tags/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/tags/breathing/")
    assert client.get("/tags/never-was/").status_code == 404
    assert Article.objects.filter(tags__name="breathing").count() == 3


def test_removing_an_article_through_the_tags_inline_updates_search_and_the_page(client):
    article = make_article(title="Inhaler technique", tags=["asthma", "inhalers"])
    make_article(title="Peak flow diary", tags=["asthma"])
    reader = Client()
    assert sorted(result_titles(reader.get("/search/", {"q": "asthma"}))) == [
        "Inhaler technique",
        "Peak flow diary",
    ]
    assertContains(reader.get(article.get_absolute_url()), 'href="/tags/asthma/"')
    tag = Tag.objects.get(name="asthma")
    client.force_login(make_user(role="Editors"))

    # django-taggit's inline of the tag's links, prefixed by the related name of its
    # foreign key to the tag.
    prefix = "taggit_taggeditem_items"
    items = list(TaggedItem.objects.filter(tag=tag).order_by("pk"))
    data = {
        "name": tag.name,
        "slug": tag.slug,
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(len(items)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, item in enumerate(items):
        data |= {
            f"{prefix}-{number}-id": str(item.pk),
            f"{prefix}-{number}-tag": str(tag.pk),
            f"{prefix}-{number}-content_type": str(item.content_type_id),
            f"{prefix}-{number}-object_id": str(item.object_id),
        }
        if item.object_id == article.pk:
            data[f"{prefix}-{number}-DELETE"] = "on"
    response = client.post(f"/admin/taggit/tag/{tag.pk}/change/", data)
    assert response.status_code == 302, response.text

    assert sorted(article.tags.names()) == ["inhalers"]
    assert result_titles(reader.get("/search/", {"q": "asthma"})) == ["Peak flow diary"]
    assert result_titles(reader.get("/search/", {"q": "inhalers"})) == ["Inhaler technique"]
    assertNotContains(reader.get(article.get_absolute_url()), 'href="/tags/asthma/"')

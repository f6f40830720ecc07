"""An article's JSON-LD names the conditions it is about as schema.org MedicalConditions."""

import json
import re

import pytest

from tests.conditions.factories import make_condition
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def page_data(response) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])["@graph"][0]


def test_about_lists_each_condition_with_its_other_names_and_codes(client):
    article = make_article()
    make_condition(
        name="Parkinson's disease",
        slug="parkinsons-disease",
        synonyms="Parkinson disease\nParalysis agitans",
        icd10="G20",
        icd11="8A00.0",
        mesh="D010300",
        snomed="49049000",
        articles=[article],
    )
    make_condition(name="Long COVID", slug="long-covid", articles=[article])
    about = page_data(client.get(article.get_absolute_url()))["about"]
    assert about == [
        {
            "@type": "MedicalCondition",
            "name": "Long COVID",
            "url": "http://testserver/conditions/long-covid/",
        },
        {
            "@type": "MedicalCondition",
            "name": "Parkinson's disease",
            "url": "http://testserver/conditions/parkinsons-disease/",
            "alternateName": ["Parkinson disease", "Paralysis agitans"],
            "code": [
                {"@type": "MedicalCode", "codeValue": "G20", "codingSystem": "ICD-10"},
                {"@type": "MedicalCode", "codeValue": "8A00.0", "codingSystem": "ICD-11"},
                {"@type": "MedicalCode", "codeValue": "D010300", "codingSystem": "MeSH"},
                {"@type": "MedicalCode", "codeValue": "49049000", "codingSystem": "SNOMED-CT"},
            ],
        },
    ]


def test_an_article_about_no_condition_has_no_about(client):
    article = make_article()
    assert "about" not in page_data(client.get(article.get_absolute_url()))


def test_a_name_cannot_break_out_of_the_script(client):
    article = make_article()
    make_condition(name="</script><b>x</b>", articles=[article])
    response = client.get(article.get_absolute_url())
    assert page_data(response)["about"][0]["name"] == "</script><b>x</b>"
    assert "<b>x</b>" not in response.text

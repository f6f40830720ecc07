"""Conditions as editors write them: codes checked with clear messages, synonyms one a
line, the description rendered once and sanitized."""

import pytest
from django.core.exceptions import ValidationError

from conditions.codes import verhoeff_valid
from conditions.models import Condition, letter_of
from tests.conditions.factories import make_condition

pytestmark = pytest.mark.django_db


def errors_of(**fields) -> dict[str, list[str]]:
    condition = Condition(name="Stroke", slug="stroke", description="A text.", **fields)
    with pytest.raises(ValidationError) as caught:
        condition.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("icd10", "G20"),
        ("icd10", "G31.9"),
        ("icd10", "S72.001A"),
        ("icd11", "8A00.0"),
        ("icd11", "RA02"),
        ("mesh", "D010300"),
        ("mesh", "D000086382"),
        ("snomed", "49049000"),
        ("snomed", "230690007"),
    ],
)
def test_real_codes_are_accepted(field, value):
    condition = make_condition(**{field: value})
    assert getattr(Condition.objects.get(pk=condition.pk), field) == value


def test_a_code_typed_in_lower_case_is_stored_in_capitals():
    condition = make_condition(icd10=" g31.9 ", icd11="8a00.0")
    condition.refresh_from_db()
    assert (condition.icd10, condition.icd11) == ("G31.9", "8A00.0")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("icd10", "G3", "An ICD-10 code is a capital letter, two digits"),
        ("icd10", "31.9", "e.g. G20 or G31.9"),
        ("icd11", "8I00", "It never holds the letters I or O."),
        ("icd11", "8A00.", "e.g. 8A00.0 or RA02"),
        ("mesh", "D01030", "a capital D and six or nine digits"),
        ("mesh", "C010300", "e.g. D010300"),
        ("snomed", "049049000", "6 to 18 digits with no leading zero"),
        ("snomed", "49049001", "fails its check digit"),
        ("snomed", "49094000", "fails its check digit"),  # two digits swapped
        ("snomed", "49049016", "not a concept's"),
    ],
)
def test_mistyped_codes_are_refused_with_a_clear_message(field, value, message):
    errors = errors_of(**{field: value})
    assert message in " ".join(errors[field])
    assert not Condition.objects.exists()


def test_verhoeff_check_digit():
    assert verhoeff_valid("2363")  # the textbook example: 236 with check digit 3
    assert not verhoeff_valid("2364")


def test_synonyms_are_one_a_line_without_repeats():
    condition = make_condition(name="Stroke", synonyms="Brain attack\r\n\r\n  CVA  \n")
    assert condition.synonym_list == ["Brain attack", "CVA"]
    assert condition.terms == ["Stroke", "Brain attack", "CVA"]
    assert "listed twice" in errors_of(synonyms="Brain attack\nbrain attack")["synonyms"][0]
    assert "listed twice" in errors_of(synonyms="stroke")["synonyms"][0]
    assert "one name a line" in errors_of(synonyms="x" * 101)["synonyms"][0]


def test_names_are_unique_whatever_their_case():
    make_condition(name="Long COVID")
    with pytest.raises(ValidationError, match="in the A to Z already"):
        Condition(name="long covid", slug="long-covid-2", description="x").full_clean()


def test_description_is_rendered_once_and_sanitized():
    condition = make_condition(
        description="It **hurts**.\n\n<script>alert(1)</script>\n\n- one\n- two\n"
    )
    stored = Condition.objects.get(pk=condition.pk)
    assert "<strong>hurts</strong>" in stored.description_html
    assert "<li>one</li>" in stored.description_html
    assert "script" not in stored.description_html


@pytest.mark.parametrize(
    ("name", "letter"),
    [("Stroke", "S"), ("ataxia", "A"), ("Ébola", "E"), ("5q atrophy", "#"), (" knee", "K")],
)
def test_names_are_filed_under_their_first_letter(name, letter):
    assert letter_of(name) == letter

"""Medical coding systems a condition may carry a code of, and the checks of their formats.

The checks catch typing mistakes (a letter O for a zero, a missing dot, a digit too many),
not whether a code exists: only the coding system's own browser can tell that.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@dataclass(frozen=True)
class CodingSystem:
    field: str  # the Condition field holding the code
    label: str  # what pages and the admin call it
    schema_name: str  # schema.org's MedicalCode.codingSystem
    pattern: str
    message: str


CODING_SYSTEMS = (
    CodingSystem(
        field="icd10",
        label="ICD-10",
        schema_name="ICD-10",
        # A letter, two more characters, then optionally a dot and up to four more:
        # G20, G31.9, M17.11, S72.001A (the national editions add the longer ones).
        pattern=r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?",
        message="An ICD-10 code is a capital letter, two digits and, if needed, a dot "
        "and up to four more characters, e.g. G20 or G31.9.",
    ),
    CodingSystem(
        field="icd11",
        label="ICD-11",
        schema_name="ICD-11",
        # Four characters, the second a letter and the third a digit, then optionally a
        # dot and one or two more: 8A00.0, RA02, FA01. ICD-11 never uses the letters I or
        # O, so that they cannot be mistaken for 1 and 0.
        pattern=r"[0-9A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9A-HJ-NP-Z](\.[0-9A-HJ-NP-Z]{1,2})?",
        message="An ICD-11 code is four characters (the second a letter, the third a "
        "digit) and, if needed, a dot and one or two more, e.g. 8A00.0 or RA02. It never "
        "holds the letters I or O.",
    ),
    CodingSystem(
        field="mesh",
        label="MeSH",
        schema_name="MeSH",
        # A descriptor's unique id: D and six digits, or nine for those added since 2018.
        pattern=r"D[0-9]{6}([0-9]{3})?",
        message="A MeSH descriptor id is a capital D and six or nine digits, e.g. D010300.",
    ),
    CodingSystem(
        field="snomed",
        label="SNOMED CT",
        schema_name="SNOMED-CT",
        pattern=r"[1-9][0-9]{5,17}",
        message="A SNOMED CT concept id is 6 to 18 digits with no leading zero, e.g. 49049000.",
    ),
)
BY_FIELD = {system.field: system for system in CODING_SYSTEMS}

# Verhoeff's dihedral check digit, which SNOMED CT ids end with: it catches every single
# mistyped digit and every swap of two neighbouring digits.
_MULTIPLY = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_PERMUTE = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(digits: str) -> bool:
    """Whether the last digit of `digits` is the Verhoeff check digit of the others."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return check == 0


# The two digits before a SNOMED CT id's check digit say what it identifies: a concept
# has 00 (core) or 10 (an extension); a description or relationship has others.
CONCEPT_PARTITIONS = frozenset({"00", "10"})


@deconstructible
class CodeValidator:
    """Checks a code's format for one coding system (CODING_SYSTEMS), by the field's name."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, value: str) -> None:
        system = BY_FIELD[self.field]
        if not re.fullmatch(system.pattern, value):
            raise ValidationError(system.message, code="code_format")
        if self.field == "snomed":
            if value[-3:-1] not in CONCEPT_PARTITIONS:
                raise ValidationError(
                    "This SNOMED CT id is not a concept's (a description's or a "
                    "relationship's, perhaps): copy the concept id, shown beside the "
                    "concept's name in the SNOMED CT browser.",
                    code="snomed_partition",
                )
            if not verhoeff_valid(value):
                raise ValidationError(
                    "This SNOMED CT id fails its check digit: a digit is probably mistyped "
                    "or two are swapped. Please copy it again.",
                    code="snomed_check_digit",
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodeValidator) and other.field == self.field

    def __hash__(self) -> int:
        return hash((type(self), self.field))

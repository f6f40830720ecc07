"""Builders for the Health A to Z's tests (tests/factories.py builds the rest)."""

from itertools import count

from conditions.models import Condition

_serial = count(1)


def make_condition(
    *, name: str | None = None, synonyms: str = "", articles=(), **fields
) -> Condition:
    number = next(_serial)
    name = name or f"Condition number {number}"
    fields.setdefault("slug", f"condition-{number}")
    fields.setdefault("description", f"What {name} is, in **plain** words.")
    condition = Condition(name=name, synonyms=synonyms, **fields)
    condition.full_clean()
    condition.save()
    if articles:
        condition.articles.add(*articles)
    return condition

"""Reading an article's revisions (django-reversion versions) as an editor would."""

import difflib

from django.db.models import Field
from reversion.models import Version

from ..models import Article

# Fields a revision compare leaves out: bookkeeping that changes on every save.
UNCOMPARED_FIELDS = {"id", "created_at", "updated_at"}


def compare_versions(old: Version, new: Version) -> list[dict]:
    """Each field that differs between two revisions, with a line-by-line diff for text."""
    fields = Article._meta
    before, after = old.field_dict, new.field_dict
    changes = []
    for name in after:
        if name in UNCOMPARED_FIELDS or before.get(name) == after.get(name):
            continue
        field = fields.get_field(name.removesuffix("_id"))
        # A revision holds the article's own fields, never a relation pointing at it.
        assert isinstance(field, Field)
        lines = list(
            difflib.unified_diff(
                _readable(field, before.get(name)).splitlines(),
                _readable(field, after.get(name)).splitlines(),
                lineterm="",
                n=2,
            )
        )[2:]  # the "---"/"+++" header names no file here
        changes.append(
            {
                "label": field.verbose_name.capitalize(),
                "lines": [
                    {
                        "text": line,
                        "kind": {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], ""),
                    }
                    for line in lines
                ],
            }
        )
    return changes


def _readable(field: Field, value: object) -> str:
    """A stored value as an editor knows it: a category's name rather than its id."""
    if value is None:
        return ""
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, id {value})"
    return str(value)

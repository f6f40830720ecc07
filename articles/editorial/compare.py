"""Two versions of an article side by side, as an editor or a medical reviewer reads them.

The content compared is articles.editorial.content.content_of()'s: the live article and
its pending version, or the version a reviewer last approved (ReviewNote.content) and this
one, or two revisions of an article (articles.editorial.revisions). Each field that differs
becomes a two-column table (templates/admin/articles/article/includes/side_by_side.html):
text line by line, with the words that changed within a line marked, and names in place of
ids. A revision made before revisions kept sources and tags has None for them: "not
recorded", rather than a list that looks emptied.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from images.models import Image

from ..models import Category

Kind = Literal["same", "removed", "added", "changed", "unknown"]

NOT_RECORDED = "Not recorded in this revision"

# A run of unchanged lines longer than this shows as one "… n unchanged lines …" row.
MAX_UNCHANGED_RUN = 3
# Two lines at the same place count as one line changed (its words marked) when at least
# this share of their words match; below it, one line was removed and another added, and
# marking nearly every word would only make them harder to read.
SIMILAR_LINES = 0.5
# Words, runs of spaces and runs of punctuation: "fluids," and "fluids" share a word.
TOKENS = re.compile(r"\w+|\s+|[^\w\s]+")

TEXT_FIELDS = {"title": "Title", "slug": "Address", "summary": "Summary", "body": "Body"}
# What content_of() gives a version that has none of it: `old=None` compares with this.
NOTHING: dict[str, Any] = {
    "title": "",
    "slug": "",
    "summary": "",
    "hero_image_id": None,
    "body": "",
    "category_id": None,
    "tags": [],
    "references": [],
}


@dataclass(frozen=True)
class Cell:
    """One side of a row: its text as HTML, escaped, with <del>/<ins> around the words
    that changed when `kind` is "changed"."""

    kind: Kind
    html: SafeString


@dataclass(frozen=True)
class Row:
    """A row of the table: what the old version has (left) and the new one (right) at this
    place; None where a side has nothing (a line only added, or only removed). A row with
    `skipped` stands for that many unchanged lines left out, and has no cells."""

    left: Cell | None = None
    right: Cell | None = None
    skipped: int = 0

    @property
    def cells(self) -> tuple[Cell | None, Cell | None]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Change:
    label: str
    rows: list[Row]


def compare_contents(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """The fields that differ between two versions' content, in the order of the edit
    form. `old=None` (a version never approved before) shows all of `new` as added.

    Reads at most one query of categories and one of images, whatever the content."""
    # Over NOTHING: content stored by an older version of content_of() may lack a field.
    before, new = {**NOTHING, **(old or {})}, {**NOTHING, **new}
    changes = []
    for name, label in TEXT_FIELDS.items():
        if before[name] != new[name]:
            changes.append(Change(label, _text_rows(before[name], new[name])))
        if name == "summary" and before["hero_image_id"] != new["hero_image_id"]:
            # The hero image sits between summary and body, as in the edit form.
            changes.append(Change("Hero image", _hero_rows(before, new)))
    if before["category_id"] != new["category_id"]:
        changes.append(Change("Category", _category_rows(before, new)))
    if _differ(before["tags"], new["tags"]):
        if before["tags"] is None or new["tags"] is None:
            changes.append(Change("Tags", _unrecorded_rows(before["tags"], new["tags"])))
        else:
            changes.append(Change("Tags", _tag_rows(before["tags"], new["tags"])))
    if _differ(before["references"], new["references"]):
        old_sources, new_sources = before["references"], new["references"]
        if old_sources is None or new_sources is None:
            rows = _unrecorded_rows(_source_lines(old_sources), _source_lines(new_sources))
        else:
            rows = _source_rows(old_sources, new_sources)
        changes.append(Change("Sources", rows))
    return changes


def _differ(old: list | None, new: list | None) -> bool:
    """Whether two lists differ as far as is known: one not recorded (None) differs from
    the other only if that one has something to show."""
    if old is None or new is None:
        return bool(old or new)
    return old != new


def compare_value(label: str, old: str | None, new: str | None) -> Change:
    """One more field of two versions, given as text (None: no value): several lines
    compared line by line, one line as a whole or with its changed words marked."""
    if "\n" in (old or "") or "\n" in (new or ""):
        return Change(label, _text_rows(old or "", new or ""))
    return Change(label, [_pair(old, new)])


def _unrecorded_rows(old: list[str] | None, new: list[str] | None) -> list[Row]:
    """A list one version did not record: what the other has, beside "not recorded"; the
    difference is not known, so nothing is marked removed or added."""
    values = old if new is None else new
    rows = [
        Row(_cell("same", value), None) if new is None else Row(None, _cell("same", value))
        for value in (values or [])
    ]
    note = _cell("unknown", NOT_RECORDED)
    if rows:
        first = rows[0]
        rows[0] = Row(first.left or note, first.right or note)
    else:
        rows = [Row(note if old is None else None, note if new is None else None)]
    return rows


def _text_rows(old: str, new: str) -> list[Row]:
    """Line by line, unchanged runs longer than MAX_UNCHANGED_RUN collapsed."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if i2 - i1 > MAX_UNCHANGED_RUN:
                rows.append(Row(skipped=i2 - i1))
            else:
                rows.extend(
                    Row(_cell("same", line), _cell("same", line)) for line in old_lines[i1:i2]
                )
            continue
        removed, added = old_lines[i1:i2], new_lines[j1:j2]
        # A replaced block pairs its lines in order; what one side has more of is only
        # removed, or only added.
        for index in range(max(len(removed), len(added))):
            rows.append(
                _pair(
                    removed[index] if index < len(removed) else None,
                    added[index] if index < len(added) else None,
                )
            )
    return rows


def _pair(old: str | None, new: str | None) -> Row:
    """One row for a line (or value) that is only in the old version, only in the new, or
    in both and different."""
    if old is None or new is None:
        return _whole(old, new)
    old_words, new_words = TOKENS.findall(old), TOKENS.findall(new)
    if _similarity(old_words, new_words) < SIMILAR_LINES:
        return _whole(old, new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    left: list[SafeString] = []
    right: list[SafeString] = []
    for tag, removed, added in _spans(matcher.get_opcodes(), old_words, new_words):
        if tag == "equal":
            left.append(escape(removed))
            right.append(escape(added))
            continue
        if removed:
            left.append(format_html("<del>{}</del>", removed))
        if added:
            right.append(format_html("<ins>{}</ins>", added))
    return Row(Cell("changed", _joined(left)), Cell("changed", _joined(right)))


def _similarity(old: list[str], new: list[str]) -> float:
    """The share of words (and punctuation) two lines have in common: the spaces between
    words, alike in any two sentences, do not count."""
    return difflib.SequenceMatcher(
        None,
        [word for word in old if not word.isspace()],
        [word for word in new if not word.isspace()],
        autojunk=False,
    ).ratio()


def _spans(
    opcodes: Iterable[tuple[str, int, int, int, int]], old: list[str], new: list[str]
) -> list[tuple[str, str, str]]:
    """The opcodes as (kind, old text, new text), kind "equal" or "changed", with changes
    that only spaces part joined: "<del>a b</del>" rather than "<del>a</del> <del>b</del>"."""
    raw = [
        ("equal" if tag == "equal" else "changed", "".join(old[i1:i2]), "".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in opcodes
    ]
    spans: list[tuple[str, str, str]] = []
    for index, (kind, removed, added) in enumerate(raw):
        only_spaces_between_changes = (
            kind == "equal"
            and removed.isspace()
            and 0 < index < len(raw) - 1
            and raw[index + 1][0] == "changed"
        )
        if (
            (kind == "changed" or only_spaces_between_changes)
            and spans
            and spans[-1][0] == "changed"
        ):
            _, before, after = spans.pop()
            spans.append(("changed", before + removed, after + added))
        else:
            spans.append((kind, removed, added))
    return spans


def _cell(kind: Kind, text: str) -> Cell:
    return Cell(kind, escape(text))


def _joined(parts: list[SafeString]) -> SafeString:
    # Each part is escaped already: joined as they are, nothing is escaped twice.
    return format_html_join("", "{}", ((part,) for part in parts))


def _hero_rows(old: dict[str, Any], new: dict[str, Any]) -> list[Row]:
    ids = {old["hero_image_id"], new["hero_image_id"]} - {None}
    images = Image.objects.only("alt_text").in_bulk(ids)

    def described(pk: int | None) -> str | None:
        if pk is None:
            return None
        image = images.get(pk)
        return f"#{pk} {image.alt_text}" if image else f"#{pk} (no longer in the library)"

    return [_whole(described(old["hero_image_id"]), described(new["hero_image_id"]))]


def _category_rows(old: dict[str, Any], new: dict[str, Any]) -> list[Row]:
    ids = {old["category_id"], new["category_id"]} - {None}
    categories = Category.objects.only("name", "ancestry").in_bulk(ids)

    def named(pk: int | None) -> str | None:
        if pk is None:
            return None
        category = categories.get(pk)
        return category.name_with_parents if category else f"(deleted category, id {pk})"

    return [_whole(named(old["category_id"]), named(new["category_id"]))]


def _whole(old: str | None, new: str | None) -> Row:
    """A value replaced as a whole (a name, or a line unlike the one before): the old one
    removed, the new one added, side by side."""
    return Row(
        left=_cell("removed", old) if old is not None else None,
        right=_cell("added", new) if new is not None else None,
    )


def _tag_rows(old: list[str], new: list[str]) -> list[Row]:
    kept = set(old) & set(new)
    removed = [Row(left=_cell("removed", name)) for name in old if name not in kept]
    return removed + [Row(right=_cell("added", name)) for name in new if name not in kept]


def _source_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Row]:
    """By number, as the body cites them: [2] changed is the source the body's [2] now
    points at."""
    before = {source["number"]: source for source in old}
    after = {source["number"]: source for source in new}
    rows = []
    for number in sorted(before.keys() | after.keys()):
        old_source, new_source = before.get(number), after.get(number)
        if old_source != new_source:
            rows.append(_pair(_source_text(old_source), _source_text(new_source)))
    return rows


def _source_lines(sources: list[dict[str, Any]] | None) -> list[str] | None:
    if sources is None:
        return None
    return [line for line in map(_source_text, sources) if line is not None]


def _source_text(source: dict[str, Any] | None) -> str | None:
    """A source on one line, every field shown: a change to any of them is visible."""
    if source is None:
        return None
    parts = [f"[{source['number']}] {source['title']}"]
    published = ", ".join(
        str(part) for part in (source.get("publisher"), source.get("year")) if part
    )
    if published:
        parts.append(published)
    parts.append(source.get("url", ""))
    if source.get("doi"):
        parts.append(f"DOI {source['doi']}")
    if source.get("pubmed_id"):
        parts.append(f"PubMed {source['pubmed_id']}")
    return ". ".join(parts)

"""Checks while writing: what an editor should look at before an article goes for review.

Each check reads the text as it is being typed (the article form's values, not the stored
row), so the editor sees the result beside the editor and again before submitting. All of
them are advice, except one: a picture without alt text cannot be saved (`blocking_problem`).

- Reading level: the Flesch-Kincaid grade of the body, given as a reading age (grade + 5,
  as UK health services state it) against settings.TARGET_READING_AGE, with the longest
  sentences and the rarest long words (wordfreq's list of common English words).
- Accessibility: alt text, headings in order, link text that says where it goes, tables
  with header cells.
- Trust: how many sources, how old, which links failed the last `check_references`, and
  whether the summary and the medical review are there.
- Length: words and reading time, and the title and summary as search results and shared
  links show them.
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from django.conf import settings
from django.utils import timezone
from wordfreq import zipf_frequency

from .. import reading
from ..markdown import render_markdown

Status = Literal["pass", "warn", "block"]

# Sentences longer than this are hard to follow (plain-English guides say 15 to 20 words
# on average, 25 at most).
LONG_SENTENCE_WORDS = 25
LONGEST_SENTENCES_SHOWN = 3
# Long words: three syllables or more. Rare: below this Zipf frequency (a word met about
# once in a million words scores 3); 0 is a word not in the list of common words at all.
RARE_WORD_ZIPF = 3.0
RAREST_WORDS_SHOWN = 8
SOURCE_MAX_AGE_YEARS = 5
# What search engines show of a page before cutting it short.
TITLE_SHOWN_CHARACTERS = 60
SUMMARY_SHOWN_CHARACTERS = 160
SUMMARY_MIN_CHARACTERS = 50
VAGUE_LINK_TEXT = {
    "click here",
    "here",
    "this",
    "link",
    "this link",
    "more",
    "read more",
    "find out more",
    "learn more",
    "click",
    "this page",
    "website",
}


@dataclass
class Check:
    name: str
    status: Status
    summary: str
    details: list[str] = field(default_factory=list)
    # Words to mark inside the details (the rarest long words in their sentences).
    marked: list[str] = field(default_factory=list)


@dataclass
class Source:
    number: int | None
    title: str
    url: str
    year: int | None
    link_ok: bool | None = None


@dataclass
class Report:
    checks: list[Check]
    words: int
    reading_minutes: int
    reading_age: float | None
    title: str
    summary: str
    url: str

    @property
    def blocking(self) -> list[Check]:
        return [check for check in self.checks if check.status == "block"]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.status == "warn"]

    @property
    def title_shown(self) -> str:
        return _shorten(self.title, TITLE_SHOWN_CHARACTERS)

    @property
    def summary_shown(self) -> str:
        return _shorten(self.summary, SUMMARY_SHOWN_CHARACTERS)


def check_article(
    *,
    title: str,
    summary: str,
    body: str,
    sources: Iterable[Source],
    medical: bool,
    reviewed: bool,
    url: str,
    body_html: str | None = None,
) -> Report:
    """Every check, on the text as typed. `body_html`: the body already rendered, if the
    caller has it (rendering is the slowest part)."""
    rendered = render_markdown(body) if body_html is None else body_html
    blocks = text_blocks(rendered)
    found = sentences(blocks)
    age = reading_age(found)
    sources = list(sources)
    words = sum(len(WORD.findall(block)) for block in blocks)
    checks = [
        reading_level(found, age),
        alt_text(rendered),
        heading_order(rendered),
        link_text(rendered),
        table_headers(rendered),
        source_count(sources, body),
        source_age(sources),
        broken_sources(sources),
        summary_present(summary),
        review_present(medical=medical, reviewed=reviewed),
        title_length(title),
    ]
    return Report(
        checks=checks,
        words=words,
        reading_minutes=reading.reading_minutes(rendered),
        reading_age=age,
        title=title,
        summary=summary,
        url=url,
    )


def blocking_problem(body_html: str) -> str | None:
    """Why a body cannot be saved as it is, or None."""
    check = alt_text(body_html)
    return check.summary if check.status == "block" else None


# Reading level

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|caption|figcaption|dt|dd|blockquote)>|<br>")
TAG = re.compile(r"<[^>]+>")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]*\s+")
CITATION = re.compile(r"\[\d{1,3}\]")


def text_blocks(body_html: str) -> list[str]:
    """The body's text, one string per paragraph, list item, heading or cell: a list item
    or a heading is read as a sentence of its own even without a full stop."""
    blocks = []
    for chunk in BLOCK_END.split(body_html):
        text = " ".join(html.unescape(TAG.sub(" ", chunk)).split())
        text = CITATION.sub("", text).strip()
        if WORD.search(text):
            blocks.append(text)
    return blocks


def sentences(blocks: list[str]) -> list[str]:
    return [
        sentence.strip()
        for block in blocks
        for sentence in SENTENCE_END.split(block)
        if WORD.search(sentence)
    ]


VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs said as two sounds (ataxia, radio, medium, video, usual), except in endings
# said as one (station, special, anxious).
TWO_SOUNDS = re.compile(r"i[aou]|eo|ua|uo|ea$|coo")
ONE_SOUND_ENDINGS = re.compile(r"[cgstx]i(?:on|al|ous|an)s?$")


def syllables(word: str) -> int:
    """Syllables in an English word, counted by vowel groups with the common exceptions
    (a silent final "e", "-ed", "-es", "-le", vowel pairs said as two sounds): right for
    most words and a syllable out for some, which a grade over a whole body hardly feels."""
    word = word.lower().strip("'\u2019")
    if len(word) <= 3:
        return 1
    count = len(VOWEL_GROUP.findall(word))
    count += len(TWO_SOUNDS.findall(ONE_SOUND_ENDINGS.sub("", word)))
    if re.search(r"[^aeiouy]le$", word):
        pass  # table, simple: the "e" is heard
    elif word.endswith("e") and not word.endswith(("ee", "ye")):
        count -= 1  # make, cure
    elif re.search(r"[^aeiouytd]ed$|[^aeiouyscgxzh]es$", word):
        count -= 1  # walked, helped, makes; but needed, doses, changes
    return max(1, count)


def reading_age(found: list[str]) -> float | None:
    """The Flesch-Kincaid grade of these sentences as a reading age (grade + 5)."""
    words = [word for sentence in found for word in WORD.findall(sentence)]
    if not words:
        return None
    grade = (
        0.39 * len(words) / len(found)
        + 11.8 * sum(syllables(word) for word in words) / len(words)
        - 15.59
    )
    return round(max(grade, 0) + 5, 1)


def reading_level(found: list[str], age: float | None) -> Check:
    """The reading level of the body's sentences (`found`), of reading age `age`."""
    target = settings.TARGET_READING_AGE
    if age is None:
        return Check("Reading level", "pass", "No text to read yet.")
    longest = sorted(
        (s for s in found if len(WORD.findall(s)) > LONG_SENTENCE_WORDS),
        key=lambda s: -len(WORD.findall(s)),
    )[:LONGEST_SENTENCES_SHOWN]
    rare = rarest_long_words(found)
    details = [f"{len(WORD.findall(s))} words: {s}" for s in longest]
    if rare:
        details.append("Rare long words (explain or replace them): " + ", ".join(rare) + ".")
    if age <= target:
        summary = f"Reading age about {age:g}: plain English (aim: {target} or under)."
        return Check("Reading level", "pass", summary, details, rare)
    summary = (
        f"Reading age about {age:g}, above the {target} that plain English aims at: "
        "shorter sentences and everyday words bring it down."
    )
    return Check("Reading level", "warn", summary, details, rare)


def rarest_long_words(found: list[str]) -> list[str]:
    """Words of three syllables or more that are rare in everyday English, rarest first."""
    seen: dict[str, float] = {}
    for sentence in found:
        for word in WORD.findall(sentence):
            folded = word.lower()
            if folded not in seen and syllables(folded) >= 3:
                seen[folded] = _frequency(folded)
    rare = sorted((zipf, word) for word, zipf in seen.items() if zipf < RARE_WORD_ZIPF)
    return [word for _, word in rare[:RAREST_WORDS_SHOWN]]


@cache
def _frequency(word: str) -> float:
    # wordfreq's small list (about 4 MB in memory, loaded on first use) is enough to tell
    # an everyday word from a rare one.
    return zipf_frequency(word, "en", wordlist="small")


# Accessibility

IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')
HEADING = re.compile(r"<h([2-6])\b[^>]*>(.*?)</h\1>", re.S)
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
TABLE = re.compile(r"<table\b.*?</table>", re.S)


def alt_text(body_html: str) -> Check:
    missing = [tag for tag in IMG.findall(body_html) if not _alt(tag)]
    if missing:
        return Check(
            "Pictures",
            "block",
            f"{_count(len(missing), 'picture has', 'pictures have')} no alt text. Describe "
            "each picture for people who cannot see it: write ![what it shows](address), or "
            "choose it from the picture library, which asks for it.",
        )
    return Check("Pictures", "pass", "Every picture has alt text.")


def _alt(tag: str) -> str:
    match = ALT.search(tag)
    return html.unescape(match.group(1)).strip() if match else ""


def heading_order(body_html: str) -> Check:
    # The page title is the h1; the body's own headings start at h2.
    previous = 1
    skipped = []
    for level_text, inner in HEADING.findall(body_html):
        level = int(level_text)
        if level > previous + 1:
            skipped.append(f"“{_text(inner)}” is a level {level} heading after level {previous}.")
        previous = level
    if skipped:
        return Check(
            "Headings",
            "warn",
            "A heading level is skipped: screen reader users move by headings, and a gap "
            "looks like something is missing. Use a subheading one level down.",
            skipped,
        )
    return Check("Headings", "pass", "Headings are in order.")


def link_text(body_html: str) -> Check:
    vague = []
    for inner in LINK.findall(body_html):
        text = _text(inner)
        if text.lower().rstrip(".") in VAGUE_LINK_TEXT or text.startswith(("http://", "https://")):
            vague.append(f"“{text}”")
    if vague:
        return Check(
            "Links",
            "warn",
            "Some links do not say where they go. Screen readers list links on their own, "
            "so write the name of the page, e.g. “the NHS guide to balance exercises”.",
            vague,
        )
    return Check("Links", "pass", "Every link says where it goes.")


def table_headers(body_html: str) -> Check:
    tables = TABLE.findall(body_html)
    without = sum(1 for table in tables if "<th" not in table)
    if without:
        return Check(
            "Tables",
            "warn",
            f"{_count(without, 'table has', 'tables have')} no header row: give each "
            "column a heading so screen readers can name the cells.",
        )
    if tables:
        return Check("Tables", "pass", "Every table has a header row.")
    return Check("Tables", "pass", "No tables.")


# Trust


def source_count(sources: list[Source], body: str) -> Check:
    numbers = {source.number for source in sources}
    cited = {int(n) for n in re.findall(r"\[(\d{1,3})\]", body)}
    uncited = sorted(n for n in cited if n not in numbers)
    if not sources:
        return Check(
            "Sources",
            "warn",
            "No sources yet. Readers and reviewers trust advice they can check: add the "
            "studies and guidelines it rests on, and cite them in the text as [1], [2]…",
        )
    details = [f"[{n}] is cited in the text but no source has that number." for n in uncited]
    summary = f"{_count(len(sources), 'source', 'sources')}, {len(cited)} cited in the text."
    return Check("Sources", "warn" if uncited else "pass", summary, details)


def source_age(sources: list[Source]) -> Check:
    this_year = timezone.localdate().year
    old = [
        f"[{source.number}] {source.title} ({source.year})"
        for source in sources
        if source.year is not None and this_year - source.year > SOURCE_MAX_AGE_YEARS
    ]
    if old:
        return Check(
            "Age of sources",
            "warn",
            f"{_count(len(old), 'source is', 'sources are')} more than "
            f"{SOURCE_MAX_AGE_YEARS} years old: check that nothing newer replaces "
            f"{'it' if len(old) == 1 else 'them'}.",
            old,
        )
    return Check("Age of sources", "pass", f"No source is older than {SOURCE_MAX_AGE_YEARS} years.")


def broken_sources(sources: list[Source]) -> Check:
    broken = [f"[{s.number}] {s.url}" for s in sources if s.link_ok is False]
    if broken:
        return Check(
            "Source links",
            "warn",
            f"{_count(len(broken), 'link', 'links')} failed the last link check: find "
            "where the source moved, or cite another.",
            broken,
        )
    return Check("Source links", "pass", "No source link failed the last link check.")


def summary_present(summary: str) -> Check:
    length = len(summary.strip())
    if not length:
        return Check(
            "Summary",
            "warn",
            "No summary: search results and shared links show it under the title.",
        )
    if length < SUMMARY_MIN_CHARACTERS:
        return Check(
            "Summary",
            "warn",
            f"The summary is short ({length} characters): say what a reader learns.",
        )
    if length > SUMMARY_SHOWN_CHARACTERS:
        return Check(
            "Summary",
            "warn",
            f"The summary has {length} characters: search results cut it after about "
            f"{SUMMARY_SHOWN_CHARACTERS}.",
        )
    return Check("Summary", "pass", f"The summary fits search results ({length} characters).")


def review_present(*, medical: bool, reviewed: bool) -> Check:
    if not medical:
        return Check("Medical review", "pass", "Not in a medical category.")
    if reviewed:
        return Check("Medical review", "pass", "A medical review and its date are recorded.")
    return Check(
        "Medical review",
        "warn",
        "No medical review recorded yet: a medical reviewer approves it before it is published.",
    )


def title_length(title: str) -> Check:
    if len(title) > TITLE_SHOWN_CHARACTERS:
        return Check(
            "Title",
            "warn",
            f"The title has {len(title)} characters: search results cut it after about "
            f"{TITLE_SHOWN_CHARACTERS}.",
        )
    return Check("Title", "pass", f"The title fits search results ({len(title)} characters).")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"

"""Searching published articles.

On PostgreSQL: full-text search over a weighted vector stored on each article (title above
summary, category and tag names, above body) with English stemming, ranked by
`ts_rank` and with a `ts_headline` snippet. On SQLite (local runs): every word must appear
in one of the same fields (compared casefolded, so "сон" finds "Сон"), ranked by where each
word was found, with a snippet cut from the body here. The page and what it says are the
same on both.

A search that finds nothing is tried again with its unknown words corrected to the
closest words of the vocabulary (SearchTerm: the words of titles and of category, tag and
condition names), by trigram similarity on PostgreSQL and difflib on SQLite.
"""

import difflib
import re
from dataclasses import dataclass, replace

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import VOCABULARY_WORD, Article, Category, SearchTerm

MAX_LENGTH = 200
SNIPPET_CHARACTERS = 220
# Marks put around matches by the database, replaced by <mark> once the text is escaped:
# control characters cannot come from a form field, so the snippet cannot forge them.
START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)
# How close a word of the vocabulary must come to a misspelt one to replace it: pg_trgm's
# similarity on PostgreSQL, difflib's ratio on SQLite (which scores the same pairs higher).
TRIGRAM_SIMILARITY = 0.3
DIFFLIB_RATIO = 0.75
# How close a condition's or topic's name must come to a search that found nothing to be
# suggested, and how many of each are.
NAME_SIMILARITY = 0.4
SUGGESTIONS = 5


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    problem: str = ""

    @property
    def searchable(self) -> bool:
        return bool(self.words) and not self.problem


def parse_query(raw: str) -> Query:
    """The reader's query, or a calm explanation of why there is nothing to search for."""
    text = " ".join(raw.split())
    if len(text) > MAX_LENGTH:
        return Query(
            text[:MAX_LENGTH], (), f"Please shorten your search to {MAX_LENGTH} characters."
        )
    words = tuple(WORD.findall(text))
    if text and not words:
        return Query(text, (), "Please search with words or numbers, not only punctuation.")
    return Query(text, words)


def tsquery(words: tuple[str, ...]) -> str:
    """Every word must match; words of four letters or more also match as a prefix of
    their stem, so "recovering" (stem "recov") finds "recovery" (stem "recoveri"). The
    words come from WORD, so they hold no tsquery operators."""
    return " & ".join(f"{word}:*" if len(word) >= 4 else word for word in words)


def search_articles(query: Query, *, category: Category | None = None) -> QuerySet:
    """Published articles matching every word, best first.

    Only the article table is read to rank and order the matches; `result_rows` then
    fetches what a page of them shows (see WindowPaginator), so that a common word costs
    little more than a rare one."""
    articles = Article.objects.published()
    if category is not None:
        articles = articles.in_category(category)
    if connection.vendor == "postgresql":
        articles = articles.filter(search_vector=_tsquery(query))
    else:
        # SQLite's LIKE ignores the case of ASCII letters only: compare casefolded text.
        for word in query.words:
            word = word.casefold()
            articles = articles.filter(
                Q(folded_title__contains=word)
                | Q(folded_extra__contains=word)
                | Q(folded_body__contains=word)
            )
    return _ranked(articles, query)


def result_rows(ids: QuerySet, query: Query) -> QuerySet:
    """The articles of one page of `search_articles` (`ids`, a subquery), best first, with
    what a result shows: its summary, author and category, and a passage around the
    first match (`headline`) made by the database on PostgreSQL."""
    articles = Article.objects.filter(pk__in=ids)
    if connection.vendor != "postgresql":
        # The snippet is cut from the body's text here, not in the database.
        return _ranked(articles.for_listing("body_text"), query)
    headline = SearchHeadline(
        "body_text",
        _tsquery(query),
        config="english",
        start_sel=START,
        stop_sel=STOP,
        max_words=40,
        min_words=20,
    )
    return _ranked(articles.for_listing(), query).annotate(headline=headline)


def _tsquery(query: Query) -> SearchQuery:
    return SearchQuery(tsquery(query.words), search_type="raw", config="english")


def _ranked(articles: QuerySet, query: Query) -> QuerySet:
    rank: Expression
    if connection.vendor == "postgresql":
        rank = SearchRank(F("search_vector"), _tsquery(query))
    else:
        # Each word scores where it is found: title 3, summary, categories or tags 2,
        # body 1.
        rank = sum(
            (
                Case(
                    When(folded_title__contains=word.casefold(), then=Value(3)),
                    When(folded_extra__contains=word.casefold(), then=Value(2)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
                for word in query.words
            ),
            start=Value(0),
        )
    return articles.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def snippet(article: Article, query: Query) -> SafeString:
    """A short passage of the article around the first match, the matches highlighted."""
    headline = getattr(article, "headline", None)
    if headline is None:
        headline = _cut_around_match(article.body_text or article.summary, query.words)
    # Escaped first; the only tags in the result are our own <mark>s.
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


def _cut_around_match(text: str, words: tuple[str, ...]) -> str:
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in words]
    found = [position for position in positions if position >= 0]
    start = max(0, min(found) - SNIPPET_CHARACTERS // 3) if found else 0
    if start:
        # Begin at a whole word, never in the middle of one.
        start = text.find(" ", start) + 1 or start
    passage = text[start : start + SNIPPET_CHARACTERS]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", passage)
    return ("…" if start else "") + marked + ("…" if start + SNIPPET_CHARACTERS < len(text) else "")


def corrected(query: Query) -> Query | None:
    """The query with each word the vocabulary does not know replaced by the closest
    word it does, or None when no word changes. One query whatever the number of words."""
    words = [word.casefold() for word in query.words]
    candidates = [word for word in words if VOCABULARY_WORD.fullmatch(word) and not word.isdigit()]
    if not candidates:
        return None
    best: dict[str, str] = {}
    if connection.vendor == "postgresql":
        # `%` (trigram_similar) reads the GIN index; the similarity to each word then
        # tells which word a term is closest to.
        matches = Q()
        for word in candidates:
            matches |= Q(word__trigram_similar=word)
        similarity = {
            f"to_{n}": TrigramSimilarity("word", word) for n, word in enumerate(candidates)
        }
        scores: dict[str, tuple[float, int]] = {}
        rows = SearchTerm.objects.filter(matches).annotate(**similarity).order_by("word")
        for term, *similarities in rows.values_list("word", *similarity):
            for word, closeness in zip(candidates, similarities, strict=True):
                # A known word is its own best match (similarity 1); ties go to the
                # shorter word, then the first in the alphabet.
                score = (closeness, -len(term))
                if closeness >= TRIGRAM_SIMILARITY and score > scores.get(word, (0.0, 0)):
                    scores[word] = score
                    best[word] = term
    else:
        vocabulary = list(SearchTerm.objects.values_list("word", flat=True))
        known = set(vocabulary)
        for word in candidates:
            close = (
                [word]
                if word in known
                else difflib.get_close_matches(word, vocabulary, n=1, cutoff=DIFFLIB_RATIO)
            )
            if close:
                best[word] = close[0]
    fixed = tuple(best.get(word, word) for word in words)
    if fixed == tuple(words):
        return None
    return replace(query, text=" ".join(fixed), words=fixed)


def close_names(query: Query) -> tuple[list[Model], list[Category]]:
    """Conditions of the Health A to Z and topics whose names come close to a search that
    found nothing: what the page suggests instead, a query for each."""
    # The conditions app sits above this one: its model is reached through the relation.
    condition_model = Article._meta.get_field("conditions").related_model
    conditions = condition_model._default_manager.only("name", "slug")
    topics = Category.objects.only("name", "path")
    if connection.vendor == "postgresql":
        text = " ".join(query.words)
        # Word similarity: "diabetis" comes close to "Type 2 diabetes", a longer name.
        closeness = Greatest(TrigramWordSimilarity(text, "name"), TrigramSimilarity("name", text))
        return (
            list(
                conditions.annotate(closeness=closeness)
                .filter(closeness__gte=NAME_SIMILARITY)
                .order_by("-closeness", "name")[:SUGGESTIONS]
            ),
            list(
                topics.annotate(closeness=closeness)
                .filter(closeness__gte=NAME_SIMILARITY)
                .order_by("-closeness", "path")[:SUGGESTIONS]
            ),
        )
    return (
        _close_by_name(list(conditions.order_by("name")), query.words),
        _close_by_name(list(topics.order_by("path")), query.words),
    )


def _close_by_name[T: Model](rows: list[T], words: tuple[str, ...]) -> list[T]:
    def closeness(row: T) -> float:
        # Conditions and categories both have a name.
        name: str = row.name  # type: ignore[attr-defined]
        names = WORD.findall(name.casefold())
        return max(
            (
                difflib.SequenceMatcher(None, word.casefold(), name).ratio()
                for word in words
                for name in names
            ),
            default=0.0,
        )

    scored = [(closeness(row), index, row) for index, row in enumerate(rows)]
    close = sorted(
        (item for item in scored if item[0] >= DIFFLIB_RATIO), key=lambda item: (-item[0], item[1])
    )
    return [row for _, _, row in close[:SUGGESTIONS]]

"""What readers answered to "Was this page helpful?", counted for editors: per article (its
admin page), beside each article in the list, and the least helpful on the admin home page."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .models import Article, ArticleQuerySet, Feedback

# The trend on an article's page: this many days, in weeks counted back from today.
TREND_DAYS = 30
# Readers' own words shown on an article's page, newest first; the rest in the Feedback list.
LATEST_COMMENTS = 5


def min_answers() -> int:
    """How many answers an article needs to be listed among the least helpful: fewer say
    little (settings.FEEDBACK_MIN_ANSWERS)."""
    return settings.FEEDBACK_MIN_ANSWERS


def with_helpfulness(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Each article with `feedback_total`, `feedback_yes` and `helpful_percent` (None with
    no answers), counted in the same query: subqueries, so other joins cannot multiply them."""

    def counted(answers: Q) -> Coalesce:
        rows = (
            Feedback.objects.filter(answers, article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    total, yes = counted(Q()), counted(Q(helpful=True))
    percent = ExpressionWrapper(yes * 100.0 / NullIf(total, 0), output_field=FloatField())
    return articles.annotate(feedback_total=total, feedback_yes=yes, helpful_percent=percent)


def helpful_label(article: Article) -> str:
    """The "Helpful" column of an article annotated by with_helpfulness()."""
    total = getattr(article, "feedback_total", 0)
    if not total:
        return "—"
    return f"{getattr(article, 'helpful_percent', 0):.0f}% of {total} answer{pluralize(total)}"


def least_helpful(articles: ArticleQuerySet, *, limit: int = 10) -> list[Article]:
    """The published articles readers found least helpful, among those with at least
    min_answers() answers: one query."""
    return list(
        with_helpfulness(articles.published().filter(live__isnull=True))
        .filter(Q(feedback_total__gte=min_answers()))
        .order_by(F("helpful_percent"), F("feedback_total").desc(), "pk")
        .only("pk", "title")[:limit]
    )


class Answers:
    """Counts of "yes" and "no": how many in all, and the share of "yes" in percent."""

    yes: int
    no: int

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return round(self.yes * 100 / self.total) if self.total else None


@dataclass(frozen=True)
class Week(Answers):
    """Answers in one stretch of days (the oldest may be shorter than a week)."""

    first: date
    last: date
    yes: int
    no: int


@dataclass(frozen=True)
class Summary(Answers):
    yes: int
    no: int
    weeks: list[Week]  # newest first
    comments: list[Feedback]
    more_comments: bool


def summarise(article: Article, *, today: date | None = None) -> Summary:
    """An article's answers: all-time counts, the last TREND_DAYS days week by week, and
    the newest comments. Three queries."""
    today = today or timezone.localdate()
    answers = Feedback.objects.filter(article=article)
    totals = answers.aggregate(yes=Count("pk", filter=Q(helpful=True)), all=Count("pk"))
    start = today - timedelta(days=TREND_DAYS - 1)
    by_day = {
        row["day"]: row
        for row in answers.filter(created_at__date__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), all=Count("pk"))
        .order_by()
    }
    weeks = []
    last = today
    while last >= start:
        first = max(last - timedelta(days=6), start)
        days = [by_day.get(first + timedelta(days=n)) for n in range((last - first).days + 1)]
        yes = sum(day["yes"] for day in days if day)
        every = sum(day["all"] for day in days if day)
        weeks.append(Week(first=first, last=last, yes=yes, no=every - yes))
        last = first - timedelta(days=1)
    comments = list(
        answers.exclude(comment="").order_by("-created_at", "-pk")[: LATEST_COMMENTS + 1]
    )
    return Summary(
        yes=totals["yes"],
        no=totals["all"] - totals["yes"],
        weeks=weeks,
        comments=comments[:LATEST_COMMENTS],
        more_comments=len(comments) > LATEST_COMMENTS,
    )

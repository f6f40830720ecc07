"""Pagination without COUNT(*): a count of a large table costs more the larger it grows,
and readers need only "newer" and "older" links, not the number of pages."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

MAX_OFFSET = 2**63 - 1


class WindowPage(Page):
    object_list: list[Any]  # the rows read for the page
    paginator: "WindowPaginator"

    def __init__(
        self,
        object_list: list[Any],
        number: int,
        paginator: "WindowPaginator",
        *,
        following: Any = None,
    ) -> None:
        super().__init__(object_list, number, paginator)
        # The first object of the next page, if there is one: the row fetched to learn so.
        self.following = following

    def has_next(self) -> bool:
        return self.following is not None

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class WindowPaginator(Paginator):
    """Fetches one row more than a page holds to learn whether a next page exists.

    Works with ListView (`paginator_class = WindowPaginator`); `count` and `num_pages`
    are never used by our templates, which would make them run the count after all.

    With `rows`, the list is ordered and cut on its own narrow rows (its ids), and
    `rows(ids)` turns a page of them, as a subquery, into the page's rows with what they
    show: joins and computed columns then cost as much for a list of 10,000 matches as
    for 10, where otherwise every match would be joined before the page is kept. The
    page is still read in one query.
    """

    def __init__(
        self,
        object_list: QuerySet | Sequence[Any],
        per_page: int | str,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        rows: Callable[[QuerySet], QuerySet] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        self.rows = rows

    def validate_number(self, number: int | float | str | None) -> int:
        if number is None:  # no page asked for: get_page() shows the first
            raise PageNotAnInteger("That page number is not an integer")
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        # Databases hold LIMIT and OFFSET in 64-bit integers: a page past that would make
        # the query fail, and no table is that long anyway.
        if number * self.per_page + 1 > MAX_OFFSET:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number: int | float | str | None) -> WindowPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + 1
        if self.rows is None:
            rows = list(self.object_list[bottom:top])
        else:
            # `rows` is given with a queryset only (see above).
            assert isinstance(self.object_list, QuerySet)
            rows = list(self.rows(self.object_list.values("pk")[bottom:top]))
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        following = rows[self.per_page] if len(rows) > self.per_page else None
        return WindowPage(rows[: self.per_page], number, self, following=following)

    def get_page(self, number: int | float | str | None) -> WindowPage:
        try:
            return self.page(number)
        except (PageNotAnInteger, EmptyPage):
            return self.page(1)

from itertools import groupby
from string import ascii_uppercase
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from articles.views import ArticlesByLinkView

from .models import OTHER_LETTER, Condition


class ConditionListView(ListView):
    """The Health A to Z: every condition, under its letter, in one query. Every letter
    shows, so readers see at once which have none."""

    template_name = "conditions/condition_list.html"
    context_object_name = "conditions"
    queryset = Condition.objects.only("name", "slug", "synonyms")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Sorted here, not by the database: its collation may put "ä" or lower-case
        # names apart.
        ordered = sorted(context["conditions"], key=lambda condition: condition.name.casefold())
        grouped = {
            letter: list(conditions)
            for letter, conditions in groupby(ordered, key=lambda condition: condition.letter)
        }
        letters = [*ascii_uppercase, *([OTHER_LETTER] if OTHER_LETTER in grouped else [])]
        context["letters"] = [
            {
                "letter": letter,
                "anchor": f"letter-{letter.lower()}" if letter != OTHER_LETTER else "letter-other",
                "conditions": grouped.get(letter, []),
            }
            for letter in letters
        ]
        return context


class ConditionDetailView(ArticlesByLinkView):
    """A condition's page: what it is, its codes and its published articles, newest first,
    a page at a time."""

    template_name = "conditions/condition_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.condition = get_object_or_404(Condition, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Ordered on the link rows and the article table alone; only a page of them gets
        # its author and category (see WindowPaginator), as on a tag's page.
        return Article.objects.published().filter(condition_links__condition=self.condition)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(condition=self.condition, **kwargs)

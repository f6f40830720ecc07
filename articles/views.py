import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from accounts.models import User
from healthsite.caching.fragments import cached_object, fragment_cache_context, model_shape
from healthsite.pagination import WindowPage, WindowPaginator
from images.models import Image

from .forms import HelpfulForm
from .models import Article, Category, Feedback, OldSlug, OldTagSlug
from .search import (
    Query,
    close_names,
    corrected,
    parse_query,
    result_rows,
    search_articles,
    snippet,
)
from .templatetags.placed_messages import shown_in

HELPFUL_COOKIE = "helpful"
HELPFUL_SALT = "articles.helpful"
HELPFUL_REMEMBERED = 300  # article ids kept in the cookie, newest last


class ArticleListView(ListView):
    """Newest published articles first, paginated; an out-of-range page is a 404."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = WindowPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticlesByLinkView(ArticleListView):
    """A list of the articles linked to one thing (a tag, a condition), which can be
    thousands: they are ordered on the link rows and the article table alone, and only a
    page of them gets its author and category (see WindowPaginator)."""

    def get_paginator(
        self,
        queryset: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        **kwargs: Any,
    ) -> WindowPaginator:
        return WindowPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            rows=lambda ids: Article.objects.filter(pk__in=ids).for_listing(),
            **kwargs,
        )


class HomeView(ArticleListView):
    template_name = "articles/home.html"


class CategoryView(ArticleListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, path=self.kwargs["path"])
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, subcategories=self.category.children.all(), **kwargs
        )


class TagView(ArticlesByLinkView):
    template_name = "articles/tag.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tag = Tag.objects.filter(slug=kwargs["slug"]).first()
        if tag is None:
            # Only on a miss: a tag merged into another redirects to it (articles.tags).
            old = OldTagSlug.objects.filter(slug=kwargs["slug"]).select_related("tag").first()
            if old is None:
                raise Http404("No such tag")
            return HttpResponsePermanentRedirect(reverse("articles:tag", args=[old.tag.slug]))
        self.tag = tag
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A popular tag has thousands of articles: they are ordered on the article table
        # and django-taggit's index alone, and only a page of them gets its author and
        # category (see WindowPaginator).
        return Article.objects.published().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ListView):
    """An author's or medical reviewer's public page: only people who wrote or reviewed a
    published article have one. It lists those articles, newest first."""

    template_name = "articles/author.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = WindowPaginator
    allow_empty = False

    def get_queryset(self):
        self.author = get_object_or_404(User, username=self.kwargs["username"], is_active=True)
        return (
            Article.objects.published()
            .for_listing()
            .filter(Q(author=self.author) | Q(reviewer=self.author))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


def gone_or_moved(request: HttpRequest, *, slug: str) -> HttpResponse:
    """Answer for an address that shows no public article: a permanent redirect when the
    article moved (old slug, or archived with a replacement), 410 with a note when it was
    archived, else 404. Only reached on a miss, so the article page itself pays nothing."""
    old = OldSlug.objects.filter(slug=slug).select_related("article").first()
    # An article taken back to draft keeps its new address to itself.
    if old is not None and (old.article.is_public or old.article.status == Article.Status.ARCHIVED):
        return HttpResponsePermanentRedirect(old.article.get_absolute_url())
    archived = (
        Article.objects.filter(slug=slug, status=Article.Status.ARCHIVED)
        .select_related("replaced_by")
        .first()
    )
    if archived is None:
        raise Http404("No such article")
    replacement = archived.replaced_by
    if replacement is not None and replacement.is_public:
        return HttpResponsePermanentRedirect(replacement.get_absolute_url())
    return render(request, "articles/archived.html", {"article": archived}, status=410)


# The article page reads its article's row from the cache: these are the models it pickles.
OBJECT_SHAPE = model_shape(Article, User, Category, Image)


class ArticleDetailView(DetailView):
    context_object_name = "article"
    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return gone_or_moved(request, slug=kwargs["slug"])
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        """The public article at this address, read from the database once per version of
        the page (see healthsite.caching) and from the cache after that, like the fragments
        of the page: what decides whether the page exists changes with them."""
        return cached_object(
            self.request,
            key=f"article-object:{self.kwargs['slug']}",
            shape=OBJECT_SHAPE,
            load=lambda: super(ArticleDetailView, self).get_object(queryset),
        )

    def get_queryset(self):
        # Tags, sources and related articles are read inside the cached fragments of the
        # page (templates/articles/article_detail.html), so they are fetched only when a
        # fragment is rendered, not on every request.
        private = User.private_fields()
        return (
            Article.objects.published()
            .select_related("author", "category", "reviewer", "hero_image")
            .without_text()
            # The article is kept in the shared cache: only what pages show of people.
            .defer(*(f"{person}__{name}" for person in ("author", "reviewer") for name in private))
        )

    def get_context_data(self, **kwargs):
        article = self.object
        # Read at most once, by whichever part of the page needs them first.
        tags = SimpleLazyObject(lambda: list(article.tags.all()))
        return super().get_context_data(
            **fragment_cache_context(self.request),
            tags=tags,
            related_articles=SimpleLazyObject(
                lambda: list(Article.objects.related_to(article, tags=tags))
            ),
            helpful_form=HelpfulForm(),
            **kwargs,
        )


def answered_helpful(request: HttpRequest) -> list[int]:
    """Ids of the articles this visitor has answered "Was this page helpful?" for."""
    value = request.get_signed_cookie(HELPFUL_COOKIE, default="", salt=HELPFUL_SALT) or ""
    return [int(part) for part in value.split() if part.isdigit()]


def same_site_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cross-site request forgery protection without a token in the page.

    A token would make every anonymous article page different, so none could be cached.
    Browsers label every request with where it came from (Sec-Fetch-Site, and Origin on a
    POST); a request another site made says so, and is refused. Clients that send neither
    header are not browsers, and a forgery needs a victim's browser.
    """

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fetch_site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if fetch_site not in {None, "same-origin", "none"} or (
            origin is not None and origin != f"{request.scheme}://{request.get_host()}"
        ):
            return HttpResponseForbidden("This form can only be sent from this site.")
        return view(request, *args, **kwargs)

    return checked


@csrf_exempt
@same_site_only
@require_POST
def helpful(request: HttpRequest, slug: str) -> HttpResponse:
    """Store one answer per visitor per article, remembered in a signed cookie."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    # Back to the thank-you inside the section answered, where the reader's eyes are.
    back = f"{article.get_absolute_url()}#helpful-message"
    answered = answered_helpful(request)
    if article.pk in answered:
        messages.info(
            request,
            "You have already told us whether this page helped. Thank you.",
            extra_tags=shown_in("helpful"),
        )
        return redirect(back)
    form = HelpfulForm(request.POST)
    if not form.is_valid():
        # The form again, with what they wrote and what is wrong: nothing is lost.
        context = {"article": article, "helpful_form": form}
        return render(request, "articles/helpful_form.html", context, status=400)
    Feedback.objects.create(
        article=article,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"].strip(),
    )
    messages.success(request, "Thank you for your feedback.", extra_tags=shown_in("helpful"))
    response = redirect(back)
    remembered = [*answered, article.pk][-HELPFUL_REMEMBERED:]
    response.set_signed_cookie(
        HELPFUL_COOKIE,
        " ".join(map(str, remembered)),
        salt=HELPFUL_SALT,
        max_age=60 * 60 * 24 * 365 * 2,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def search(request: HttpRequest) -> HttpResponse:
    """Search published articles; optional `category` (a path) narrows to one branch.

    A search that finds nothing is tried again with its misspelt words corrected, and
    says so, unless `exact` asks for the words as typed; one that still finds nothing
    suggests conditions and topics whose names come close."""
    typed = parse_query(request.GET.get("q", ""))
    query = typed
    exact = bool(request.GET.get("exact"))
    # The choice of topics: the top two levels of categories. The list is read only when
    # the template's cached copy of it has expired.
    choices = Category.objects.filter(parent__parent__isnull=True).only("name", "path", "parent")
    path = request.GET.get("category")
    category = choices.filter(path=path).first() if path else None
    page = None
    suggestions = None
    if query.searchable:
        number = request.GET.get("page") or 1
        page = _results_page(query, category, number)
        if (page is None or not page.object_list) and not exact and (fixed := corrected(query)):
            fixed_page = _results_page(fixed, category, number)
            if fixed_page is not None and fixed_page.object_list:
                query, page = fixed, fixed_page
        if page is None:
            raise Http404("No such page of results.")
        if not page.object_list:
            conditions, topics = close_names(typed)
            suggestions = {"conditions": conditions, "topics": topics}
        for article in page:
            article.snippet = snippet(article, query)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "typed": typed,
            "corrected": query is not typed,
            "suggestions": suggestions,
            "categories": SimpleLazyObject(lambda: list(choices.order_by("path"))),
            "category": category,
            **fragment_cache_context(request),
            "page_obj": page,
            "search_title": f"Search: {typed.text}" if typed.text else "Search",
        },
    )


def _results_page(query: Query, category: Category | None, number: int | str) -> WindowPage | None:
    """One page of the results, or None when there is no such page."""
    paginator = WindowPaginator(
        search_articles(query, category=category),
        settings.ARTICLES_PER_PAGE,
        rows=lambda ids: result_rows(ids, query),
    )
    try:
        return paginator.page(number)
    except InvalidPage:
        return None

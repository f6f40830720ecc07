"""The article editor's live preview and writing checks, wired in ArticleAdmin.get_urls.

The editor's script (static/js/article-editor.js) posts the form as it is typed to
`preview_view`, which renders the body with the site's own Markdown pipeline (the one a
save uses) and runs the writing checks; the answer goes into a frame showing the site's own
stylesheet (`preview_frame_view`) and into the checks panel. Nothing is saved. Without
JavaScript the form works as before, and the checks panel shows the stored text's checks.
"""

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.text import normalize_newlines, slugify
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from images.models import Image

from ..markdown import image_ids, render_markdown
from ..models import Article, Category, Reference
from .checks import Report, Source, check_article

# A body longer than this is not previewed live (the form still saves it): rendering it
# at every pause in typing would cost more than it helps.
PREVIEW_MAX_CHARACTERS = 200_000
REFERENCES_PREFIX = "references"


def may_write(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.add_article") or user.has_perm("articles.change_article"))
    )


def preview_view(model_admin: "ModelAdmin[Article]", request: HttpRequest) -> HttpResponse:
    """POST the article form as typed: the body as readers will see it, and the checks.

    `article` (optional) names the article being edited, for its stored source checks;
    it must be one this user may see."""
    if not may_write(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    article = _article(model_admin, request, request.POST.get("article", ""))
    body = normalize_newlines(request.POST.get("body", ""))
    if len(body) > PREVIEW_MAX_CHARACTERS:
        return JsonResponse(
            {"error": "This body is too long to preview as you type: save to see it."},
            status=413,
        )
    body_html = render_markdown(body, images=_images(body))
    report = report_for(request.POST, article=article, body=body, body_html=body_html)
    return JsonResponse(
        {
            "title": report.title,
            "summary": report.summary,
            "body_html": body_html,
            "checks_html": render_to_string(
                "admin/articles/article/includes/writing_checks.html",
                {"report": report},
                request=request,
            ),
        }
    )


@xframe_options_sameorigin
# The site's policy, but for who may frame it: the editor's own page.
@csp_override({**cast(dict[str, list[str]], settings.SECURE_CSP), "frame-ancestors": [CSP.SELF]})
def preview_frame_view(model_admin: "ModelAdmin[Article]", request: HttpRequest) -> HttpResponse:
    """The page the live preview shows in its frame: the site's own stylesheet around an
    empty article, which the editor's script fills with what `preview_view` renders."""
    if not may_write(request):
        raise PermissionDenied
    return TemplateResponse(request, "admin/articles/article/preview_frame.html", {})


def report_for(
    data: QueryDict | dict[str, Any],
    *,
    article: Article | None,
    body: str,
    body_html: str | None = None,
) -> Report:
    """The writing checks of an article form's values (posted, or an article's own)."""
    title = str(data.get("title", "")).strip()
    category = _category(str(data.get("category", "")))
    if category is None and article is not None:
        category = article.category
    slug = str(data.get("slug", "")) or slugify(title) or "…"
    return check_article(
        title=title,
        summary=str(data.get("summary", "")).strip(),
        body=body,
        body_html=body_html,
        sources=_sources(data, article),
        medical=category is not None and category.needs_medical_review(),
        reviewed=bool(article and article.reviewed_on),
        url=reverse("articles:detail", kwargs={"slug": slug}) if slugify(slug) else "",
    )


def article_report(article: Article) -> Report:
    """The checks of an article as stored: what the panel shows before any typing, and
    without JavaScript."""
    data = {"title": article.title, "summary": article.summary, "slug": article.slug}
    return report_for(data, article=article, body=article.body, body_html=article.body_html)


def _article(model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: str) -> Article | None:
    if not pk.isdigit():
        return None
    article = Article.objects.select_related("category").filter(pk=pk).first()
    if article is None or not model_admin.has_view_permission(request, article):
        return None
    return article


def _images(body: str) -> dict[int, Image]:
    ids = image_ids(body)
    return Image.objects.in_bulk(ids) if ids else {}


def _category(pk: str) -> Category | None:
    return Category.objects.filter(pk=pk).first() if pk.isdigit() else None


def _sources(data: QueryDict | dict[str, Any], article: Article | None) -> Iterable[Source]:
    """The sources as typed in the form's inline rows (or the stored ones, when the data
    has none), each with the stored result of the last link check for its address."""
    stored = list(article.references.all()) if article is not None else []
    checked = {reference.url: reference.link_ok for reference in stored}
    total = data.get(f"{REFERENCES_PREFIX}-TOTAL_FORMS")
    if total is None:
        return [_source(reference, checked) for reference in stored]
    sources = []
    for index in range(min(_number(str(total)) or 0, 1000)):
        row = f"{REFERENCES_PREFIX}-{index}-"
        url = str(data.get(row + "url", "")).strip()
        title = str(data.get(row + "title", "")).strip()
        if data.get(row + "DELETE") or not (url or title):
            continue
        sources.append(
            Source(
                number=_number(str(data.get(row + "number", ""))),
                title=title,
                url=url,
                year=_number(str(data.get(row + "year", ""))),
                link_ok=checked.get(url),
            )
        )
    return sources


def _source(reference: Reference, checked: dict[str, bool | None]) -> Source:
    return Source(
        number=reference.number,
        title=reference.title,
        url=reference.url,
        year=reference.year,
        link_ok=checked.get(reference.url),
    )


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 6 else None

"""The article editor's picture chooser: the library searched and paged, and a picture
uploaded from it.

Each view is an admin page of its own, which works without JavaScript and shows each
picture's "[image:n]" code to copy; fetched with the `FRAGMENT_HEADER` header it returns
only its content, which static/js/image-chooser.js shows in its dialog.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from healthsite.file_storage import StorageFailed
from healthsite.pagination import WindowPaginator

from .forms import ChooserUploadForm
from .library import PICTURE_NOT_SAVED, add_image
from .models import Image

if TYPE_CHECKING:  # accounts uses images (avatars), never the other way round
    from accounts.requests import AuthenticatedHttpRequest

FRAGMENT_HEADER = "X-Image-Chooser"
PER_PAGE = 24
MAX_QUERY_LENGTH = 200
# The chooser serves the article editor: it is for whoever may write or change articles
# (named, not imported: articles uses images, not the other way round).
WRITES_ARTICLES = ("articles.add_article", "articles.change_article")


def may_choose(user: Any) -> bool:
    return user.has_perm("images.view_image") and any(
        user.has_perm(permission) for permission in WRITES_ARTICLES
    )


def may_upload(user: Any) -> bool:
    return may_choose(user) and user.has_perm("images.add_image")


def chooser_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not may_choose(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = WindowPaginator(Image.objects.search(query), PER_PAGE).get_page(request.GET.get("page"))
    # Counted here: Page.start_index() would count every match (WindowPage never counts).
    first = (page.number - 1) * PER_PAGE + 1
    context = {
        "page": page,
        "first_shown": first,
        "last_shown": first + len(page.object_list) - 1,
        "query": query,
        "may_upload": may_upload(request.user),
    }
    return _respond(
        model_admin, request, "admin/images/image/chooser.html", context, title="Choose a picture"
    )


def chooser_upload_view(
    model_admin: admin.ModelAdmin, request: "AuthenticatedHttpRequest"
) -> HttpResponse:
    if not may_upload(request.user):
        raise PermissionDenied
    form = ChooserUploadForm(auto_id="image-chooser-%s")
    if request.method == "POST":
        form = ChooserUploadForm(request.POST, request.FILES, auto_id="image-chooser-%s")
        if form.is_valid():
            try:
                image = add_image(
                    image=form.save(commit=False),
                    picture=form.cleaned_data["upload"],
                    by=request.user,
                )
            except StorageFailed:
                # The form again, with what was typed (the file has to be chosen again).
                form.add_error("upload", PICTURE_NOT_SAVED)
                return _respond(
                    model_admin,
                    request,
                    "admin/images/image/chooser_upload.html",
                    {"form": form},
                    title="Upload a picture",
                    status=503,
                )
            if _wants_fragment(request):
                response = TemplateResponse(
                    request, "admin/images/image/chooser_uploaded.html", {"image": image}
                )
                patch_vary_headers(response, [FRAGMENT_HEADER])
                return response
            messages.success(
                request,
                f"The picture is in the library. To show it in an article, put "
                f"[image:{image.pk}] on a line of its own in the body.",
            )
            return redirect("admin:images_image_chooser")
    return _respond(
        model_admin,
        request,
        "admin/images/image/chooser_upload.html",
        {"form": form},
        title="Upload a picture",
    )


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "fragment"


def _respond(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    status: int = 200,
) -> HttpResponse:
    """The page, or with the header only its content (the template's `content` part, which
    each page's template includes from a template of its own). A fragment says so in the
    same header, so that the dialog shows one that is not a 200 (a refused save) too."""
    fragment = _wants_fragment(request)
    context = {
        **context,
        "fragment": fragment,
        "chooser_url": reverse("admin:images_image_chooser"),
        "upload_url": reverse("admin:images_image_chooser_upload"),
    }
    if fragment:
        template = template.replace(".html", "_content.html")
    else:
        context |= {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
        }
    response = TemplateResponse(request, template, context, status=status)
    if fragment:
        response.headers[FRAGMENT_HEADER] = "fragment"
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response

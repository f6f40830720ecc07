"""The article admin's autosave (articles.editorial.autosave): the endpoint the form's script
posts to, the offer on opening the form, "Compare", "Restore them into the form" and
"Discard". ArticleAdmin inherits AutosaveAdminMixin; who may autosave what is the admin's own
answer (its change and add permissions, and the fields its form lets them change)."""

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.requests import AuthenticatedHttpRequest

from ..models import Article
from .autosave import (
    AUTOSAVED_FIELDS,
    MAX_DRAFT_BYTES,
    Autosave,
    autosave_draft,
    discard_draft,
    offer_of,
    restored_initial,
)
from .compare import TEXT_FIELDS, Change, compare_contents

# ArticleAdmin's other base, django-reversion's VersionAdmin, has no type hints: the mixin
# is as untyped to the type checker, so that inheriting it changes nothing it reads of
# ArticleAdmin (its get_queryset() would otherwise lose ArticleQuerySet's methods).
_Base: Any = ModelAdmin

# The query that fills the change form with the draft (or the add form, for a new article).
RESTORE_QUERY = "restore=draft"


def _status(saved_at: datetime) -> str:
    return f"Draft saved {timezone.localtime(saved_at):%H:%M}"


class AutosaveAdminMixin(_Base):
    """Autosave for a ModelAdmin of articles; see articles.editorial.autosave."""

    def get_urls(self) -> list[Any]:
        def view(function: Any, *, post: bool = False) -> Any:
            return self.admin_site.admin_view(require_POST(function) if post else function)

        own = [
            path(
                "autosave/", view(self.autosave_view, post=True), name="articles_article_autosave"
            ),
            path(
                "<int:pk>/autosave/",
                view(self.autosave_view, post=True),
                name="articles_article_autosave",
            ),
            path(
                "autosave/discard/",
                view(self.autosave_discard_view, post=True),
                name="articles_article_autosave_discard",
            ),
            path(
                "<int:pk>/autosave/discard/",
                view(self.autosave_discard_view, post=True),
                name="articles_article_autosave_discard",
            ),
            path(
                "autosave/compare/",
                view(self.autosave_compare_view),
                name="articles_article_autosave_compare",
            ),
            path(
                "<int:pk>/autosave/compare/",
                view(self.autosave_compare_view),
                name="articles_article_autosave_compare",
            ),
        ]
        return own + super().get_urls()

    # Which fields a person autosaves: those of AUTOSAVED_FIELDS the admin's form lets them
    # change (a live article's text is read-only: it changes through a pending version).

    def _autosaved_fields(self, request: HttpRequest, article: Article | None) -> tuple[str, ...]:
        if article is None:
            allowed = self.has_add_permission(request)
        else:
            allowed = self.has_change_permission(request, article)
        if not allowed:
            return ()
        fieldsets = self.get_fieldsets(request, article)
        form = self.get_form(
            request, article, change=article is not None, fields=flatten_fieldsets(fieldsets)
        )
        return tuple(name for name in AUTOSAVED_FIELDS if name in form.base_fields)

    def _article_or_none(self, pk: int | None) -> Article | None:
        return None if pk is None else get_object_or_404(Article, pk=pk)

    def autosave_view(
        self, request: AuthenticatedHttpRequest, pk: int | None = None
    ) -> HttpResponse:
        """Keep what is typed in the form: JSON with the time saved, or with why not (403:
        this person may not change these fields of this article)."""
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        # Refused by its length: Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) has already
        # turned away anything larger with a 400 while the CSRF check read the form.
        if length > MAX_DRAFT_BYTES:
            return JsonResponse({"error": "Too much text to autosave."}, status=413)
        article = self._article_or_none(pk)
        fields = self._autosaved_fields(request, article)
        posted = [name for name in AUTOSAVED_FIELDS if name in request.POST]
        if not fields or set(posted) - set(fields):
            return JsonResponse({"error": "You cannot change this text here."}, status=403)
        if not posted:
            return JsonResponse({"error": "Nothing to autosave."}, status=400)
        started_from = None
        if article is not None:
            try:
                started_from = datetime.fromisoformat(request.POST.get("loaded_version", ""))
            except ValueError:
                started_from = None
            if started_from is None or started_from.tzinfo is None:  # the form's, always aware
                return JsonResponse({"error": "The form's version is missing."}, status=400)
        draft = autosave_draft(
            user=request.user,
            article=article,
            values={name: request.POST[name] for name in posted},
            started_from=started_from,
        )
        return JsonResponse(
            {"saved_at": draft.saved_at.isoformat(), "status": _status(draft.saved_at)}
        )

    def autosave_discard_view(
        self, request: AuthenticatedHttpRequest, pk: int | None = None
    ) -> HttpResponse:
        """Forget one's own draft: no one else's is ever touched."""
        article = self._article_or_none(pk)
        if discard_draft(user=request.user, article=article):
            self.message_user(request, "Your unsaved changes are discarded.")
        return redirect(self._form_url(article))

    def autosave_compare_view(
        self, request: AuthenticatedHttpRequest, pk: int | None = None
    ) -> HttpResponse:
        """One's own draft beside the article as saved, the changes marked."""
        article = self._article_or_none(pk)
        if article is not None and not self.has_view_permission(request, article):
            raise PermissionDenied
        offer = offer_of(
            user=request.user, article=article, fields=self._autosaved_fields(request, article)
        )
        if offer is None:
            self.message_user(request, "You have no unsaved changes of this article.")
            return redirect(self._form_url(article))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": "Your unsaved changes" + (f" to “{article}”" if article else ""),
            "offer": offer,
            "changes": draft_changes(article, offer.changes),
            "form_url": self._form_url(article),
            "restore_url": f"{self._form_url(article)}?{RESTORE_QUERY}",
            "discard_url": self._discard_url(article),
        }
        return TemplateResponse(request, "admin/articles/article/autosave_compare.html", context)

    def _form_url(self, article: Article | None) -> str:
        if article is None:
            return reverse("admin:articles_article_add")
        return reverse("admin:articles_article_change", args=[article.pk])

    def _discard_url(self, article: Article | None) -> str:
        args = [article.pk] if article is not None else []
        return reverse("admin:articles_article_autosave_discard", args=args)

    # The form: filled from the draft on "Restore", and the offer at its top.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if request.method != "GET" or request.GET.get("restore") != "draft":
            # A posted form's initial values are what it changed from: only ever the saved
            # ones, or its changes and the medical approval check would read the draft's.
            return form_class
        draft = Autosave.objects.of(user=request.user, article=obj).first()
        return form_class if draft is None else _restoring(form_class, draft)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj if obj is not None and obj.pk else None
        form = context["adminform"].form
        fields = tuple(name for name in AUTOSAVED_FIELDS if name in form.fields)
        if fields:
            offer = None
            if request.method == "GET":
                offer = offer_of(user=request.user, article=article, fields=fields)
            args = [article.pk] if article is not None else []
            context["autosave"] = {
                "url": reverse("admin:articles_article_autosave", args=args),
                "fields": " ".join(fields),
                "offer": offer,
                "restored": offer is not None and request.GET.get("restore") == "draft",
                "compare_url": reverse("admin:articles_article_autosave_compare", args=args),
                "restore_url": f"{self._form_url(article)}?{RESTORE_QUERY}",
                "discard_url": self._discard_url(article),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


def _restoring(form_class: type[forms.ModelForm], draft: Autosave) -> type[forms.ModelForm]:
    """The admin's form class, its initial values the draft's (set after the form's own
    __init__, which sets loaded_version from the article)."""

    def __init__(self: forms.ModelForm, *args: Any, **kwargs: Any) -> None:
        form_class.__init__(self, *args, **kwargs)
        self.initial.update(restored_initial(draft, self.fields))

    return cast(
        type[forms.ModelForm], type(form_class.__name__, (form_class,), {"__init__": __init__})
    )


def draft_changes(article: Article | None, changes: dict[str, str]) -> list[Change]:
    """The draft beside the saved text, as the pending-version comparison shows them
    (articles.editorial.compare): title, address, summary and body, then the rest."""
    saved = {name: (getattr(article, name) if article else "") for name in AUTOSAVED_FIELDS}
    typed = {**saved, **changes}
    result = compare_contents(
        {name: saved[name] for name in TEXT_FIELDS}, {name: typed[name] for name in TEXT_FIELDS}
    )
    for name in AUTOSAVED_FIELDS:
        if name in TEXT_FIELDS or name not in changes:
            continue
        # compare_contents() knows the content fields only: another text field compared as
        # its body, under its own label.
        field = Article._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name)).capitalize()
        result += [
            Change(label, change.rows)
            for change in compare_contents({"body": saved[name]}, {"body": typed[name]})
        ]
    return result

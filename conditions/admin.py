"""The Health A to Z in the admin: editors keep the conditions; the article form lists the
conditions each article is about, which its author may change while the article is theirs
to change."""

from typing import Any

from django.contrib import admin
from django.db.models import Count
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from articles.editorial import workflow
from articles.models import Article
from healthsite.caching.versions import invalidate_pages_after_write

from .models import Condition, ConditionLink, refresh_articles


class ArticleLinkInline(admin.TabularInline):
    """The articles about a condition, on the condition's page: changed by whoever may
    change the condition (Editors)."""

    model = ConditionLink
    fk_name = "condition"
    autocomplete_fields = ("article",)
    extra = 1
    verbose_name = "article about this condition"
    verbose_name_plural = "articles about this condition"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("condition", "article")

    # The links carry no permissions of their own: they are part of the condition.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("conditions.view_condition")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("conditions.change_condition")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("conditions.change_condition")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("conditions.change_condition")


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("name", "icd10", "icd11", "mesh", "snomed", "article_count", "updated_at")
    search_fields = ("name", "synonyms", "icd10", "icd11", "mesh", "snomed")
    prepopulated_fields = {"slug": ("name",)}
    # The article count groups the rows, which drops the model's own ordering.
    ordering = ("name",)
    inlines = (ArticleLinkInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "synonyms", "description")}),
        (
            "Codes",
            {
                "fields": (("icd10", "icd11"), ("mesh", "snomed")),
                "description": "Optional, shown in small print on the condition's page and "
                "given to search engines. Copy each from its coding system's own browser; "
                "leave a code empty rather than guess it.",
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("links"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, obj: Condition) -> int:
        return obj.article_total  # type: ignore[attr-defined]

    def save_related(self, request, form, formsets, change):
        # The inline writes link rows one by one, which no signal reports (conditions.links):
        # the articles linked or unlinked learn it here, in one batch.
        condition = form.instance
        before = set(condition.links.values_list("article_id", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(condition.links.values_list("article_id", flat=True))
        refresh_articles(before ^ after)

    def delete_queryset(self, request, queryset):
        # A bulk delete calls no Condition.delete(): the articles learn it here.
        article_ids = set(
            ConditionLink.objects.filter(condition__in=queryset).values_list(
                "article_id", flat=True
            )
        )
        super().delete_queryset(request, queryset)
        refresh_articles(article_ids)


class ConditionLinkFormSet(BaseInlineFormSet):
    """A post of the article form without this section (a page older than the Health A to
    Z, a script that fills in only the article's fields) leaves the article's conditions as
    they are, instead of failing for want of the formset's counts."""

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The admin passes everything but the posted data by keyword.
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-{TOTAL_FORM_COUNT}" not in data:
            data = data.copy()
            data[f"{prefix}-{TOTAL_FORM_COUNT}"] = data[f"{prefix}-{INITIAL_FORM_COUNT}"] = "0"
        super().__init__(data, **kwargs)


def _may_tag(request: HttpRequest, article: Article | None) -> bool:
    """May change the conditions of this article: whoever may change the article (an
    editor any, an author their own until an editor publishes it), and read the A to Z."""
    return request.user.has_perm("conditions.view_condition") and (
        article is None or workflow.can_edit(request.user, article)  # type: ignore[arg-type]
    )


class ConditionLinkInline(admin.TabularInline):
    """The conditions an article is about, in the article form."""

    model = ConditionLink
    formset = ConditionLinkFormSet
    fk_name = "article"
    autocomplete_fields = ("condition",)
    extra = 1
    verbose_name = "condition this article is about"
    verbose_name_plural = "Health A to Z: conditions this article is about"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("condition", "article")

    # `obj` is the article.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("conditions.view_condition")

    def has_add_permission(self, request, obj=None):
        return _may_tag(request, obj)

    def has_change_permission(self, request, obj=None):
        return _may_tag(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _may_tag(request, obj)


# The article admin is the articles app's, which knows nothing of conditions (they sit
# above it): it is registered again here, as itself with one inline more. INSTALLED_APPS
# lists this app after articles, so its admin module is read after theirs.
ArticleAdmin = type(admin.site.get_model_admin(Article))


class ArticleWithConditionsAdmin(ArticleAdmin):  # type: ignore[misc, valid-type]
    inlines = (*ArticleAdmin.inlines, ConditionLinkInline)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and obj.live_id is not None:
            # A pending version is linked to nothing: its live article carries the links.
            inlines = [inline for inline in inlines if not isinstance(inline, ConditionLinkInline)]
        return inlines

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.model is ConditionLink and formset.has_changed() for formset in formsets):
            # The article's search reads its conditions' names, and the inline wrote its
            # links row by row, which no signal reports (conditions.links).
            form.instance.update_search_index()
            invalidate_pages_after_write()


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithConditionsAdmin)

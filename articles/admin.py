from django.contrib import admin

from .models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "path", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "path", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    ordering = ("path",)
    list_select_related = ("parent",)


def can_publish(request) -> bool:
    return request.user.has_perm("articles.publish_article")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Editors see and publish everything; authors see, write and change only their own
    articles, and never publish: status, publish time and author are read-only to them."""

    list_display = ("title", "status", "category", "author", "published_at", "updated_at")
    list_filter = ("status", "category", "author", "tags")
    list_select_related = ("category", "author")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "category")
    date_hierarchy = "published_at"
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("Filing", {"fields": ("category", "tags", "author")}),
        ("Publishing", {"fields": ("status", "published_at", "comments_closed")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if can_publish(request) else queryset.filter(author=request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if can_publish(request) else ("author", "status", "published_at")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_publish(request) or obj.author_id == request.user.pk)

    def save_model(self, request, obj, form, change):
        if not can_publish(request):
            if not change:
                obj.author = request.user
                obj.status = Article.Status.DRAFT
        super().save_model(request, obj, form, change)

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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
        ("Publishing", {"fields": ("status", "published_at")}),
    )

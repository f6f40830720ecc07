from django.contrib import admin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "status", "created_at")
    list_filter = ("status", "created_at")
    list_select_related = ("article", "user")
    search_fields = ("body", "user__username", "article__title")
    raw_id_fields = ("article", "user")
    date_hierarchy = "created_at"

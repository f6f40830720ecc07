"""Editors change the six site pages; they neither add nor delete one, since the footer of
every page links to all six at fixed addresses."""

from django.contrib import admin
from django.http import HttpRequest

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    fields = ("slug", "title", "body", "updated_at")
    readonly_fields = ("slug", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SitePage | None = None) -> bool:
        return False

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.requests import AuthenticatedHttpRequest

from .models import Comment, Report
from .moderation import moderate
from .views import base_url


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("open", "Reported, not reviewed"), ("any", "Ever reported")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(
                reports__reviewed_at__isnull=True, reports__isnull=False
            ).distinct()
        if self.value() == "any":
            return queryset.filter(reports__isnull=False).distinct()
        return queryset


class ReportInline(admin.TabularInline):
    """Why readers reported the comment, who and when: read by moderators
    (comments.view_report), written only by readers reporting."""

    model = Report
    extra = 0
    can_delete = False
    fields = ("user", "reason", "note", "created_at", "reviewed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "user", "article", "status", "created_at", "moderated_by")
    list_filter = (
        "status",
        ReportedFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("article", "user", "moderated_by")
    search_fields = ("body", "user__username", "article__title")
    date_hierarchy = "created_at"
    fields = ("article", "parent", "user", "body", "status", "created_at", "edited_at",
              "moderated_by", "moderated_at")  # fmt: skip
    readonly_fields = ("article", "parent", "user", "body", "status", "created_at", "edited_at",
                       "moderated_by", "moderated_at")  # fmt: skip
    inlines = [ReportInline]
    actions = ["approve", "hide", "remove"]
    change_form_template = "admin/comments/comment/change_form.html"
    # The buttons of a comment's page, each a POST to its own address: the status it
    # sets, and the word for the message.
    MODERATION = {
        "approve": (Comment.Status.VISIBLE, "approved"),
        "hide": (Comment.Status.HIDDEN, "hidden"),
        "remove": (Comment.Status.REMOVED, "removed"),
    }

    @admin.display(description="Comment")
    def excerpt(self, comment: Comment) -> str:
        return comment.body[:80] + ("…" if len(comment.body) > 80 else "")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Moderators and editors remove comments with the "Remove" action, which records who
        # did it and when and keeps a placeholder above replies. Deleting outright leaves no
        # trace, so it is for superusers, one comment at a time (Comment.delete recounts).
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_actions(
        self,
        request: HttpRequest,
        action_location: admin.ActionLocation = admin.ActionLocation.CHANGE_LIST,
    ) -> dict[str, Any]:
        # Django's bulk delete bypasses Comment.delete(), and with it the moderation record
        # and the article's stored comment count.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        # One address per verb: "<pk>/<verb>/" would also catch the admin's own "change/".
        view = self.admin_site.admin_view(require_POST(self.moderate_view))
        own = [
            path(f"<int:pk>/{verb}/", view, {"verb": verb}, name=f"comments_comment_{verb}")
            for verb in self.MODERATION
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: the page moderates (its Approve, Hide and Remove
        # buttons) and has nothing to save.
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "moderation_buttons": [
                (verb.capitalize(), f"admin:comments_comment_{verb}") for verb in self.MODERATION
            ]
            if self.has_change_permission(request)
            else [],
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def moderate_view(self, request: AuthenticatedHttpRequest, pk: int, verb: str) -> HttpResponse:
        """One comment approved, hidden or removed from its page, as the list's actions do."""
        comment = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        status, done = self.MODERATION[verb]
        self._moderate(request, self.get_queryset(request).filter(pk=comment.pk), status, done)
        return redirect("admin:comments_comment_change", pk)

    def _moderate(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Comment], status: str, verb: str
    ) -> None:
        count = moderate(
            comments=queryset.select_related("article__author", "parent__user", "user"),
            status=status,
            by=request.user,
            base_url=base_url(request),
        )
        self.message_user(request, f"{count} comment(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve: show on the site", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.VISIBLE, "approved")

    @admin.action(description="Hide from the site", permissions=["change"])
    def hide(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.HIDDEN, "hidden")

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REMOVED, "removed")

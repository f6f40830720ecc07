from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from accounts.requests import AuthenticatedHttpRequest

from . import rules
from .forms import StaffReplyForm
from .models import Comment, Report
from .moderation import moderate, post_staff_reply
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

    def get_fields(self, request, obj=None):
        # Authors read why a comment on their article was reported, not which readers
        # reported it: that stays with those who moderate.
        if rules.moderates(request.user):
            return self.fields
        return tuple(name for name in self.fields if name != "user")


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return rules.comments_in_admin(comments=super().get_queryset(request), user=request.user)

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
        reply = self.admin_site.admin_view(require_http_methods(["GET", "POST"])(self.reply_view))
        own.append(path("<int:pk>/reply/", reply, name="comments_comment_reply"))
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._reply_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _reply_context(
        self,
        request: AuthenticatedHttpRequest,
        comment: Comment,
        form: StaffReplyForm | None = None,
    ) -> dict[str, Any]:
        """What the "Reply as" form needs: the role the reply will carry, or why there is
        no form (staff_role None: this user does not answer here)."""
        role = rules.staff_role(article=comment.article, user=request.user)
        if role is None:
            return {"reply_role": None}
        return {
            "reply_role": Comment.StaffRole(role).label,
            "reply_refusal": rules.staff_reply_refusal(comment=comment),
            "reply_form": form or StaffReplyForm(name=request.user.public_name),
            "reply_thread": comment.parent or comment,
        }

    def reply_view(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """A staff reply to one comment: its own page, which shows the form again with
        what was typed when it cannot be posted; the comment's page carries the form too."""
        comment = get_object_or_404(
            Comment.objects.select_related("article__author", "parent__user", "user"), pk=pk
        )
        role = rules.staff_role(article=comment.article, user=request.user)
        if role is None:
            raise PermissionDenied
        name = request.user.public_name
        form = StaffReplyForm(request.POST or None, name=name)
        refusal = rules.staff_reply_refusal(comment=comment)
        if request.method == "POST" and refusal is None and form.is_valid():
            reply = post_staff_reply(
                comment=comment,
                user=request.user,
                role=role,
                body=form.cleaned_data["body"],
                base_url=base_url(request),
            )
            label = f"{name} · {reply.get_staff_role_display()}"
            thread = reply.parent
            assert thread is not None  # a reply always has its thread
            if thread.status == Comment.Status.PENDING:
                message = format_html(
                    "Your reply is posted as “{}”. The comment awaits approval: its writer "
                    "sees your reply now, other readers once a moderator approves it.",
                    label,
                )
            else:
                message = format_html(
                    'Your reply is posted as “{}”. <a href="{}">See it on the article</a>',
                    label,
                    reply.get_absolute_url(),
                )
            self.message_user(request, message, messages.SUCCESS)
            return redirect("admin:comments_comment_change", comment.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to {comment.user or 'a deleted user'}",
            "original": comment,
            **self._reply_context(request, comment, form),
        }
        status = 403 if refusal else 400 if form.is_bound else 200
        return TemplateResponse(
            request, "admin/comments/comment/reply.html", context, status=status
        )

    def moderate_view(self, request: AuthenticatedHttpRequest, pk: int, verb: str) -> HttpResponse:
        """One comment approved, hidden or removed from its page, as the list's actions do."""
        # Refused before the comment is looked up: authors, who read comments, learn
        # nothing from a 404 about comments they cannot see.
        if not self.has_change_permission(request):
            raise PermissionDenied
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

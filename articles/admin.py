from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst, normalize_newlines
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.admin import TaggedItemInline as TaggitTaggedItemInline
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from accounts.requests import AuthenticatedHttpRequest
from healthsite.caching.versions import invalidate_pages_after_write
from healthsite.validators import no_control_characters
from images.admin import CHOOSER_SCRIPT, CHOOSER_STYLESHEET, FIGURE_FIELDS
from images.admin import ImageAdmin as LibraryImageAdmin
from images.models import Image

from .editorial import admin_views, checks, pending, review, workflow, writing
from .editorial.autosave import discard_draft
from .editorial.autosave_admin import AutosaveAdminMixin
from .editorial.content import approval_of, refresh_content_hash
from .editorial.models import ReviewNote
from .editorial.review import REVIEW_DUE_SOON_DAYS
from .editorial.revisions import (
    compare_versions,
    keep_in_revision,
    pick_versions,
    records_sources_and_tags,
    restore_version,
)
from .feedback import helpful_label, with_helpfulness
from .markdown import cited_numbers, render_markdown
from .models import Article, ArticleQuerySet, Category, Disclaimer, Feedback, Reference
from .tags import merge_tags, tag_links_changing


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "path", "position", "is_medical", "review_period_months")
    list_editable = ("position",)
    list_filter = ("is_medical",)
    search_fields = ("name", "slug", "path", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    ordering = ("path",)
    list_select_related = ("parent",)


def can_publish(request: AuthenticatedHttpRequest) -> bool:
    return workflow.can_publish(request.user)


# The time a pending version is to be published at, from the field beside its button.
PUBLISH_AT = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])
# A live article's content, changed through a pending version only.
LIVE_CONTENT_FIELDS = ("title", "slug", "summary", "hero_image", "body", "category", "tags")
# Its medical review, which a reviewer's approval of a pending version records.
LIVE_REVIEW_FIELDS = ("reviewer", "reviewed_on")
# What a pending version's page shows: its content and what editors decide about it.
PENDING_FIELDSETS = (
    (None, {"fields": ("title", "slug", "summary", "hero_image", "body", "loaded_version")}),
    ("Filing", {"fields": ("category", "tags")}),
    (
        "The change",
        {
            "fields": ("change_kind", "change_summary", "assigned_reviewer"),
            "description": "Readers keep seeing the live article until an editor publishes "
            "this version. In a medical category a substantive change needs a medical "
            "reviewer's approval of this exact version first.",
        },
    ),
)
# Read-only to authors: publishing, archiving, and the medical review, which only an
# editor may record.
WORKFLOW_FIELDS = (
    "author", "status", "published_at", "replaced_by", "archive_note", "reviewer", "reviewed_on",
    "next_review_override", "assigned_reviewer",
)  # fmt: skip


# What an author's own draft shows them: what they write and file. The status is among
# WORKFLOW_FIELDS, read-only to them.
AUTHOR_DRAFT_FIELDSETS = (
    (None, {"fields": ("title", "slug", "summary", "hero_image", "body", "loaded_version")}),
    ("Filing", {"fields": ("category", "tags", "author", "status", "comments_closed")}),
)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "next review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", "Overdue"),
            ("soon", f"Due within {REVIEW_DUE_SOON_DAYS} days"),
            ("later", "Not due yet"),
        )

    def queryset(self, request, queryset):
        # Published articles only, like the dashboard panel and the reminders: a draft or
        # an archived article has no review to keep up.
        today = timezone.localdate()
        soon = today + timedelta(days=REVIEW_DUE_SOON_DAYS)
        if self.value() == "overdue":
            return queryset.review_overdue(today=today)
        if self.value() == "soon":
            return queryset.published().filter(
                next_review_due__gte=today, next_review_due__lte=soon
            )
        if self.value() == "later":
            return queryset.published().filter(next_review_due__gt=soon)
        return queryset


class ArticleAdminForm(forms.ModelForm):
    # When the article was last saved, as the person editing loaded it: a save over a newer
    # version is refused (ArticleAdminForm.clean), so two people never overwrite each other.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ()  # the admin's fieldsets choose the fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The status as stored: a workflow step on saving ("Save and submit for review")
        # changes it outside the form's fields, and the history should say so.
        self.loaded_status = self.instance.status
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()
        if "body" in self.fields:
            # What the body's Markdown does, under the text box (the toolbar writes it).
            self.fields["body"].help_text = render_to_string(
                "admin/articles/article/includes/formatting_help.html",
                {"care_cards": settings.CARE_CARDS.items()},
            )
        if "hero_image" in self.fields:
            self.fields["hero_image"].help_text = (
                "Shown at the top of the article, full width. Pictures in the body: "
                "“Insert a picture” above the body."
            )

    def clean_tags(self) -> list[str]:
        # django-taggit's field checks nothing of the names: a control character in one
        # would reach the feeds (healthsite.validators).
        tags = self.cleaned_data["tags"]
        for name in tags:
            no_control_characters(name)
        return tags

    def _check_version(self) -> None:
        loaded = self.cleaned_data.get("loaded_version")
        if not self.instance.pk or not loaded:
            return
        stored = Article.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        current = stored.first()
        if current is not None and current.isoformat() != loaded:
            last = Version.objects.get_for_object(self.instance).select_related("revision__user")
            saved_by = last.first()
            who = (
                saved_by.revision.user.get_full_name() or saved_by.revision.user.get_username()
                if saved_by and saved_by.revision.user
                else "Someone else"
            )
            when = timezone.localtime(current)
            # Saving again now overwrites their version on purpose: it is in the history.
            data = cast(QueryDict, self.data).copy()  # the posted form, kept as typed
            data["loaded_version"] = current.isoformat()
            self.data = data
            self.add_error(
                None,
                f"{who} saved this article at {when:%H:%M} on {when:%d %B %Y}, after you "
                "opened it. Nothing of yours was saved and your text is still below. Their "
                "version is in the History; copy what you need from it, or save again to "
                "replace it with yours.",
            )

    def _check_approval(self) -> None:
        """Publishing from the form is refused as the "Publish" action refuses it
        (workflow.publish_article): a medical approval on file that is not of the text
        going out, whether it changed before this save or in it."""
        article = self.instance
        if (
            self.cleaned_data.get("status") not in Article.PUBLIC_STATUSES
            or self.loaded_status in Article.PUBLIC_STATUSES
            or article.pk is None
            or article.live_id is not None
        ):
            return
        stored = Article.objects.select_related("category").get(pk=article.pk)
        edited = bool(set(self.changed_data) & set(LIVE_CONTENT_FIELDS))
        approved = stored.review_notes.filter(kind=ReviewNote.Kind.APPROVED).exists()
        if workflow.approved_before_changes(stored) or (edited and approved):
            self.add_error(
                "status",
                "The text changed after the medical reviewer approved it: it needs their "
                "approval again before it is published. Save your changes without "
                "publishing, and submit them for review.",
            )

    def clean(self) -> dict[str, Any]:
        super().clean()  # a ModelForm's returns its cleaned_data
        self._check_version()
        self._check_approval()
        body = self.cleaned_data.get("body")
        if body is not None:
            # The one writing check that blocks: a picture readers cannot all see.
            problem = checks.blocking_problem(render_markdown(normalize_newlines(body)))
            if problem:
                self.add_error("body", problem)
        reviewer = self.cleaned_data.get("assigned_reviewer")
        if reviewer is not None and not review.can_review(reviewer, self.instance):
            self.add_error(
                "assigned_reviewer",
                "Choose a medical reviewer with credentials on their profile who did not "
                "write the article.",
            )
        if "reviewed_on" in self.changed_data and "next_review_override" not in self.changed_data:
            # A new review starts a new cycle: a date set for the old one no longer applies.
            self.cleaned_data["next_review_override"] = None
        return self.cleaned_data


class ReferenceFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """Every [n] the body cites needs a reference numbered n (a dead link otherwise)."""
        super().clean()
        numbers = {
            form.cleaned_data["number"]
            for form in self.forms
            if form.cleaned_data.get("number") and not form.cleaned_data.get("DELETE")
        }
        missing = sorted(cited_numbers(self.instance.body) - numbers)
        if missing:
            listed = ", ".join(f"[{number}]" for number in missing)
            raise ValidationError(f"The body cites {listed} but no reference has that number.")


class ReferenceInline(admin.StackedInline):
    """The article's sources: changed by whoever may change the article."""

    model = Reference
    formset = ReferenceFormSet
    extra = 1
    fields = (
        ("number", "year", "accessed_on"),
        "title",
        "publisher",
        "url",
        ("doi", "pubmed_id"),
        ("link_ok", "check_result", "checked_at"),
    )
    readonly_fields = ("link_ok", "check_result", "checked_at")

    # `obj` is the article.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


def _stored_live(article: Article) -> bool:
    """Whether the article is live as stored: a form being checked may hold another status
    in memory (an editor archiving it), and its fields must not change meanwhile."""
    return (
        article.pk is not None
        and Article.objects.filter(
            pk=article.pk, live__isnull=True, status__in=workflow.EDITORS_ONLY
        ).exists()
    )


def _may_edit(request: AuthenticatedHttpRequest, article: Article | None) -> bool:
    """May change this article's text and sources here: never a live article's, which
    change through a pending version (articles.editorial.pending)."""
    return article is None or (
        not pending.is_live(article) and workflow.can_edit(request.user, article)
    )


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    """Every source in one list, for finding broken links after `check_references`."""

    list_display = ("__str__", "article", "url", "link_ok", "check_result", "checked_at")
    list_filter = ("link_ok",)
    list_select_related = ("article",)
    search_fields = ("title", "url", "article__title")
    readonly_fields = ("checked_at", "link_ok", "check_result")
    autocomplete_fields = ("article",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if can_publish(request) else queryset.filter(article__author=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # The articles whose sources may change here (_may_edit): never a live one's,
            # an editor's neither, which change through its pending version.
            articles = Article.objects.exclude(live__isnull=True, status__in=workflow.EDITORS_ONLY)
            if not can_publish(request):
                articles = articles.filter(author=request.user, publish_changes_at__isnull=True)
            kwargs["queryset"] = articles
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and _may_edit(request, obj.article if obj else None)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and _may_edit(request, obj.article if obj else None)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Readers' answers to "Was this page helpful?": read and deleted, never written here."""

    list_display = ("article", "helpful", "comment", "created_at")
    list_filter = ("helpful", "created_at")
    list_select_related = ("article",)
    search_fields = ("comment", "article__title")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LiveArticlesChangeList(ChangeList):
    """The article list shows articles, not their pending versions: a live article with
    one says "Live · changes pending", and its page leads to it."""

    def get_queryset(self, request, exclude_parameters=None):
        # The root too, which the list's "n total" counts.
        self.root_queryset = self.root_queryset.filter(live__isnull=True)
        return super().get_queryset(request, exclude_parameters)


@admin.register(Article)
class ArticleAdmin(AutosaveAdminMixin, VersionAdmin):
    """Editors see and publish everything; authors see, write and change only their own
    articles, submit them for review and never publish: the workflow fields are read-only
    to them, and so is all of an article once an editor has published or scheduled it.
    Every save keeps a revision (django-reversion); the history page compares any two and
    restores one's text (`workflow.restore_revision`)."""

    form = ArticleAdminForm
    inlines = (ReferenceInline,)
    # Few enough to fit a 1280 px screen beside the filters (with admin-editorial.css).
    list_display = (
        "title", "state", "category", "author", "published_at", "next_review_due", "helpful",
    )  # fmt: skip
    list_filter = ("status", ReviewDueFilter, "category", "author", "tags")
    list_select_related = ("category", "author", "pending")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "category", "replaced_by", "reviewer", "hero_image")
    date_hierarchy = "published_at"
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    actions = ("publish_now", "send_back_to_draft")

    class Media:
        css = {"all": ("css/article-editor.css", CHOOSER_STYLESHEET, "css/autosave.css")}
        js = (
            forms.Script("js/article-editor.js", defer=True),
            CHOOSER_SCRIPT,
            forms.Script("js/autosave.js", defer=True),
        )

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "hero_image", "body", "loaded_version")}),
        ("Filing", {"fields": ("category", "tags", "author")}),
        (
            "Publishing",
            {
                "fields": ("status", "published_at", "comments_closed"),
                "description": "Publish now: status “Published”, time empty. Schedule: "
                "status “Scheduled” and a time to come; the article appears by itself then.",
            },
        ),
        (
            "Medical review",
            {
                "fields": (
                    "assigned_reviewer",
                    "reviewer",
                    "reviewed_on",
                    "next_review_override",
                    "next_review_due",
                ),
                "description": "Articles in a medical category (or below one) cannot be "
                "published until reviewed. The next review is due the category's review "
                "period after the review date, unless you set another date.",
            },
        ),
        (
            "Archiving",
            {
                "fields": ("replaced_by", "archive_note"),
                "description": "With status “Archived” the article leaves every list. Its "
                "address then redirects to the replacement, or tells readers it is gone "
                "(with the note).",
            },
        ),
    )

    def get_queryset(self, request):
        queryset = with_helpfulness(super().get_queryset(request))  # the "Helpful" column
        if can_publish(request):
            return queryset
        if request.user.has_perm("articles.review_article"):
            return queryset.for_reviewer(request.user)
        return queryset.filter(author=request.user)

    def get_changelist(self, request, **kwargs):
        return LiveArticlesChangeList

    # Least helpful first; articles without answers last.
    @admin.display(description="helpful", ordering=F("helpful_percent").asc(nulls_last=True))
    def helpful(self, obj: Article) -> str:
        return helpful_label(obj)

    @admin.display(description="status", ordering="status")
    def state(self, obj: Article) -> str:
        try:
            has_pending = obj.pending is not None
        except Article.DoesNotExist:
            has_pending = False
        if has_pending and pending.is_live(obj):
            return "Live · changes pending"
        return obj.get_status_display()

    def get_prepopulated_fields(self, request, obj=None):
        # A live article's address is read-only here, so nothing fills it in.
        return {} if obj is not None and _stored_live(obj) else self.prepopulated_fields

    def get_readonly_fields(self, request, obj=None):
        fields = (
            ("next_review_due",) if can_publish(request) else (*WORKFLOW_FIELDS, "next_review_due")
        )
        if obj is not None and _stored_live(obj):
            # What readers read changes only through a pending version, reviewed first.
            fields = (*fields, *LIVE_CONTENT_FIELDS, *LIVE_REVIEW_FIELDS)
        return fields

    def get_list_display(self, request):
        if can_publish(request):
            return self.list_display
        # Authors list their own articles only (get_queryset): the column would name them.
        return tuple(name for name in self.list_display if name != "author")

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.live_id is not None:
            if can_publish(request):
                return PENDING_FIELDSETS
            # Whether a change is minor, and who reviews it, are editors' calls.
            return (*PENDING_FIELDSETS[:2], ("The change", {"fields": ("change_summary",)}))
        if not can_publish(request) and (
            obj is None or (obj.status == Article.Status.DRAFT and obj.author_id == request.user.pk)
        ):
            # An author's draft: publishing, the medical review and archiving are editors'
            # and would show only dashes; its status shows, read-only, with its filing.
            return AUTHOR_DRAFT_FIELDSETS
        return self.fieldsets

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None or can_publish(request) or obj.author_id == request.user.pk:
            return allowed
        # A medical reviewer reads what is theirs to review (ArticleQuerySet.for_reviewer).
        return (
            request.user.has_perm("articles.review_article")
            and Article.objects.for_reviewer(request.user).filter(pk=obj.pk).exists()
        )

    def has_change_permission(self, request, obj=None):
        # Editors change a live article's workflow fields here (its text goes through a
        # pending version: get_readonly_fields); authors only what is not live.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_publish_permission(self, request: AuthenticatedHttpRequest) -> bool:
        return can_publish(request)

    def save_related(self, request, form, formsets, change):
        # Tags are saved after the article: search learns changed ones at the end of the
        # block, once (articles.tags), and the fingerprint approvals are checked against
        # learns them and the sources below.
        with tag_links_changing():
            super().save_related(request, form, formsets, change)
        article = form.instance
        submitting = "_submit_for_review" in request.POST and article.status == Article.Status.DRAFT
        if not submitting:  # a submission stores the fingerprint itself
            refresh_content_hash(article)
        else:
            reply = request.POST.get("reply_note", "")
            review.reply_and_resubmit(article=article, by=request.user, note=reply)
            waiting = (
                "a medical reviewer" if article.category.needs_medical_review() else "an editor"
            )
            self.message_user(request, f"“{article}” is now waiting for {waiting}'s review.")
            warnings = writing.article_report(article).warnings
            if warnings:
                # What the reviewer will notice too: the checks' summary, once more.
                names = ", ".join(check.name.lower() for check in warnings)
                self.message_user(
                    request,
                    f"Writing checks still to look at: {names}.",
                    messages.WARNING,
                )
        keep_in_revision(article)  # with its sources, tags and fingerprint as saved
        if "_publish_changes" in request.POST and article.live_id is not None:
            self._publish_changes(request, article)

    def construct_change_message(self, request, form, formsets, add=False):
        """What changed, as the history lists it: the form's fields, and the status when a
        workflow step on saving (a submission for review) changed it, which the form's
        fields do not show. (The revision's comment is this message: VersionAdmin.)"""
        message = super().construct_change_message(request, form, formsets, add)
        status_label = capfirst(Article._meta.get_field("status").verbose_name)
        if (
            not add
            and form.instance.status != form.loaded_status
            and "status" not in form.changed_data
        ):
            message.append({"changed": {"fields": [status_label]}})
        return message

    def save_model(self, request, obj, form, change):
        if not can_publish(request) and not change:
            obj.author = request.user
            obj.status = Article.Status.DRAFT
        workflow.save_article(obj)
        # Saved: the draft autosave kept of the typing goes (articles.editorial.autosave).
        discard_draft(user=request.user, article=obj if change else None)
        if "assigned_reviewer" in form.changed_data:
            review.assign_reviewer(
                article=obj,
                reviewer=obj.assigned_reviewer,
                by=request.user,
                base_url=request.build_absolute_uri("/")[:-1],
            )

    def response_change(self, request, obj):
        if obj.live_id is not None and not Article.objects.filter(pk=obj.pk).exists():
            # Published: the pending version is now the live article's text.
            return redirect("admin:articles_article_change", obj.live_id)
        return super().response_change(request, obj)

    def _publish_changes(self, request: AuthenticatedHttpRequest, version: Article) -> None:
        """Publish a pending version from its page; a refusal is said, the version kept."""
        try:
            at = PUBLISH_AT.clean(request.POST.get("publish_at", ""))
        except ValidationError:
            self.message_user(
                request, "Saved, not published: give the time as shown.", messages.ERROR
            )
            return
        try:
            live = pending.publish_pending_version(pending=version, by=request.user, at=at)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, f"Saved, not published: {reason}", messages.ERROR)
            return
        if at is not None and at > timezone.now():
            when = timezone.localtime(at)
            self.message_user(request, f"The change will be published at {when:%H:%M on %d %B %Y}.")
        else:
            self.message_user(request, f"The change is published: readers now see it on “{live}”.")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run(request, queryset, workflow.publish_article, "published")

    @admin.action(description="Send selected articles back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._run(request, queryset, workflow.return_to_draft, "sent back to draft")

    def _run(
        self,
        request: AuthenticatedHttpRequest,
        queryset: QuerySet[Article],
        step: Callable[..., None],
        done: str,
    ) -> None:
        """Apply a workflow step to each article; one refusal does not stop the others."""
        for article in queryset:
            try:
                step(article=article, by=request.user)
            except ValidationError as error:
                reason = " ".join(error.messages)
                self.message_user(request, f"“{article}” not {done}: {reason}", messages.ERROR)
            else:
                self.message_user(request, f"“{article}” {done}.")

    # Preview, compare and restore.

    def get_urls(self):
        own = [
            path(
                "editor/preview/",
                self.admin_site.admin_view(partial(writing.preview_view, self)),
                name="articles_article_editor_preview",
            ),
            path(
                "editor/preview/frame/",
                self.admin_site.admin_view(partial(writing.preview_frame_view, self)),
                name="articles_article_editor_preview_frame",
            ),
            path(
                "<int:pk>/pending/",
                self.admin_site.admin_view(require_POST(self.start_pending_view)),
                name="articles_article_start_pending",
            ),
            path(
                "<int:pk>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="articles_article_discard",
            ),
            path(
                "<int:pk>/changes/",
                self.admin_site.admin_view(partial(admin_views.pending_compare_view, self)),
                name="articles_article_changes",
            ),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(partial(admin_views.review_view, self)),
                name="articles_article_review",
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="articles_article_restore",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        context: dict[str, Any] = {}
        if article is not None:
            notes = list(article.review_notes.select_related("by").order_by("-created_at")[:10])
            context = {
                "is_live": pending.is_live(article),
                "pending_version": Article.objects.filter(live=article).only("pk").first()
                if pending.is_live(article)
                else None,
                "may_change_live": pending.can_change_live(request.user, article),
                "review_notes": notes,
                "changes_requested": next(
                    (n for n in notes if n.kind == ReviewNote.Kind.CHANGES_REQUESTED), None
                )
                if article.status == Article.Status.DRAFT
                else None,
            }
            if article.live_id is not None:
                approval = approval_of(article)
                context["approval"] = approval
                context["publish_refusal"] = pending.publish_refusal(article, approval=approval)
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The writing checks and the live preview, where the body can be edited here.
        shown = "body" in context["adminform"].form.fields
        context.update(
            writing_checks_shown=shown,
            writing_report=writing.article_report(obj) if shown and obj is not None else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def start_pending_view(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """Start changing a live article: its pending version, made if there is none."""
        article = self._article(request, pk, change=False)
        try:
            version = pending.start_pending_version(article=article, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:articles_article_change", pk)
        self.message_user(
            request,
            "You are editing the pending version: readers keep seeing the live article until "
            "an editor publishes this one.",
        )
        return redirect("admin:articles_article_change", version.pk)

    def discard_view(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """Discarding a pending version asks first (GET), then throws it away (POST): a
        slip of the hand must not lose someone's work."""
        version = self._article(request, pk, change=False)
        live_pk = version.live_id
        if request.method != "POST":
            if not workflow.can_publish(request.user):
                raise PermissionDenied
            if live_pk is None:
                return redirect("admin:articles_article_change", pk)
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": version,
                "live": version.live,
                "title": f"Discard the pending version of “{version.live}”?",
            }
            return TemplateResponse(request, "admin/articles/article/discard.html", context)
        try:
            pending.discard_pending_version(pending=version, by=request.user)
        except ValidationError as error:  # not a pending version: nothing to discard
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:articles_article_change", pk)
        self.message_user(
            request, "The pending version is discarded: the live article is unchanged."
        )
        return redirect("admin:articles_article_change", live_pk)

    def _article(self, request: HttpRequest, pk: int, *, change: bool) -> Article:
        """The article, if this staff user may see it (or, with `change`, change it): 404
        if none, 403 if not theirs."""
        article = get_object_or_404(
            Article.objects.select_related("author", "category", "reviewer", "hero_image"), pk=pk
        )
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The article exactly as readers will see it, whatever its status."""
        article = self._article(request, pk, change=False)
        context = {
            "article": article,
            "preview": True,
            "tags": list(article.tags.all()),
            "related_articles": list(Article.objects.related_to(article)),
        }
        return render(request, "articles/article_detail.html", context)

    def compare_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self._article(request, pk, change=False)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        picked = pick_versions(versions, old=request.GET.get("old"), new=request.GET.get("new"))
        if picked is None:
            return redirect("admin:articles_article_history", pk)
        old, new = picked
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "old": old,
            "new": new,
            "changes": compare_versions(old, new),
            "is_live": pending.is_live(article),
            "restores_sources_and_tags": records_sources_and_tags(new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(
        self, request: AuthenticatedHttpRequest, pk: int, version_id: int
    ) -> HttpResponse:
        article = self._article(request, pk, change=False)
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        target = article
        try:
            if pending.is_live(article):
                # A live article's text changes through its pending version, reviewed first.
                target = pending.start_pending_version(article=article, by=request.user)
            elif not self.has_change_permission(request, article):
                raise PermissionDenied
            restore_version(article=target, version=version, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            where = " into its pending version" if target is not article else ""
            self.message_user(
                request, f"Restored the text of “{article}” from that revision{where}."
            )
        return redirect("admin:articles_article_change", target.pk)

    def history_view(self, request, object_id, extra_context=None):
        # Each revision links to a comparison with the one before it.
        article = self.get_object(request, object_id)
        if article is None:
            return super().history_view(request, object_id, extra_context)
        versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
        rows = [
            {
                "version": version,
                "previous": versions[index + 1] if index + 1 < len(versions) else None,
            }
            for index, version in enumerate(versions)
        ]
        return super().history_view(
            request, object_id, {"revision_rows": rows, **(extra_context or {})}
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion's own revert form puts back every field, the status included,
        # which would let an author publish by reverting; ours restores the text only.
        url = reverse("admin:articles_article_compare", args=[object_id])
        return redirect(f"{url}?new={int(version_id)}")

    def changelist_view(self, request, extra_context=None):
        # The "Recover deleted articles" button, for those recoverlist_view lets in.
        context = {"can_recover": can_publish(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # A recovered article comes back with its old status: an editor's call.
        if not can_publish(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)


# The image library's admin, which also renders again the article bodies that show a
# picture whose text changed: the text is part of the rendered HTML.
admin.site.unregister(Image)


@admin.register(Image)
class ImageAdmin(LibraryImageAdmin):
    def has_change_permission(self, request, obj=None):
        """Editors change any picture; others only one that no article readers see (or will,
        at its time) shows: its text is part of that article, whose changes go out only as
        an editor publishes them (articles.editorial.pending). One query, whatever the
        picture and however many articles show it."""
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or can_publish(request):
            return allowed
        live = Article.objects.showing_image(obj).filter(status__in=Article.PUBLIC_STATUSES)
        return not live.exists()

    def save_model(self, request, obj, form, change):
        if not change:  # a new picture: no article shows it yet
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            # Checked again as it is written: an article may have gone live meanwhile.
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            super().save_model(request, obj, form, change)
            if set(form.changed_data) & FIGURE_FIELDS:
                Article.objects.placing_image(obj).render_bodies()


# django-taggit's own tag admin, which also keeps search up to date: an article's tag names
# are part of what search reads.
admin.site.unregister(Tag)


def tags_changed(articles: ArticleQuerySet) -> None:
    """After a tag was renamed: the articles that carry it show and are searched under its
    new name, at once. (Changes of their links refresh both by themselves: articles.tags.)"""
    articles.update_search_index()
    invalidate_pages_after_write()


# The session key django-taggit's "Merge selected tags" action keeps the selection under,
# for its merge page (test_admin.merge_in_admin goes through both and fails if it changes).
MERGE_SELECTION_KEY = "selected_tag_ids"


class TaggedItemInline(TaggitTaggedItemInline):
    """A tag's links to articles, changed by whoever may change the tag: editors hold no
    permission on django-taggit's link rows themselves."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("taggit.change_tag")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("taggit.change_tag")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("taggit.change_tag")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("taggit.change_tag")


class TagForm(forms.ModelForm):
    # django-taggit's Tag is not ours to add a validator to: its admin form checks the name.
    name = forms.CharField(max_length=100, validators=[no_control_characters])

    class Meta:
        model = Tag
        fields = ("name", "slug")


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagForm
    inlines = (TaggedItemInline,)

    def save_related(self, request, form, formsets, change):
        # The inline's links refresh search by themselves (articles.tags), once.
        with tag_links_changing():
            super().save_related(request, form, formsets, change)
        if change and "name" in form.changed_data:
            tags_changed(Article.objects.filter(tags=form.instance))

    def delete_model(self, request, obj):
        self.delete_queryset(request, Tag.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        # Deleting the tags deletes their links, each refreshing its article's search
        # (articles.tags): once per article, at the end.
        with transaction.atomic(), tag_links_changing():
            super().delete_queryset(request, queryset)

    # django-taggit offers the merge to anyone who can see the tag list and checks nothing
    # more in its view; a merge changes the tags of every article, so it takes the right
    # to change tags (Editors), not just to see them (Authors).
    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        """django-taggit's "Merge selected tags" page, merging with articles.tags.merge_tags:
        django-taggit's own merge drops the tag merged into when it is one of those
        selected, and leaves the others behind, empty."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return super().merge_tags_view(request)
        form = MergeTagsForm(request.POST)
        selected = request.session.get(MERGE_SELECTION_KEY, "").split(",")
        if not form.is_valid():  # django-taggit's page says so and shows the form again
            return super().merge_tags_view(request)
        target = merge_tags(
            tags=Tag.objects.filter(pk__in=[pk for pk in selected if pk.isdigit()]),
            into=form.cleaned_data["new_tag_name"],
        )
        request.session.pop(MERGE_SELECTION_KEY, None)
        self.message_user(request, f"The tags are merged into “{target}”.", messages.SUCCESS)
        return redirect("..")


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    """One disclaimer for every article: a settings page, changed, never added or deleted.

    Its list would say "0 medical disclaimers" while the default text shows on every page,
    so the list opens the one disclaimer instead, stored with that text if it is not yet."""

    fields = ("text", "updated_at")
    readonly_fields = ("updated_at",)

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        # Disclaimer.save() keeps it to the one row, pk 1, with the default text.
        disclaimer, _ = Disclaimer.objects.get_or_create(pk=1)
        return redirect("admin:articles_disclaimer_change", disclaimer.pk)

    # Site-wide text is the editors' (those who may publish), like publishing itself.
    def has_view_permission(self, request, obj=None):
        return can_publish(request)

    def has_change_permission(self, request, obj=None):
        return can_publish(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

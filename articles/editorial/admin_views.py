"""Pages of the article admin for the editorial workflow, wired in ArticleAdmin.get_urls.

Each takes the ArticleAdmin first (`partial(view, self)`), so that who may see what is
the admin's one answer (`has_view_permission`), not a copy of it here."""

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from accounts.requests import AuthenticatedHttpRequest

from ..models import Article
from .compare import compare_contents
from .content import approval_of, content_hash, content_of
from .review import approve_version, can_review, last_approved_content, request_changes

# "ModelAdmin[Article]" is quoted: ModelAdmin is generic to the type checker (django-stubs)
# only, and subscripting it at run time fails.


def pending_compare_view(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int
) -> HttpResponse:
    """A pending version beside its live article, the changes marked: 404 unless `pk` is a
    pending version, 403 if this user may not see it."""
    version = get_object_or_404(Article.objects.select_related("live"), pk=pk, live__isnull=False)
    if not model_admin.has_view_permission(request, version):
        raise PermissionDenied
    live = version.live
    assert live is not None  # the filter above
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": version,
        "live": live,
        "title": f"Pending changes to “{live}”",
        "changes": compare_contents(content_of(live), content_of(version)),
    }
    return TemplateResponse(request, "admin/articles/article/pending_compare.html", context)


# The reviewer's desk: one version's medical review.

# Review notes the review page shows, the newest; older ones are in the article's history.
NOTES_SHOWN = 20
# Whether the page the reviewer read is still the version: see review_view.
REVIEWED_HASH = "reviewed_hash"


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the author and the editors: what you checked, or what to watch.",
    )


class RequestChangesForm(forms.Form):
    note = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The author reads this note by email and on the article's page.",
        error_messages={"required": "Say what needs to change: the author reads this note."},
    )


def review_view(
    model_admin: "ModelAdmin[Article]", request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    """A version's medical review: what it says, what changed since the version last
    approved, the notes so far, and (for a reviewer who may review it) the forms to approve
    it or ask for changes. Whoever may see the article in the admin reads the page (its
    author, editors, the reviewers of ArticleQuerySet.for_reviewer); the forms are the
    reviewer's (review.can_review), while the version is in review."""
    user = request.user
    article = get_object_or_404(
        Article.objects.select_related("author", "category", "assigned_reviewer", "reviewer"),
        pk=pk,
    )
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    approve_form, changes_form = ApproveForm(prefix="approve"), RequestChangesForm(prefix="changes")
    if request.method == "POST":
        if not can_review(user, article):
            raise PermissionDenied
        approve = "_approve" in request.POST
        if not approve and "_request_changes" not in request.POST:
            return redirect("admin:articles_article_review", article.pk)
        # The form of the button pressed, bound; the other stays as it was.
        form: forms.Form
        if approve:
            form = approve_form = ApproveForm(request.POST, prefix="approve")
        else:
            form = changes_form = RequestChangesForm(request.POST, prefix="changes")
        if form.is_valid():
            note = form.cleaned_data["note"]
            if _record_verdict(model_admin, request, article, approve=approve, note=note):
                return redirect("admin:articles_article_review", article.pk)
    content = content_of(article)
    fingerprint = content_hash(content)
    approval = approval_of(article, fingerprint=fingerprint)
    last_approved = last_approved_content(article)
    newest_notes = article.review_notes.select_related("by").order_by("-created_at", "-pk")
    in_review = article.status == Article.Status.IN_REVIEW
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": article,
        "title": f"Medical review of “{article}”",
        "notes": list(newest_notes[:NOTES_SHOWN])[::-1],
        "approval": approval,
        "changes": compare_contents(last_approved, content),
        "approved_before": last_approved is not None,
        "may_review": in_review and can_review(user, article),
        "in_review": in_review,
        "reviewed_hash": fingerprint,
        "approve_form": approve_form,
        "changes_form": changes_form,
        "may_change": model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "admin/articles/article/review.html", context)


def _record_verdict(
    model_admin: "ModelAdmin[Article]",
    request: AuthenticatedHttpRequest,
    article: Article,
    *,
    approve: bool,
    note: str,
) -> bool:
    """Approve the version or ask for changes, if it is still the one the reviewer read;
    True when recorded. A refusal is said in a message and nothing is recorded."""
    user = request.user
    try:
        with transaction.atomic(durable=True):
            # Locked, so that no save comes between the check and the verdict: an
            # approval is of the exact text the reviewer read.
            version = (
                Article.objects.select_for_update()
                .select_related("author", "category")
                .get(pk=article.pk)
            )
            if content_hash(content_of(version)) != request.POST.get(REVIEWED_HASH):
                raise ValidationError(
                    "This version changed after you opened the page: nothing was recorded. "
                    "The page now shows the version as it is; read it again before you decide."
                )
            if version.status != Article.Status.IN_REVIEW:
                raise ValidationError("Only a version submitted for review can be reviewed.")
            if approve:
                approve_version(article=version, by=user, note=note)
            else:
                base_url = request.build_absolute_uri("/")[:-1]
                request_changes(article=version, by=user, note=note, base_url=base_url)
    except ValidationError as error:
        model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        return False
    if approve:
        model_admin.message_user(request, f"You approved this version of “{version}”.")
    else:
        model_admin.message_user(
            request, f"“{version}” went back to {version.author.public_name} with your note."
        )
    return True

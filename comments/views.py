from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.requests import AuthenticatedHttpRequest
from articles.models import Article
from articles.templatetags.placed_messages import shown_in

from .forms import CommentForm, EditCommentForm, ReportForm
from .limits import count_comment
from .models import Comment
from .moderation import delete_comment, edit_comment, post_comment, report_comment
from .notifications import unsubscribe, unsubscribe_topic
from .rules import EDIT_WINDOW_TEXT, can_delete, can_edit, comment_refusal, report_refusal
from .threads import comment_url


def base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_POST
def create(request: HttpRequest, article_pk: int) -> HttpResponse:
    # With its author, whom the new comment may be announced to.
    article = get_object_or_404(
        Article.objects.published().select_related("author").without_text().defer("body_html"),
        pk=article_pk,
    )
    form = CommentForm(request.POST, article=article)
    error = comment_refusal(article=article, user=request.user)
    if not request.user.is_authenticated:
        if not article.comments_closed:
            # Nothing is saved; after signing in they come back to the form.
            return redirect_to_login(f"{article.get_absolute_url()}#comment-form")
        # Signing in would not help where comments are closed: they are told so instead.
    elif error is None and form.is_valid():
        error = count_comment(user_id=request.user.pk)
        if error is None:
            comment = post_comment(
                article=article,
                user=request.user,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
                notify_replies=form.cleaned_data["notify_replies"],
                base_url=base_url(request),
            )
            if comment.status == Comment.Status.VISIBLE:
                messages.success(request, "Thank you: your comment is posted.")
            else:
                messages.info(
                    request,
                    "Thank you: your comment will appear once a moderator has approved it.",
                )
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "comments/comment_form_page.html",
        {"article": article, "form": form, "error": error},
        status=400,
    )


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a comment's permanent address leads: its article, on the comment page that holds
    it as this reader sees the comments. A comment they cannot see is not found."""
    comment = get_object_or_404(
        Comment.objects.filter(article__in=Article.objects.published()).select_related(
            "article", "parent"
        ),
        pk=pk,
    )
    listed = Comment.objects.filter(article_id=comment.article_id).listed_for(request.user)
    if not listed.filter(pk=pk).exists():
        raise Http404("No such comment.")
    return redirect(comment_url(comment=comment, user=request.user))


@login_required
@require_safe
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A page to answer one comment: the comment, then the form. The article page links
    here instead of carrying a form under every thread."""
    comment = get_object_or_404(
        Comment.objects.visible()
        .filter(parent__isnull=True, article__in=Article.objects.published())
        .select_related("article", "user"),
        pk=pk,
    )
    article = comment.article
    context = {
        "article": article,
        "comment": comment,
        "form": CommentForm(article=article),
        "error": comment_refusal(article=article, user=request.user),
    }
    return render(request, "comments/reply.html", context, status=403 if context["error"] else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not can_edit(comment=comment, user=request.user):
        return HttpResponseForbidden(
            f"Only its author can edit a comment, within {EDIT_WINDOW_TEXT} of posting it."
        )
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        edit_comment(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, "Your comment is updated.")
        return redirect(comment.get_absolute_url())
    context = {"comment": comment, "form": form, "edit_window": EDIT_WINDOW_TEXT}
    return render(request, "comments/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not can_delete(comment=comment, user=request.user):
        return HttpResponseForbidden("Only its author can delete a comment.")
    if request.method == "POST":
        article_url = comment.article.get_absolute_url()
        delete_comment(comment=comment)
        messages.success(request, "Your comment is deleted.", extra_tags=shown_in("comments"))
        return redirect(f"{article_url}#comments-message")
    return render(request, "comments/delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.visible().select_related("article", "user"), pk=pk)
    error = report_refusal(comment=comment, user=request.user)
    if error:
        return render(
            request, "comments/report.html", {"comment": comment, "error": error}, status=403
        )
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Told inside the comments, where the reader comes back to (#comments-message).
        placed = shown_in("comments")
        if report_comment(comment=comment, user=request.user, **form.cleaned_data):
            messages.success(
                request, "Thank you: a moderator will look at this comment.", extra_tags=placed
            )
        else:
            messages.info(request, "You have reported this comment already.", extra_tags=placed)
        return redirect(f"{comment.article.get_absolute_url()}#comments-message")
    return render(request, "comments/report.html", {"comment": comment, "form": form})


# The email's link opens a page asking to confirm, with a button: a GET changes nothing, as
# mail scanners and link previews open links unasked. Mail programs send the one-click
# unsubscribe (List-Unsubscribe-Post, RFC 8058) as a POST with no CSRF token; the signed
# token in the address is what authorises either POST, and no sign-in is needed.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        topic = unsubscribe(token=token)
        template = "comments/unsubscribed.html"
    else:
        topic = unsubscribe_topic(token=token)
        template = "comments/unsubscribe.html" if topic else "comments/unsubscribed.html"
    return render(request, template, {"topic": topic}, status=200 if topic else 400)

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from healthsite.file_storage import StorageFailed

from .avatars import PHOTO_NOT_SAVED, save_profile
from .forms import DeleteAccountForm, ProfileForm, SignUpForm
from .registration import confirm_email, register, return_path, send_confirmation_email
from .requests import AuthenticatedHttpRequest


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    # Where they came from (an article's comment form), carried through the confirmation
    # link and sign-in.
    next_path = return_path(request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST" and form.is_valid():
        register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            request=request,
            next_path=next_path,
        )
        # The same answer whether or not an account was made: see accounts.registration.
        return redirect("accounts:signup-done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_path})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    user = confirm_email(token=token)
    if user is None:
        return render(request, "accounts/confirm_failed.html", status=400)
    messages.success(request, "Thank you: your email address is confirmed.")
    next_path = return_path(request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(next_path or "accounts:profile")
    if next_path:
        return redirect(f"{reverse('login')}?next={quote(next_path, safe='/')}")
    return redirect("login")


@login_required
@require_POST
def resend_confirmation(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.email_confirmed:
        messages.info(request, "Your email address is already confirmed.")
    else:
        send_confirmation_email(user=request.user, request=request)
        messages.success(request, f"We sent a new link to {request.user.email}.")
    return redirect("accounts:profile")


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    old_avatar = request.user.avatar.name
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(form=form, old_avatar=old_avatar)
        except StorageFailed:
            # Nothing was stored: the page shows the account as it is, the form what was typed.
            request.user.refresh_from_db()
            form.add_error("avatar", PHOTO_NOT_SAVED)
            return render(request, "accounts/profile.html", {"form": form}, status=503)
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    # Articles keep their author and medical reviewer (both PROTECT): an editor passes them
    # to someone else first.
    named_on_articles = user.articles.exists() or user.reviewed_articles.exists()
    if request.method == "POST" and not named_on_articles and form.is_valid():
        avatar = user.avatar.name
        storage = user.avatar.storage
        with transaction.atomic():
            # Comments stay, shown as from a deleted user (Comment.user is SET_NULL).
            user.delete()
            if avatar:
                transaction.on_commit(lambda: storage.delete(avatar))
        logout(request)
        messages.success(request, "Your account is deleted. Thank you for being here.")
        return redirect("articles:home")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "named_on_articles": named_on_articles},
    )

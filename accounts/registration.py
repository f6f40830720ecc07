"""Sign-up and email confirmation.

Whether a username or email is already registered is never shown on the page: sign-up always
answers "check your email", and what the email says depends on the case. Only the owner of
the address learns about its account.
"""

from urllib.parse import quote

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from healthsite.mail import send_templated_mail

from .models import User

CONFIRMATION_SALT = "accounts.confirm-email"
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3  # three days


def return_path(value: str) -> str:
    """`value` if it is a path on this site ("/articles/x/#comment-form"), else "": where a
    reader goes back to after signing up, confirming and signing in. Never another site."""
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value
    return ""


def register(
    *, username: str, email: str, password: str, request: HttpRequest, next_path: str = ""
) -> User | None:
    """Create an account and send the confirmation link, or tell the address's owner why not.
    The link leads on to `next_path` (see return_path()) once confirmed and signed in.

    Returns the new user, or None when the username or email was taken.
    """
    # Hashed before anything is looked up, whether or not the account will be made: hashing
    # is slow on purpose, and skipping it for taken names would let the response time tell.
    hashed_password = make_password(password)
    try:
        with transaction.atomic():
            if User.objects.filter(Q(username__iexact=username) | Q(email__iexact=email)).exists():
                raise IntegrityError("username or email taken")
            user = User.objects.create(username=username, email=email, password=hashed_password)
    except IntegrityError:
        # Two sign-ups racing for the same name end here too, through the unique constraints.
        email_taken = User.objects.filter(email__iexact=email).exists()
        _send(
            template="accounts/email/already_registered",
            to=email,
            context={
                "username": username,
                "email_taken": email_taken,
                "reset_link": request.build_absolute_uri(reverse("password_reset")),
                "signup_link": request.build_absolute_uri(reverse("accounts:signup")),
            },
            request=request,
        )
        return None
    send_confirmation_email(user=user, request=request, next_path=next_path)
    return user


def send_confirmation_email(*, user: User, request: HttpRequest, next_path: str = "") -> None:
    """Queue the email with the confirmation link (healthsite.mail)."""
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)
    link = request.build_absolute_uri(reverse("accounts:confirm-email", kwargs={"token": token}))
    if next_path:
        # Not in the signed token: the confirm view checks it again with return_path().
        link += f"?next={quote(next_path, safe='/')}"
    _send(
        template="accounts/email/confirm",
        to=user.email,
        context={"user": user, "link": link, "days": CONFIRMATION_MAX_AGE // 86400},
        request=request,
    )


def confirm_email(*, token: str) -> User | None:
    """Mark the address in a valid, unexpired link as confirmed; None for a bad link.

    The link names the address it was sent to, so a link sent before the user changed
    their email does not confirm the new one.
    """
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        return None
    if not user.email_confirmed:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def _send(*, template: str, to: str, context: dict, request: HttpRequest) -> None:
    # The account is made by now: if the mail fails, it is tried again, and the user can
    # ask for a new link from the profile page.
    send_templated_mail(template=template, to=to, context={**context, "site": request.get_host()})

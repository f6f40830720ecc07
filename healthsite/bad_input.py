"""Requests the site cannot read are refused at the door with a 400 and our own page.

A NUL character anywhere in what a request says (its path, query string, form fields or
cookies) reaches the database as part of a lookup, and PostgreSQL refuses NUL in text with
an error (a 500) where SQLite looks the value up and finds nothing. Bytes that are not UTF-8
would be read as U+FFFD and looked up, or stored, as something nobody typed. Neither is
anything a browser sends from our pages, so `BadInputMiddleware` answers both with a 400
before any view runs. It also refuses a form whose body ends before the length its
Content-Length announces: a form cut short is not the form that was sent.

What this cannot see is fixed where the value is used: see docs/deployment.md ("Bad input").
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.template.loader import render_to_string

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# What django-axes keeps of a username it records (its column holds 255 characters).
AXES_USERNAME_LENGTH = 255


class BadInputMiddleware:
    """Answer 400 to a request with NUL or invalid UTF-8 in its path, query string or form
    fields, NUL in a cookie, or a form body shorter than its Content-Length.

    First in MIDDLEWARE, so that no other middleware (sessions, CSRF, the page cache) reads
    the bad value first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = refusal(request)
        if problem is not None:
            return bad_request(problem)
        return self.get_response(request)


def refusal(request: HttpRequest) -> str | None:
    """Why the request cannot be read, or None if it can."""
    if not _readable(_wsgi_bytes(request.META.get("PATH_INFO", request.path_info))):
        return "The address holds characters that cannot be part of a web address."
    if not _readable(_form_bytes(request.META.get("QUERY_STRING", ""))):
        return "The address holds characters that cannot be part of a search or a filter."
    if any("\x00" in value for value in request.COOKIES.values()):
        return "A cookie sent with the request holds characters it cannot hold."
    if request.method in {"POST", "PUT", "PATCH"} and request.content_type in FORM_TYPES:
        return _form_refusal(request)
    return None


def _form_refusal(request: HttpRequest) -> str | None:
    announced = _content_length(request)
    # Read whole when it fits in memory (Django's own limit), so its length can be checked;
    # larger uploads are read as they stream, as Django does.
    small = announced <= (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or announced)
    try:
        if small:
            body = request.body
            if len(body) < announced:
                return "The form arrived incomplete. Please send it again."
            if request.content_type != "multipart/form-data":
                return None if _readable(_form_bytes(body)) else _FORM_CHARACTERS
        fields = request.POST
    except UnreadablePostError:
        return "The form arrived incomplete. Please send it again."
    if any("\x00" in value for value in _all_values(fields)):
        return _FORM_CHARACTERS
    return None


_FORM_CHARACTERS = "The form holds characters that cannot be typed into it. Nothing was saved."


def _all_values(fields: Any) -> list[str]:
    return [*fields.keys(), *(value for _, values in fields.lists() for value in values)]


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.headers.get("content-length") or 0))
    except ValueError:
        return 0


def _wsgi_bytes(text: str) -> bytes:
    """The bytes a WSGI server was sent (it passes them on as latin-1 text)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # already decoded (ASGI): it was valid UTF-8
        return text.encode()


def _form_bytes(text: str | bytes) -> bytes:
    """An urlencoded query string or form body, decoded to the bytes it stands for."""
    raw = _wsgi_bytes(text) if isinstance(text, str) else text
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _readable(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def bad_request(reason: str) -> HttpResponseBadRequest:
    """Our 400 page, saying why. It renders without the request: nothing of it is read."""
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username django-axes records of a sign-in, cut to its column (AXES_USERNAME_CALLABLE):
    Django's sign-in forms do not limit what they are sent, and a longer name would be a
    database error on PostgreSQL. Our own sign-in form refuses it first, with a message."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username") if request is not None else None
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username

"""When the database is away (restarting, shut down, refusing connections, out of
connection slots), the site answers instead of failing with the generic 500 page:

- visitors who are not signed in still get the pages the cache holds: the page cache
  (healthsite.caching.middleware) sits below this middleware and answers before any view,
  and nothing above it reads the database for a visitor without a session;
- everyone else gets templates/503.html, "the site is busy", with `Retry-After`; a form
  whose writer's text matters (a comment) is shown again with what was typed;
- the log says why in one line per failed request, instead of a traceback for each.

Nothing needs restarting afterwards: Django closes a connection that failed at the end of
the request, and the next one connects again (CONN_HEALTH_CHECKS checks a kept one first).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Long enough for a restart or a burst of connections to pass, short enough that a reader
# who waits sees the page soon.
RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class KeptForm:
    """A form shown again on the 503 page, holding what its writer typed: `text` in a text
    area, `hidden` as they were sent. Nothing else that was posted is ever shown again."""

    heading: str
    text: str
    label: str
    hidden: tuple[str, ...]
    submit: str


# By URL name (named, not imported: healthsite's modules use no app).
KEPT_FORMS = {
    "comments:create": KeptForm(
        heading="Your comment was not posted",
        text="body",
        label="Your comment",
        hidden=("parent", "notify_replies"),
        submit="Post comment",
    ),
    "comments:edit": KeptForm(
        heading="Your change was not saved",
        text="body",
        label="Your comment",
        hidden=(),
        submit="Save changes",
    ),
}


class DatabaseDownMiddleware:
    """Answer a database that cannot be reached with the busy page (see the module's notes).

    Placed just above the page cache middleware, below the ones that only read cookies:
    it settles who the visitor is (the session is in the database) in its own hands, and
    catches what the view and its template raise (process_exception)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                # The first query of a signed-in request; raised further down, Django
                # would answer it with the 500 page before this middleware saw it.
                request.user.is_authenticated  # noqa: B018
            except DATABASE_ERRORS as error:
                return busy_response(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return busy_response(request, exception)
        return None


def busy_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 page, logged in one line naming the cause."""
    logger.error(
        "Database unavailable (%s: %s): answered %s %s with 503.",
        type(error).__name__,
        " ".join(str(error).split()),
        request.method,
        request.path,
    )
    kept = KEPT_FORMS.get(_view_name(request)) if request.method == "POST" else None
    context = {
        "kept": kept,
        "kept_text": request.POST.get(kept.text, "") if kept else "",
        "kept_hidden": [(name, request.POST[name]) for name in kept.hidden if name in request.POST]
        if kept
        else [],
        "retry_after": RETRY_AFTER_SECONDS,
    }
    # The page reads nothing of the visitor (no `user`): who they are is in the database.
    response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged above, with its cause: Django's own "Service Unavailable" line for each
    # request (and the email to ADMINS that goes with it) would repeat it through an
    # outage. Its private flag, set in this one place; tests/test_database_down.py fails
    # if Django stops reading it.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _view_name(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:  # failed in __call__, before the URL was resolved for the view
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    return match.view_name

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = Path(os.environ.get("HEALTHSITE_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread while it is open. The
    tests' own database work is still synchronous, so Django's async-safety guard, which
    sees that loop, is turned off for these tests only, and on again once Chromium closes.
    """
    if not CHROMIUM.exists():
        message = f"Browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)."
        if os.environ.get("HEALTHSITE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Each test starts from a copy of the database as the migrations left it (serialized
    # rollback, tests/conftest.py), which Django keeps on the database connection. Inside
    # the event loop, this thread is handed connections of its own, for the same test
    # databases: they are given the copy too.
    copies = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, copy in copies.items():
            if copy is not None:
                setattr(connections[alias], "_test_serialized_contents", copy)  # noqa: B010
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab that records console errors and CSP violations."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.problems.append(message.text),
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    close_quietly(context)


class RequestsInFlight:
    """How many requests the test server is answering now (Django's request signals)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        request_started.connect(self.started, dispatch_uid="e2e-requests-started")
        request_finished.connect(self.finished, dispatch_uid="e2e-requests-finished")

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count -= 1


in_flight = RequestsInFlight()


def close_quietly(context) -> None:
    """Close a browser context once the requests its pages sent have been answered.

    Leaving a page sends what it still has to send (the article form's autosave does,
    with a keepalive request, which the browser sends after the page has gone); the test's
    database is emptied right after this, and a request still writing to it then would
    lock a table the emptying needs, or deadlock with it."""
    for open_page in context.pages:
        open_page.goto("about:blank")
    time.sleep(0.2)  # for a request sent while leaving to reach the server
    deadline = time.monotonic() + 5
    while in_flight.count > 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    context.close()


def sign_in(
    page, live_server, username: str, *, login: str = "/admin/login/", next_url: str = "/admin/"
) -> None:
    """Sign in as `username` (with the test password) in this tab, on the admin's sign-in
    page or another (`login`), and wait for `next_url`."""
    from tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{login}?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


def visit_page_kinds(page, live_server):
    """Open one page of every kind readers see (tests/page_kinds.py) in this tab, each as
    its viewer (signed in, or not), and yield each kind once its page is open."""
    from tests.page_kinds import make_page_kinds

    signed_in_as = None
    for kind in make_page_kinds():
        if kind.viewer != signed_in_as:
            if kind.viewer is None:
                page.context.clear_cookies()
            else:
                sign_in(page, live_server, kind.viewer, login="/accounts/login/", next_url="/")
            signed_in_as = kind.viewer
        page.goto(live_server.url + kind.url)
        yield kind

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "quiet-river-morning-71"


def test_sign_up_confirm_and_sign_in(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("walker")
    page.get_by_label("Email").fill("walker@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    found = re.search(r"http://\S+/accounts/confirm/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    link = found.group(0)
    page.goto(link)
    assert page.get_by_text("your email address is confirmed").is_visible()
    assert User.objects.get(username="walker").email_confirmed

    page.get_by_label("Username or email").fill("walker@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("link", name="Signed in as walker").is_visible()

    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").is_visible()
    assert page.problems == []


def test_keyboard_reaches_the_skip_link_first(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0

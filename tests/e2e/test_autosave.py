"""In a real browser: the article form autosaves what is typed, and opening it again offers
to restore it, under the site's Content-Security-Policy."""

import tempfile
import time
from pathlib import Path

import pytest

from articles.editorial.autosave import Autosave
from articles.models import Article
from tests.factories import make_article, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir()) / "healthsite-screenshots"
TYPED = " Drink water through the day."


@pytest.fixture
def draft():
    author = make_user(username="writer", role="Authors", display_name="Wren Writer")
    return make_article(
        title="Sleep after surgery",
        slug="sleep",
        body="## What helps\n\nRest.",
        author=author,
        status=Article.Status.DRAFT,
    )


def wait_for_draft(article: Article, *, seconds: float = 10) -> Autosave:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        draft = Autosave.objects.filter(article=article).first()
        if draft is not None:
            return draft
        time.sleep(0.2)
    raise AssertionError("nothing was autosaved")


def test_typing_is_autosaved_offered_again_restored_and_saved(live_server, page, draft):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "writer")
    url = f"{live_server.url}/admin/articles/article/{draft.pk}/change/"
    page.goto(url)

    body = page.get_by_label("Body")
    body.press("Control+End")
    body.press_sequentially(TYPED)
    status = page.get_by_role("status").filter(has_text="Draft saved")
    status.wait_for(timeout=15_000)  # 5 s after the last keystroke
    status.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "autosave-status-1280.png")
    assert Autosave.objects.get(article=draft).values["body"].endswith(TYPED)
    draft.refresh_from_db()
    assert draft.body == "## What helps\n\nRest."  # the article itself is untouched

    page.reload()
    notice = page.get_by_role("region", name="You have unsaved changes from")
    notice.wait_for()
    assert page.get_by_label("Body").input_value() == "## What helps\n\nRest."
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / "autosave-offer-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / "autosave-offer-390.png")
    notice.get_by_role("link", name="Compare").click()
    page.get_by_role("table", name="Body").wait_for()
    page.screenshot(path=SCREENSHOTS / "autosave-compare-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=SCREENSHOTS / "autosave-compare-1280.png")
    page.go_back()
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("Compare", "Restore them into the form"):
        box = notice.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    box = notice.get_by_role("button", name="Discard them").bounding_box()
    assert box is not None and box["height"] >= 44
    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / "autosave-offer-320.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # By keyboard: from "Compare", Tab reaches "Restore them into the form".
    notice.get_by_role("link", name="Compare").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Restore them into the form"
    notice.screenshot(path=SCREENSHOTS / "autosave-focus-1280.png")
    page.keyboard.press("Enter")
    page.get_by_text("They are in the form below").wait_for()
    assert page.get_by_label("Body").input_value() == "## What helps\n\nRest." + TYPED

    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    draft.refresh_from_db()
    assert draft.body == "## What helps\n\nRest." + TYPED
    assert not Autosave.objects.exists()
    assert page.get_by_role("region", name="You have unsaved changes from").count() == 0
    assert page.problems == []


def test_leaving_the_page_autosaves_at_once(live_server, page, draft):
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    # `input`, and no time to wait
    page.get_by_label("Title:", exact=True).fill("Sleeping after surgery")
    page.goto(f"{live_server.url}/admin/")
    assert wait_for_draft(draft).values["title"] == "Sleeping after surgery"
    assert page.problems == []


def test_text_inserted_by_a_script_is_autosaved(live_server, page, draft):
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    # As a toolbar or the image chooser does: the value set, then a non-bubbling `input`.
    page.get_by_label("Body").evaluate(
        "field => { field.value += '\\n[image:3]'; field.dispatchEvent(new Event('input')); }"
    )
    page.get_by_role("status").filter(has_text="Draft saved").wait_for(timeout=15_000)
    assert Autosave.objects.get().values["body"].endswith("[image:3]")
    assert page.problems == []


def test_enter_in_a_field_saves_the_article_and_discard_forgets_the_draft(live_server, page, draft):
    Autosave.objects.create(user=draft.author, article=draft, values={"body": "Typed earlier."})
    sign_in(page, live_server, "writer")
    url = f"{live_server.url}/admin/articles/article/{draft.pk}/change/"
    page.goto(url)
    assert page.locator(".autosave-actions [hidden]").is_hidden()
    # Enter in the title saves the article, as on any admin form: it does not discard.
    page.get_by_label("Title:", exact=True).fill("Sleep after an operation")
    page.get_by_label("Title:", exact=True).press("Enter")
    page.get_by_text("was changed successfully").wait_for()
    draft.refresh_from_db()
    assert draft.title == "Sleep after an operation"

    Autosave.objects.create(user=draft.author, article=draft, values={"body": "Typed earlier."})
    page.goto(url)
    page.get_by_role("button", name="Discard them").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Your unsaved changes are discarded.").wait_for()
    assert not Autosave.objects.exists()
    draft.refresh_from_db()
    assert draft.body == "## What helps\n\nRest."
    assert page.problems == []

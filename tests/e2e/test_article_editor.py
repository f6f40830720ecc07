"""In a real browser: writing an article with the editor's toolbar and shortcuts, the live
preview and the writing checks beside the body, by keyboard; and the same form without
JavaScript."""

import pytest

from articles.models import Article, Category
from tests.factories import make_article, make_category, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def author():
    make_category(name="Recovery", slug="recovery")
    return make_user(username="wren", role="Authors", display_name="Wren Writer")


def open_new_article(page, live_server, *, width: int = 1280) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "wren")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Title:", exact=True).fill("Getting steady on your feet")
    page.get_by_label("Summary:", exact=True).fill(
        "Small daily exercises that help your balance after a long illness, and when to get help."
    )
    # The category is an autocomplete (select2) box.
    page.locator(".field-category .select2-selection").click()
    page.locator(".select2-search__field").fill("Recov")
    page.get_by_role("option", name="Recovery").click()


def preview(page):
    return page.frame_locator(".editor-preview__frame").locator("#preview-body")


@pytest.mark.parametrize("width", [1280, 390])
def test_writing_with_the_toolbar_shows_the_live_preview_and_checks(
    live_server, page, author, width
):
    open_new_article(page, live_server, width=width)
    body = page.get_by_label("Body:", exact=True)
    body.click()
    page.keyboard.type("Stand by a kitchen counter and hold on.\n\n")
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("When to get help")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Care card: urgent").click()
    page.keyboard.type("you fall and hit your head")
    # The preview is the site's own rendering, in the site's own style.
    card = preview(page).locator(".care-card--urgent")
    card.wait_for()
    assert "Urgent advice:" in card.inner_text()
    assert preview(page).locator("h2").inner_text() == "When to get help"
    heading_size = preview(page).locator("h2").evaluate("h => getComputedStyle(h).fontSize")
    assert heading_size == "24px"  # site.css's 1.5rem, not the admin's size for h2
    # The checks follow the text: a vague link is named.
    body.press("Control+End")
    page.keyboard.type("\n\nRead more [click here](https://example.org/balance).")
    checks = page.locator("#writing-checks")
    checks.get_by_text("Some links do not say where they go").wait_for()
    assert "“click here”" in checks.inner_text()
    summary = page.locator("[data-writing-summary]")
    assert summary.inner_text().startswith("Checks: ")
    page.screenshot(path=f"/tmp/article-editor-{width}.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get()
    assert article.body.startswith(
        "Stand by a kitchen counter and hold on.\n\n## When to get help\n\n:::urgent\n"
        "- you fall and hit your head\n:::"
    )
    assert 'class="care-card care-card--urgent"' in article.body_html
    assert article.status == Article.Status.DRAFT
    assert page.problems == []


def test_the_toolbar_works_by_keyboard_with_one_tab_stop(live_server, page, author):
    open_new_article(page, live_server)
    toolbar = page.get_by_role("toolbar", name="Formatting")
    first = toolbar.get_by_role("button", name="Heading", exact=True)
    first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Bold"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus shows
    box = toolbar.get_by_role("button", name="Bold").bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    # Tab leaves the toolbar at once, for the text box.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_body"
    page.keyboard.type("take it slowly")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+B")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("rest\ndrink water")
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("Control+Shift+8")
    body = page.get_by_label("Body:", exact=True)
    assert body.input_value() == "**take it slowly**\n- rest\n- drink water"
    page.keyboard.press("Control+z")  # the browser's own undo still works
    assert body.input_value() == "**take it slowly**\nrest\ndrink water"
    assert page.problems == []


def test_at_200_percent_zoom_the_editor_fits_the_window(live_server, page, author):
    # 200% zoom of a 1280 px window leaves 640 CSS px.
    open_new_article(page, live_server, width=640)
    page.get_by_label("Body:", exact=True).fill("## Hello\n\nText.")
    preview(page).locator("h2").wait_for()
    for selector in (".editor-toolbar", ".editor-workspace", "#writing-checks"):
        right = page.locator(selector).evaluate("e => e.getBoundingClientRect().right")
        assert right <= 640, selector


def test_without_javascript_the_form_saves_and_shows_the_saved_texts_checks(
    live_server, browser, author
):
    # Django's autocomplete boxes need JavaScript, so this draft has its category already.
    draft = make_article(
        title="Pacing", author=author, category=Category.objects.get(), status="draft"
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "wren")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.get_by_label("Summary:", exact=True).fill("Short.")
    page.get_by_label("Body:", exact=True).fill(":::non-urgent\n- you feel tired for weeks\n:::")
    assert page.locator(".editor-toolbar").count() == 0
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/change/")
    article = Article.objects.get()
    assert "care-card--non-urgent" in article.body_html
    checks = page.locator("#writing-checks")
    assert "The summary is short (6 characters)" in checks.inner_text()
    page.get_by_text("Formatting help").click()
    assert page.get_by_text("A care card: when to get help").is_visible()
    context.close()

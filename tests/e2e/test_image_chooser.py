"""In a real browser: an author puts library pictures into an article's body from the
"Insert a picture" dialog, by keyboard, and by dropping or pasting a file, under the
site's Content-Security-Policy; and the article form still saves without JavaScript."""

import base64
import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from articles.models import Article
from images.library import add_image
from images.models import Image
from images.processing import process_upload
from tests.factories import make_article, make_category, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots to look at, outside the repository.
SCREENSHOTS = Path(tempfile.gettempdir()) / "healthsite-screenshots"


def png_bytes(colour: str = "teal", size=(90, 60)) -> bytes:
    output = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def draft():
    author = make_user(username="writer", role="Authors")
    return make_article(
        title="Walking after knee surgery",
        slug="walking-after-knee-surgery",
        body="Start slowly.\n\nWalk a little further each day.\n",
        author=author,
        category=make_category(name="Recovery", slug="recovery"),
        status=Article.Status.DRAFT,
    )


def library_picture(alt_text: str, *, by) -> Image:
    picture = process_upload(SimpleUploadedFile("photo.png", png_bytes()))
    return add_image(image=Image(alt_text=alt_text), picture=picture, by=by)


def live_preview(page):
    """The live preview beside the body (static/js/article-editor.js)."""
    return page.frame_locator(".editor-preview__frame").locator("#preview-body")


def body_value(page) -> str:
    return page.locator("#id_body").input_value()


def count_input_events(page) -> None:
    page.evaluate(
        """() => {
            window.bodyInputs = 0;
            document.getElementById("id_body").addEventListener("input", () => window.bodyInputs++);
        }"""
    )


def test_choose_a_picture_by_keyboard_and_see_it_in_the_preview(live_server, page, draft):
    for number in range(2):
        library_picture(f"Stock picture {number}", by=draft.author)
    river = library_picture("A river path at dawn", by=draft.author)
    sign_in(page, live_server, "writer")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    count_input_events(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.get_by_role("button", name="Insert a picture").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "editor-1280.png")

    # The cursor at the end of the first paragraph.
    body = page.locator("#id_body")
    body.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("End")

    button = page.get_by_role("button", name="Insert a picture")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert a picture")
    search = dialog.get_by_label("Search the library")
    search.wait_for()
    assert page.evaluate("document.activeElement.id") == "image-chooser-q"
    assert dialog.get_by_role("button", name="Stock picture 1").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "chooser-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SCREENSHOTS / "chooser-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Escape closes it and gives focus back to the button.
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Insert a picture"

    page.keyboard.press("Enter")
    search.wait_for()
    page.keyboard.type("river")
    page.keyboard.press("Enter")
    dialog.get_by_text("matching “river”").wait_for()
    assert dialog.get_by_role("button", name="Stock picture 1").count() == 0
    page.keyboard.press("Tab")  # from the search box past its button...
    page.keyboard.press("Tab")  # ...and the upload link to the one picture found
    page.keyboard.press("Tab")
    assert "A river path at dawn" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")

    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert body_value(page) == (
        f"Start slowly.\n\n[image:{river.pk}]\n\nWalk a little further each day.\n"
    )
    assert page.evaluate("window.bodyInputs") >= 1
    # The live preview beside the body shows the picture at once, before any save.
    in_preview = live_preview(page).get_by_role("img", name="A river path at dawn")
    in_preview.wait_for()
    assert in_preview.evaluate("image => image.complete && image.naturalWidth > 0")

    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    assert f"[image:{river.pk}]" in Article.objects.get(pk=draft.pk).body
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/preview/")
    picture = page.get_by_role("img", name="A river path at dawn")
    picture.wait_for()
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")
    assert page.problems == []


def drop_file(page, *, event: str) -> None:
    """A real PNG dropped on, or pasted into, the body: the events a browser sends."""
    png = base64.b64encode(png_bytes("orange")).decode()
    page.evaluate(
        """([png, kind]) => {
            const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "exercise.png", { type: "image/png" }));
            const body = document.getElementById("id_body");
            const options = { bubbles: true, cancelable: true };
            body.dispatchEvent(
                kind === "drop"
                    ? new DragEvent("drop", { ...options, dataTransfer: transfer })
                    : new ClipboardEvent("paste", { ...options, clipboardData: transfer })
            );
        }""",
        [png, event],
    )


@pytest.mark.parametrize("event", ["drop", "paste"])
def test_a_dropped_or_pasted_picture_asks_for_alt_text_then_goes_in(
    live_server, page, draft, event
):
    sign_in(page, live_server, "writer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    count_input_events(page)
    page.locator("#id_body").evaluate("body => body.setSelectionRange(0, 0)")

    drop_file(page, event=event)
    dialog = page.get_by_role("dialog", name="Insert a picture")
    alt_text = dialog.get_by_label("Alt text")
    alt_text.wait_for()
    assert page.evaluate("document.activeElement.name") == "alt_text"
    chosen = dialog.get_by_label("Picture").evaluate("input => input.files[0].name")
    assert chosen == "exercise.png"
    page.screenshot(path=SCREENSHOTS / f"chooser-upload-{event}-390.png")

    # Nothing goes up without alt text.
    dialog.get_by_label("Caption").fill("Bending the knee")
    dialog.get_by_role("button", name="Upload and insert").click()
    message = alt_text.evaluate("input => input.validationMessage")
    assert message == "Describe the picture for people who cannot see it."
    assert not Image.objects.exists()
    assert body_value(page) == draft.body

    alt_text.fill("A woman bending her knee on a step")
    dialog.get_by_role("button", name="Upload and insert").click()
    dialog.wait_for(state="hidden")
    image = Image.objects.get()
    assert image.alt_text == "A woman bending her knee on a step"
    assert image.caption == "Bending the knee"
    assert image.uploaded_by == draft.author
    assert body_value(page) == f"[image:{image.pk}]\n\n{draft.body}"
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.evaluate("window.bodyInputs") >= 1
    live_preview(page).get_by_role("img", name="A woman bending her knee on a step").wait_for()
    # Saved, so that nothing is left for the autosave to send as the page closes.
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    assert Article.objects.get(pk=draft.pk).body.startswith(f"[image:{image.pk}]\n\n")
    assert page.problems == []


def test_a_refused_file_keeps_what_was_typed(live_server, page, draft):
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.get_by_role("button", name="Insert a picture").click()
    dialog = page.get_by_role("dialog", name="Insert a picture")
    dialog.get_by_role("link", name="Upload a new picture").click()
    dialog.get_by_label("Picture").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"%PDF-1.4\n%%EOF"}
    )
    dialog.get_by_label("Alt text").fill("Notes")
    dialog.get_by_label("Credit").fill("Photo: A. Jones")
    dialog.get_by_role("button", name="Upload and insert").click()
    dialog.get_by_text("could not be read as a picture").wait_for()
    page.set_viewport_size({"width": 320, "height": 640})
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "chooser-refused-320.png")
    assert dialog.get_by_label("Alt text").input_value() == "Notes"
    assert dialog.get_by_label("Credit").input_value() == "Photo: A. Jones"
    assert not Image.objects.exists()
    assert page.problems == []


def test_the_article_form_saves_without_javascript(live_server, browser, draft):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    assert page.get_by_role("button", name="Insert a picture").count() == 0
    page.get_by_label("Body").fill("Rest first.\n")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    assert Article.objects.get(pk=draft.pk).body == "Rest first."

    # The chooser is a page of its own, showing the codes to copy.
    picture = library_picture("A river path at dawn", by=draft.author)
    page.goto(f"{live_server.url}/admin/images/image/chooser/")
    assert page.get_by_text(f"[image:{picture.pk}]").is_visible()
    context.close()

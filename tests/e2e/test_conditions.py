"""A reader goes through the Health A to Z by keyboard: a letter, a condition, an article."""

import tempfile
from pathlib import Path

import pytest

from tests.conditions.factories import make_condition
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir()) / "healthsite-screenshots"


def tab_to(page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's text is `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.fixture
def atrophy():
    article = make_article(
        title="Cerebellar atrophy: treatment and recovery",
        slug="cerebellar-atrophy-recovery",
        body="## Therapy\n\nPhysiotherapy helps.\n\n- Balance\n- Strength\n",
    )
    make_condition(name="Stroke", slug="stroke", synonyms="Brain attack")
    return make_condition(
        name="Cerebellar atrophy",
        slug="cerebellar-atrophy",
        synonyms="Cerebellar degeneration\nAtaxia",
        icd10="G31.9",
        articles=[article],
    )


def test_a_to_z_to_a_condition_to_its_article_by_keyboard(live_server, page, atrophy):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/conditions/")
    letters = page.get_by_role("navigation", name="Conditions by letter")
    assert letters.get_by_role("link").all_inner_texts() == ["C", "S"]
    for box in (letter.bounding_box() for letter in letters.locator(".a-to-z__letter").all()):
        assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert "also called Cerebellar degeneration, Ataxia" in page.locator("#main").inner_text()

    tab_to(page, "C")
    # The focused letter shows the site's focus outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url("**/conditions/#letter-c")
    tab_to(page, "Cerebellar atrophy")
    page.keyboard.press("Enter")
    page.wait_for_url("**/conditions/cerebellar-atrophy/")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.inner_text().split("\n")[0].startswith("Home")
    assert page.get_by_role("heading", level=1).inner_text() == "Cerebellar atrophy"
    assert "G31.9" in page.locator(".condition__codes").inner_text()
    page.screenshot(path=SCREENSHOTS / "condition-390.png", full_page=True)

    tab_to(page, "Cerebellar atrophy: treatment and recovery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/cerebellar-atrophy-recovery/")
    about = page.locator(".article__about")
    assert about.inner_text() == "About: Cerebellar atrophy"
    box = about.get_by_role("link").bounding_box()
    assert box is not None and box["height"] >= 44
    assert page.problems == []


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_a_to_z_fits_every_width(live_server, page, atrophy, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/conditions/", "/conditions/cerebellar-atrophy/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        name = "a-to-z" if path == "/conditions/" else "condition"
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    assert page.problems == []


def test_a_to_z_at_200_percent_zoom(live_server, page, atrophy):
    # 200% zoom of a 1280 px window: the page lays out as at 640 CSS pixels, text twice as big.
    page.set_viewport_size({"width": 640, "height": 450})
    page.goto(live_server.url + "/conditions/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "a-to-z-zoom-200.png", full_page=True)

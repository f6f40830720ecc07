"""Every kind of page reflows at 320 CSS pixels (WCAG 1.4.10): nothing scrolls sideways."""

import os
from pathlib import Path

import pytest

from .conftest import visit_page_kinds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = (
    Path(os.environ.get("HEALTHSITE_SCREENSHOTS", ""))
    if os.environ.get("HEALTHSITE_SCREENSHOTS")
    else None
)


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for kind in visit_page_kinds(page, live_server):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[kind.name] = scroll_width
        if SHOTS:
            page.screenshot(path=SHOTS / f"{kind.name}-{width}.png", full_page=True)
    assert too_wide == {}
    # The not-found page answers 404, which the console reports as a failed load.
    assert [problem for problem in page.problems if "status of 404" not in problem] == []

"""Every kind of page reflows at 320 CSS pixels (WCAG 1.4.10): nothing scrolls sideways."""

import os
from pathlib import Path

import pytest

from tests.page_kinds import make_page_kinds

from .conftest import sign_in

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
    kinds = make_page_kinds()
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    signed_in_as = None
    for kind in kinds:
        if kind.viewer != signed_in_as:
            if kind.viewer is None:
                page.context.clear_cookies()
            else:
                sign_in(page, live_server, kind.viewer, login="/accounts/login/", next_url="/")
            signed_in_as = kind.viewer
        page.goto(live_server.url + kind.url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[kind.name] = scroll_width
        if SHOTS:
            page.screenshot(path=SHOTS / f"{kind.name}-{width}.png", full_page=True)
    assert too_wide == {}
    # The not-found page answers 404, which the console reports as a failed load.
    assert [problem for problem in page.problems if "status of 404" not in problem] == []

"""In a real browser: every piece of text on every kind of page stands out from its
background by at least 4.5:1 (WCAG AA), in the light theme and in the dark one a reader's
system can ask for (prefers-color-scheme)."""

import pytest

from .conftest import visit_page_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMUM = 4.5

# Each element that holds text of its own, with its colour against the first background
# colour found on it or above it; those below the minimum, described.
LOW_CONTRAST = """(minimum) => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] > 0.5)) return colour;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor || "rgb(255,255,255)");
  };
  const low = [];
  for (const element of document.body.querySelectorAll("*")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
    if (element.closest(".honeypot, [aria-hidden=true]")) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const a = luminance(rgb(style.color)), b = luminance(background(element));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < minimum) {
      low.push(`${element.tagName.toLowerCase()}.${element.className} "${
        element.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
  }
  return low;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_all_text_stands_out_from_its_background(live_server, page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 900})
    found = {}
    for kind in visit_page_kinds(page, live_server):
        low = page.evaluate(LOW_CONTRAST, MINIMUM)
        if low:
            found[kind.name] = low
    assert found == {}, "\n".join(f"{kind}: {low}" for kind, low in found.items())

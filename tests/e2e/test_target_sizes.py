"""Every control outside running text is at least 44 x 44 CSS px on every kind of page, at
phone width: many readers live with conditions that make a small target hard to hit (our
own goal, WCAG 2.5.5's AAA level). A link inside a sentence is exempt, as WCAG exempts it."""

import pytest

from .conftest import visit_page_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMUM = 44

# The controls on the page that are too small, each described by its text or name. A link
# counts as running text when the block around it holds other words besides it.
TOO_SMALL = """(minimum) => {
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary"
  );
  const small = [];
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (getComputedStyle(control).visibility === "hidden") continue;
    if (control.closest(".skip-link") && document.activeElement !== control) continue;
    if (control.closest(".honeypot, [aria-hidden=true]")) continue;  // not for people
    // Radios and checkboxes: their label is part of the target.
    let target = box;
    if ((control.type === "radio" || control.type === "checkbox") && control.labels.length) {
      target = control.labels[0].getBoundingClientRect();
      if (control.labels[0].contains(control)) target = control.labels[0].getBoundingClientRect();
    }
    if (control.tagName === "A") {
      const block = control.closest("p, li, dd, td, figcaption, blockquote");
      if (block) {
        const own = (control.textContent || "").trim().length;
        const around = (block.textContent || "").replace(/\\s+/g, " ").trim().length;
        if (around > own + 3) continue;  // inside a sentence
      }
    }
    if (target.width < minimum || target.height < minimum) {
      const name = (control.getAttribute("aria-label") || control.textContent || control.name
        || control.type || "").replace(/\\s+/g, " ").trim().slice(0, 60);
      small.push(`${control.tagName.toLowerCase()} "${name}" ${Math.round(target.width)}x${
        Math.round(target.height)}`);
    }
  }
  return small;
}"""


def test_every_control_outside_running_text_is_a_44_px_target(live_server, page):
    page.set_viewport_size({"width": 390, "height": 800})
    found = {}
    for kind in visit_page_kinds(page, live_server):
        small = page.evaluate(TOO_SMALL, MINIMUM)
        if small:
            found[kind.name] = small
    assert found == {}, "\n".join(f"{kind}: {small}" for kind, small in found.items())

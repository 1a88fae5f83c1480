"""Tables at a phone's width: headers and cells wrap at word boundaries only, and a table wider
than the screen scrolls inside its own focusable, named region, never the page."""

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every header cell: is any word drawn on more than one line box (split mid-word)? A hyphen
# is a word boundary ("CBS-code" may wrap after the hyphen).
SPLIT_WORDS = """() => {
  const split = [];
  for (const th of document.querySelectorAll("table th")) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""

CELL_STYLES = """() => [...document.querySelectorAll("table th, table td")].map((cell) => {
  const style = getComputedStyle(cell);
  return [style.wordBreak, style.overflowWrap, style.hyphens];
})"""

WRAPS = """() => [...document.querySelectorAll("table")].map((table) => {
  const wrap = table.closest(".utrecht-table-container");
  if (!wrap) return null;
  return {
    scrolls: wrap.scrollWidth > wrap.clientWidth,
    overflow: getComputedStyle(wrap).overflowX,
    tabindex: wrap.getAttribute("tabindex"),
    role: wrap.getAttribute("role"),
    named: Boolean(wrap.getAttribute("aria-label") || wrap.getAttribute("aria-labelledby")),
  };
})"""


def test_list_tables_wrap_at_word_boundaries_and_scroll_in_their_region(page, live_server, world):
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, live_server, "privacy_officer@example.test")
    scrolled_somewhere = False
    for kind in ("schools", "municipalities", "partnerships", "district_teams", "care_providers", "persons"):
        page.goto(f"{live_server.url}/netwerk/lijst/{kind}/")
        assert page.locator("table").count() >= 1, kind
        assert page.evaluate(SPLIT_WORDS) == [], kind
        for word_break, overflow_wrap, hyphens in page.evaluate(CELL_STYLES):
            assert word_break not in ("break-all", "break-word"), kind
            assert overflow_wrap != "anywhere", kind
            assert hyphens != "auto", kind
        wraps = page.evaluate(WRAPS)
        assert None not in wraps, kind  # every table sits in a wrapper
        for wrap in wraps:
            assert wrap["overflow"] == "auto", kind
            assert (wrap["tabindex"], wrap["role"], wrap["named"]) == ("0", "region", True), kind
            scrolled_somewhere = scrolled_somewhere or wrap["scrolls"]
        # The page itself never scrolls sideways: only the table's region does.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, kind
        assert_no_axe_violations(page)
    assert scrolled_somewhere  # at 320 px at least one list is wider than the screen


def test_region_of_a_wide_table_scrolls_with_the_keyboard(page, live_server, world):
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, live_server, "privacy_officer@example.test")
    page.goto(f"{live_server.url}/netwerk/lijst/schools/")
    region = page.get_by_role("region", name="Scholen")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.utrecht-table-container').scrollLeft > 0")
    assert page.evaluate("window.scrollX") == 0


def test_access_log_wraps_at_word_boundaries_and_the_page_never_scrolls_sideways(page, live_server, world):
    from portal.audit import log_access
    from portal.models import AccessLog

    worker = world.user("district_worker")
    for number in range(3):
        log_access(
            worker,
            AccessLog.Action.CHANGE,
            role="district_worker",
            organisation="Buurtteam Woongemeenschap Noordwest",
            object_type="referrals.referral",
            object_id=str(number),
            reference=f"AJS-2026-{number:05d}",
            activity="take_up",
        )
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, live_server, "privacy_officer@example.test")
    page.goto(f"{live_server.url}/toegangslog/")
    expect(page.get_by_role("cell", name="Aanmelding AJS-2026-00001")).to_be_visible()
    assert page.evaluate(SPLIT_WORDS) == []
    for word_break, overflow_wrap, hyphens in page.evaluate(CELL_STYLES):
        assert (word_break, overflow_wrap) == ("normal", "normal") and hyphens != "auto"
    [wrap] = page.evaluate(WRAPS)
    assert (wrap["overflow"], wrap["tabindex"], wrap["role"], wrap["named"]) == ("auto", "0", "region", True)
    assert wrap["scrolls"]  # seven columns do not fit in 320 px: the region scrolls, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)

"""Each role's main pages at desktop width (1280 px) and at 320 px (WCAG 1.4.10 reflow): no
horizontal scrolling of the page at 320 px (a wide data table scrolls inside its own labelled
region, which reflow allows) and axe-core finds nothing at either width.

`make screenshots` runs this module with TANDEM_SCREENSHOTS_DIR=screenshots and so also
writes a full-page PNG per page and width (`<role>-<page>-<width>.png`); in `make test` it
writes nothing. One browser, one log-in per role."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.escalations.fixtures import open_escalation
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
HEIGHT = 900


def _pages(w, referral):
    detail = reverse("referrals:detail", args=[referral.uuid])
    return {
        "school_coordinator": [
            ("home", reverse("home")),
            ("referral-list", reverse("referrals:list")),
            ("referral-detail", detail),
            ("referral-form", reverse("referrals:create")),
        ],
        "district_worker": [("triage-inbox", reverse("referrals:inbox")), ("referral-detail", detail)],
        "partnership_director": [
            ("escalation-inbox", reverse("escalations:inbox")),
            ("dashboard", reverse("reporting:dashboard")),
        ],
        "municipal_officer": [
            ("escalation-inbox", reverse("escalations:inbox")),
            ("dashboard", reverse("reporting:dashboard")),
        ],
        "steering_member": [
            ("agenda", reverse("agenda:index")),
            ("report-list", reverse("reporting:report_list")),
        ],
        "registry_admin": [
            ("directory", reverse("contacts:directory")),
            ("accounts", reverse("contacts:accounts")),
        ],
        "privacy_officer": [("access-log", reverse("security:access_log"))],
    }


# null when the page fits, else what sticks out past the viewport (outside a scroll region).
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth) return null;
  const region = "[data-scroll-region], .utrecht-table-container";
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((el) => !el.parentElement.closest(region))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + el.className)
    .concat([`scrollWidth ${root.scrollWidth} > ${window.innerWidth}`]);
}"""


@pytest.mark.django_db(transaction=True)
def test_main_pages_reflow_at_320_px_and_pass_axe(browser, live_server):
    w = build_world()
    referral = referral_in(w, "submitted")
    open_escalation(w)
    out = os.environ.get("TANDEM_SCREENSHOTS_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
    problems = []
    for role, pages in _pages(w, referral).items():
        context = browser.new_context(locale="nl-NL", viewport={"width": WIDTHS[0], "height": HEIGHT})
        context.set_default_timeout(15_000)
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
            ),
        )
        page = context.new_page()
        login(page, live_server, w.user(role).email)
        for name, url in pages:
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, f"{role} {url}: {response.status}"
            page.wait_for_load_state("networkidle")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                where = f"{role} {name} at {width} px"
                if width < 400:
                    sticking_out = page.evaluate(OVERFLOW)
                    if sticking_out:
                        problems.append(f"{where} scrolls horizontally: {sticking_out}")
                try:
                    assert_no_axe_violations(page)
                except AssertionError as exc:
                    problems.append(f"{where}: {exc}")
                if out:
                    page.screenshot(path=str(Path(out) / f"{role}-{name}-{width}.png"), full_page=True)
        context.close()
    assert not problems, "\n".join(problems)


def test_the_overflow_check_names_what_sticks_out(browser):
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT})
    page = context.new_page()
    page.set_content('<main><p id="fits">x</p><div id="wide" style="width:600px">x</div></main>')
    assert "div#wide " in page.evaluate(OVERFLOW)
    page.set_content(
        '<main><div class="utrecht-table-container" style="overflow-x:auto"><table id="t" '
        'style="width:600px"><tr><td>x</td></tr></table></div></main>'
    )
    assert page.evaluate(OVERFLOW) is None
    context.close()

"""The unread badge in Chromium: htmx fills it after the page loads, asks again every minute,
and sends nothing while the tab is hidden (static/js/busy.js)."""

import pytest
from playwright.sync_api import expect

from portal.models import Notification
from tests.helpers.browser import login
from tests.helpers.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _notify(user):
    Notification.objects.create(user=user, kind="k", subject="s", body="b", url="/")


def _hidden(page, hidden):
    page.evaluate("(h) => Object.defineProperty(document, 'hidden', {value: h, configurable: true})", hidden)


def test_the_badge_polls_every_minute_and_not_in_a_hidden_tab(page, live_server):
    w = build_world()
    user = w.user("district_worker")
    _notify(user)
    page.clock.install()
    login(page, live_server, user.email)
    badge = page.locator("[data-unread-badge] .utrecht-badge-counter")
    expect(badge).to_have_text("1")
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/meldingen/ongelezen/" in r.url else None)
    _notify(user)
    page.clock.run_for(61_000)
    expect(badge).to_have_text("2")
    expect(page.get_by_role("link", name="Meldingen (2 ongelezen meldingen)")).to_be_visible()
    _hidden(page, True)
    _notify(user)
    sent = len(polls)
    page.clock.run_for(61_000)
    page.wait_for_timeout(500)
    assert len(polls) == sent
    expect(badge).to_have_text("2")
    _hidden(page, False)
    page.clock.run_for(61_000)
    expect(badge).to_have_text("3")
    expect(page.locator("[data-unread-badge]")).to_have_count(1)  # outerHTML: replaced, not nested

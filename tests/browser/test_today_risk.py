"""Real browser, phone and desktop size: the Today page shows a planned session's risk and
its one-tap safer change; roster, Today and Thresholds screenshots at both sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_browser import log_in, wait_until_idle

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def _risks(page):
    return page.locator("[data-testid=stAlert]").filter(has_text="If done as planned:")


def _open(page, server: str, path: str, heading: str) -> None:
    page.goto(f"{server}/{path}")
    page.get_by_role("heading", name=heading, exact=True).first.wait_for()
    wait_until_idle(page)


@pytest.mark.parametrize("size", list(SIZES))
def test_roster_today_and_thresholds_read_true_at_phone_and_desktop_size(server, page, size):
    page.set_viewport_size(SIZES[size])
    log_in(page, server)
    wait_until_idle(page)
    screenshot(page, f"words-roster-{size}")
    _open(page, server, "today", "Today's sessions")
    _risks(page).filter(has_text="Training jumped").first.wait_for()
    screenshot(page, f"words-today-{size}")
    _open(page, server, "thresholds", "Thresholds")
    screenshot(page, f"words-thresholds-{size}")
    assert page.locator("[data-testid=stException]").count() == 0


def test_one_tap_on_a_phone_makes_todays_risky_session_safe(server, page):
    page.set_viewport_size(SIZES["phone"])
    log_in(page, server)
    _open(page, server, "today", "Today's sessions")
    risky = _risks(page).filter(has_text="Legs trained again today")
    risky.first.wait_for()
    before = _risks(page).count()
    # the innermost block holding the risky session's alert is its card
    card = page.locator("[data-testid=stVerticalBlock]").filter(has=risky.first).last
    change = card.get_by_role("button", name="Change to mobility")
    change.scroll_into_view_if_needed()
    change.click()
    expect(_risks(page)).to_have_count(before - 1)
    expect(risky).to_have_count(0)
    wait_until_idle(page)
    assert page.get_by_text("No new load flags if done as planned.").count() >= 1
    screenshot(page, "words-today-after-change-phone")

"""The trainer's morning on a phone: logins that survive a reload, bookmarked check-in
links, the card roster, reminders and the printed day (issue 12)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from pipelines import db, tokens
from tests.browser.test_browser import PHONE, log_in, wait_until_idle

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}


def _context(browser, size):
    context = browser.new_context(viewport=size, is_mobile=size == PHONE, has_touch=size == PHONE)
    context.set_default_timeout(60_000)
    return context


def test_a_reload_and_a_deep_link_keep_the_trainer_logged_in_until_log_out(server, browser):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, server)
    cookie = next(c for c in context.cookies() if c["name"] == "legday_session")
    assert cookie["sameSite"] == "Strict" and len(cookie["value"]) == 43
    page.reload()
    page.get_by_text("Recovery status on").wait_for()
    page.goto(f"{server}/today")
    page.get_by_role("heading", name="Today's sessions").wait_for()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("textbox", name="Password").wait_for()
    wait_until_idle(page)
    assert "legday_session" not in {c["name"] for c in context.cookies()}
    # the old cookie, put back by hand, was revoked on the server
    context.add_cookies([cookie])
    page.goto(f"{server}/today")
    page.get_by_role("textbox", name="Password").wait_for()
    context.close()


def test_a_client_link_reopened_from_a_bookmark_the_next_visit_still_works(server, browser_db, browser):
    os.environ["LEGDAY_DB_PATH"] = str(browser_db)
    con = db.connect(browser_db)
    client_id, name = con.execute("select client_id, name from clients order by client_id desc limit 1").fetchone()
    link = tokens.create_link(con, client_id, days=7, base_url=server, created_by="demo")
    con.close()
    first = name.split()[0]
    for visit in range(2):  # the first tap, then the bookmark in a fresh browser
        context = _context(browser, PHONE)
        page = context.new_page()
        page.goto(link)
        page.get_by_role("heading", name=f"Hi {first}").wait_for()
        assert page.url == link
        if visit == 0:
            page.reload()
            page.get_by_role("heading", name=f"Hi {first}").wait_for()
        context.close()

"""The trainer's morning on a phone: logins that survive a reload, bookmarked check-in
links, the card roster, reminders and the printed day (issue 12)."""

from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from dashboard.formatting import WORD_JOINER
from pipelines import db, tokens
from tests.browser.conftest import screenshot, serve
from tests.browser.test_browser import PHONE, log_in, wait_until_idle
from tests.helpers.viewers import acting

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
AS_OF = dt.date(2026, 11, 20)  # the browser server's as-of date


def _context(browser, size):
    context = browser.new_context(viewport=size, is_mobile=size == PHONE, has_touch=size == PHONE)
    context.set_default_timeout(60_000)
    return context


def _session_cookies(context, page, *, present: bool) -> list[dict]:
    """The login cookie, once a page script has written (or cleared) it: the script runs
    after the page has drawn, so a loaded machine may show the page first."""
    for _ in range(600):
        found = [c for c in context.cookies() if c["name"] == "legday_session"]
        if bool(found) == present:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"legday_session still {'missing' if present else 'set'} after 60 s")


def test_a_reload_and_a_deep_link_keep_the_trainer_logged_in_until_log_out(server, browser):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, server)
    cookie = _session_cookies(context, page, present=True)[0]
    assert cookie["sameSite"] == "Strict" and len(cookie["value"]) == 43
    page.reload()
    page.get_by_text("Recovery status on").wait_for()
    page.goto(f"{server}/today")
    page.get_by_role("heading", name="Today's sessions").wait_for()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("textbox", name="Password").wait_for()
    wait_until_idle(page)
    _session_cookies(context, page, present=False)
    # the old cookie, put back by hand, was revoked on the server
    context.add_cookies([cookie])
    page.goto(f"{server}/today")
    page.get_by_role("textbox", name="Password").wait_for()
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_deep_link_opened_logged_out_asks_to_log_in_then_opens_the_page_asked_for(server, browser_db, browser, size):
    con = db.connect(browser_db, read_only=True)
    client_id, name = con.execute("select client_id, name from clients order by client_id limit 1").fetchone()
    con.close()
    link = f"{server}/client?client={client_id}"
    context = _context(browser, size)
    page = context.new_page()
    # Streamlit's "Page not found" dialog, had it appeared even for a moment
    page.add_init_script("""
        window.legdayNotFound = 0;
        new MutationObserver(() => {
            if (document.body?.innerText.includes("Page not found")) window.legdayNotFound += 1;
        }).observe(document, {subtree: true, childList: true, characterData: true});
    """)
    page.goto(link)
    page.get_by_role("textbox", name="Password").wait_for()
    wait_until_idle(page)
    assert page.url == link
    screenshot(page, f"{'phone' if size == PHONE else 'desktop'}-deep-link-login")
    page.get_by_role("textbox", name="Username").fill("demo")
    page.get_by_role("textbox", name="Password").fill("legday-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=name).wait_for()
    wait_until_idle(page)
    assert page.url == link
    assert page.evaluate("window.legdayNotFound") == 0
    context.close()


def test_a_client_link_reopened_from_a_bookmark_the_next_visit_still_works(server, browser_db, browser):
    os.environ["LEGDAY_DB_PATH"] = str(browser_db)
    con = db.connect(browser_db)
    client_id, name = con.execute("select client_id, name from clients order by client_id desc limit 1").fetchone()
    link = tokens.create_link(con, acting("demo"), client_id, days=7, base_url=server)
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


# Sidebar title -> the address it opens (the default page is the bare address).
TRAINER_PAGES = {"Today": "today", "Client": "client", "Brief": "brief", "Import": "import",
                 "Export": "export", "Clients": "clients", "Thresholds": "thresholds", "Roster": ""}


def _logged_in(browser, server, size):
    context = _context(browser, size)
    page = context.new_page()
    log_in(page, server)
    wait_until_idle(page)
    return context, page


def test_the_phone_roster_is_cards_with_names_and_reasons_on_the_first_screen(server, browser_db, browser):
    con = db.connect(browser_db, read_only=True)
    db.set_as_of(con, AS_OF)
    roster = con.execute("select client_id, name, reasons[1] from roster").fetchall()
    con.close()
    context, page = _logged_in(browser, server, PHONE)
    expect(page.locator("[data-testid=stDataFrame]")).to_be_hidden()
    expect(page.locator("[data-testid=stMetric]").first).to_be_hidden()
    cards = page.locator("[class*=st-key-card-]")
    on_first_screen = [card for card in cards.all() if card.bounding_box()["y"] + card.bounding_box()["height"] <= PHONE["height"]]
    assert len(on_first_screen) >= 5
    for card, (_, name, reason) in zip(on_first_screen, roster, strict=False):
        text = card.inner_text().replace(WORD_JOINER, "")  # as the reader sees it
        assert name in text and reason in text, text
    screenshot(page, "phone-roster")
    cards.nth(2).tap(position={"x": 300, "y": 30})
    page.wait_for_url(f"**/client?client={roster[2][0]}")
    page.get_by_role("heading", name=roster[2][1]).wait_for()
    context.close()

    context, page = _logged_in(browser, server, DESKTOP)
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()
    expect(page.locator("[class*=st-key-card-]").first).to_be_hidden()
    expect(page.locator("[data-testid=stMetric]")).to_have_count(5)  # rest, caution, stale, ready, no data
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_trainer_page_at_phone_and_desktop_size(server, browser, size):
    context, page = _logged_in(browser, server, size)
    label = "phone" if size == PHONE else "desktop"
    for title, path in TRAINER_PAGES.items():
        if size == PHONE:
            page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(re.compile(f"/{path}$"))
        wait_until_idle(page)
        if size == PHONE:  # the menu closed itself after the choice
            expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
        screenshot(page, f"{label}-{title.lower()}")
    context.close()


def test_reminders_share_links_qr_and_an_email_through_a_real_smtp_server(browser_db, browser, tmp_path):
    from tests.test_reminders import Inbox, _free_port

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    settings = {"LEGDAY_BASE_URL": "", "LEGDAY_SMTP_HOST": "127.0.0.1", "LEGDAY_SMTP_PORT": str(smtp.port),
                "LEGDAY_SMTP_FROM": "demo@legday.test", "LEGDAY_SMTP_STARTTLS": "false"}
    try:
        with serve(browser_db, tmp_path, **settings) as url:
            context = _context(browser, PHONE)
            page = context.new_page()
            log_in(page, url)
            page.goto(f"{url}/reminders")
            page.get_by_role("heading", name="Reminders").wait_for()
            # LEGDAY_BASE_URL unset: links start with the address the page was opened at, and
            # since that is this computer, the trainer is told phones cannot open it
            page.get_by_text("phones cannot").wait_for()
            first = page.locator("[class*=st-key-reminder-0]")
            first.get_by_role("button", name="Prepare reminder").click()
            code = first.locator("[data-testid=stCode]")
            code.wait_for()
            text = code.inner_text().strip()
            assert f"{url}/?t=" in text
            link = text[text.index(url):]
            sms = first.get_by_role("link", name="SMS").get_attribute("href")
            whatsapp = first.get_by_role("link", name="WhatsApp").get_attribute("href")
            assert unquote(sms.split("body=", 1)[1]) == text and sms.startswith("sms:")
            assert whatsapp.startswith("https://wa.me/?text=") and unquote(whatsapp.split("text=", 1)[1]) == text
            first.get_by_role("button", name="QR code").click()
            expect(page.locator("[data-testid=stPopoverBody] img")).to_be_visible()
            page.keyboard.press("Escape")
            first.get_by_role("textbox", name="Email").fill("client@example.org")
            first.get_by_role("button", name="Send email").click()
            first.get_by_text("Sent to client@example.org").wait_for()
            screenshot(page, "phone-reminders")
            [mail] = inbox.messages
            assert mail["To"] == "client@example.org" and link in mail.get_payload(decode=True).decode()
            # the reminder's link opens that client's check-in
            client = _context(browser, PHONE).new_page()
            client.goto(link)
            client.get_by_text("daily check-in").wait_for()
            context.close()
    finally:
        smtp.stop()


def test_the_days_briefs_print_without_menus_or_widgets_and_nothing_cut_off(server, browser_db, browser, tmp_path):
    con = db.connect(browser_db, read_only=True)
    db.set_as_of(con, AS_OF)
    names = [row[0] for row in con.execute(
        "select clients.name from sessions join clients using (client_id) where session_date = ? "
        "group by clients.name order by min(start_time)", [AS_OF]).fetchall()]
    con.close()
    assert len(names) >= 2
    context, page = _logged_in(browser, server, DESKTOP)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Today", exact=True).click()
    page.get_by_role("link", name="Today's briefs, to read or print").click()
    page.get_by_text("Today's sessions ·").wait_for()
    wait_until_idle(page)
    expect(page.get_by_test_id("stTableStyledTable").first).to_contain_text("Quads")
    page.emulate_media(media="print")
    for hidden in ("stSidebar", "stDownloadButton", "stButtonGroup", "stHeader"):
        expect(page.get_by_test_id(hidden)).to_be_hidden()
    for name in names:
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    tables = page.get_by_test_id("stTableStyledTable")
    assert tables.count() >= 2 * len(names)
    for table in tables.all():  # every table printed whole: no scrolling box cuts it
        assert table.evaluate("t => t.parentElement.scrollHeight <= t.parentElement.clientHeight + 1")
    screenshot(page, "print-day-briefs")
    pdf = page.pdf(path=str(tmp_path / "briefs.pdf"))
    # one brief a page at least: the page is not cut to the first screen
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= len(names)
    context.close()

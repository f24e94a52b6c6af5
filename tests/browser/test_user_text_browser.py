"""User text in a real browser: a client's name and plan with markdown links, an image link
and HTML show as typed, on the client's phone and the trainer's brief, and the browser
never asks the image's address for anything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard.formatting import WORD_JOINER
from pipelines import db, plans, tokens
from tests.browser.conftest import ROOT, screenshot, serve
from tests.browser.test_browser import PHONE, log_in
from tests.browser.test_checkin_phone import LEG_DAY, Client
from tests.helpers.viewers import acting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRAP = "http://127.0.0.1:9"
NAME = f"![x]({TRAP}/name.png)[Ana]({TRAP}/a)<b>O'Brien</b>"
ITEM = f"Stretch ![i]({TRAP}/item.png) [see]({TRAP}/see) <img src={TRAP}/img.png> *now* {TRAP}/bare"


@pytest.fixture(scope="module")
def trap_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("user-text")
    path = folder / "legday.duckdb"
    env = {**os.environ, "LEGDAY_DB_PATH": str(path), "LEGDAY_AS_OF": "2026-11-20"}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--clients", "4", "--days", "30"],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    con = db.connect(path)
    client_id = con.execute("select min(client_id) from clients where trainer_id = 'demo' and active").fetchone()[0]
    con.execute("update clients set name = ? where client_id = ?", [NAME, client_id])
    plans.save_plan(con, acting("demo"), client_id, items=[{"title": ITEM}], next_intensity="light", next_focus=ITEM, notes=ITEM)
    link = tokens.create_link(con, acting("demo"), client_id, days=1, base_url="")
    con.close()
    with serve(path, folder) as url:
        yield url, client_id, link


def watch(page) -> list[str]:
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url.startswith(TRAP) else None)
    return asked


def assert_nothing_drawn(page) -> None:
    assert page.locator(f"a[href^='{TRAP}']").count() == 0
    assert page.locator(f"img[src^='{TRAP}']").count() == 0
    assert page.locator("[data-testid=stMarkdownContainer] b").count() == 0


def test_the_phone_shows_the_name_and_plan_as_typed(trap_server, browser):
    url, _, link = trap_server
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    asked = watch(page)
    page.goto(url + link)
    page.get_by_text("daily check-in").wait_for()
    assert f"Hi {NAME} — daily check-in" in page.locator("h1").first.inner_text().replace(WORD_JOINER, "")
    client = Client(page)  # nothing is sent until every question is answered
    client.answer(LEG_DAY)
    client.send()
    page.get_by_text("Your plan from your trainer").wait_for()
    page.get_by_text("Next session").wait_for()
    text = page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")
    assert f"Thank you, {NAME}!" in text and ITEM in text and "\\" not in text
    assert_nothing_drawn(page)
    screenshot(page, "user-text-phone")
    assert asked == []
    context.close()


def test_the_brief_shows_the_name_and_plan_as_typed(trap_server, page):
    url, client_id, _ = trap_server
    asked = watch(page)
    log_in(page, url)
    page.goto(f"{url}/brief?client={client_id}")
    page.get_by_text("Current plan").wait_for()
    page.get_by_text("Next session").wait_for()
    text = page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")
    assert NAME in text and ITEM in text and "\\" not in text
    assert_nothing_drawn(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "user-text-brief")
    assert asked == []

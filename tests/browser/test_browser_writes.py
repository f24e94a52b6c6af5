"""Ten phones send their check-ins while `legday ingest` holds the database for longer
than the dashboard waits (issue 15): the answers stay on screen, the client presses
"Send check-in" again, and every check-in is stored as answered."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pipelines import db, tokens
from tests.browser.conftest import ROOT, screenshot, serve
from tests.browser.test_browser import PHONE, wait_until_idle
from tests.browser.test_checkin_phone import LEG_DAY, Client
from tests.helpers.viewers import acting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONES = 10
LOCK_TIMEOUT = 3  # the server's LEGDAY_LOCK_TIMEOUT_SECONDS: shorter than the ingest
INGEST_DAYS = 10_000  # days of rows per client in the file: an ingest of several seconds
NOT_SAVED = "Not saved yet"


@pytest.fixture
def busy_setup(tmp_path):
    """A demo database, one link per phone, a big file, and a server of its own."""
    path = tmp_path / "legday.duckdb"
    env = {**os.environ, "LEGDAY_DB_PATH": str(path), "LEGDAY_AS_OF": "2026-11-20",
           "LEGDAY_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT)}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--clients", "12", "--days", "60"],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    con = db.connect(path)
    clients = [row[0] for row in con.execute("select client_id from clients order by client_id limit ?", [PHONES]).fetchall()]
    link_paths = {client: tokens.create_link(con, acting("demo"), client, days=7, base_url="http://phone")
                        .removeprefix("http://phone") for client in clients}
    con.close()
    big = tmp_path / "big.csv"
    maker = duckdb.connect()
    maker.execute("create table ids as select unnest(?) as client_id", [clients])
    maker.execute(
        "copy (select client_id, date '2026-09-01' - i::int as checkin_date, i % 11 as soreness_quads, "  # noqa: S608
        "1 as soreness_hamstrings, 2 as soreness_glutes, 3 as soreness_calves, 7.5 as sleep_hours, "
        "3 as sleep_quality, 3 as energy, 3 as stress, 3 as mood "
        f"from range({INGEST_DAYS}) as days(i), ids) to '{big}' (header)"
    )
    maker.close()
    with serve(path, tmp_path, LEGDAY_LOCK_TIMEOUT_SECONDS=str(LOCK_TIMEOUT)) as url:
        yield path, {client: url + rest for client, rest in link_paths.items()}, big, env


def _started(page) -> None:
    """Wait (briefly) for the run a click started, so its old message is not read again."""
    try:
        page.locator("[data-testid=stApp][data-test-script-state=running]").wait_for(state="attached", timeout=3000)
    except PlaywrightTimeout:
        pass  # a run that was over before we looked


def test_ten_phones_check_in_while_the_cli_holds_the_database(busy_setup, browser):
    path, links, big, env = busy_setup
    phones = {}
    for number, (client, link) in enumerate(links.items()):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(link)
        page.get_by_text("daily check-in").wait_for()
        answer = f"phone {number}: left calf tight after the run"
        Client(page).answer(LEG_DAY | {"pain": "yes", "notes": answer})  # sharp pain: yes
        phones[client] = (context, page, answer)

    ingest = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ingest", str(big), "--json"],
                              cwd=ROOT, env={**env, "LEGDAY_LOCK_TIMEOUT_SECONDS": "120"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    turn = path.with_name(path.name + ".turn")
    deadline = time.monotonic() + 60
    while turn.read_text().strip() != str(ingest.pid):  # the ingest has the database
        assert time.monotonic() < deadline and ingest.poll() is None
        time.sleep(0.05)
    held_from = time.monotonic()
    for number, (_, page, _) in enumerate(phones.values()):
        page.get_by_role("button", name="Send check-in").click()
        if not number:  # the first phone shows it is waiting
            page.get_by_text("Saving…").wait_for()
            screenshot(page, "checkin-saving")

    retries = dict.fromkeys(phones, 0)
    saved: set[str] = set()
    held = None
    deadline = time.monotonic() + 300
    while len(saved) < len(phones):
        assert time.monotonic() < deadline, f"saved {sorted(saved)}; retries {retries}"
        if held is None and ingest.poll() is not None:
            held = time.monotonic() - held_from
        for client, (_, page, answer) in phones.items():
            if client in saved:
                continue
            wait_until_idle(page)
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.get_by_role("button", name="Log in").count() == 0
            if page.get_by_text("Thank you").count():
                saved.add(client)
            elif page.get_by_text(NOT_SAVED).count():
                if not retries[client]:
                    screenshot(page, "checkin-not-saved-yet")
                retries[client] += 1
                # the answers are still on screen: the same text, nothing retyped
                assert page.locator(".st-key-answer_notes textarea").input_value() == answer
                page.get_by_role("button", name="Send check-in").click()
                _started(page)
    out, err = ingest.communicate(timeout=300)
    held = held or time.monotonic() - held_from
    assert ingest.returncode == 0, err
    print(f"\ningest held the database at least {held:.0f} s (the server waits {LOCK_TIMEOUT} s); "
          f"'{NOT_SAVED}' shown, then sent again: {retries}")
    assert sum(retries.values()) >= 1  # the ingest outlasted the wait: phones were told, and kept their answers

    con = db.connect(path, read_only=True)
    stored = dict(con.execute(
        "select client_id, notes from check_ins where checkin_date = date '2026-11-20' and pain and client_id in "
        "(select unnest(?))", [list(phones)]).fetchall())
    con.close()
    assert stored == {client: answer for client, (_, _, answer) in phones.items()}
    for context, _, _ in phones.values():
        context.close()

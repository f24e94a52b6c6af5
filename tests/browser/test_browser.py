"""Real browser, real server: what AppTest cannot do (data editor edits, downloads, the link flow)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipelines import db, plans, tokens
from tests.browser.conftest import screenshot
from tests.helpers.viewers import OWNER, acting

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def log_in(page, url: str, username: str = "demo", password: str = "legday-demo") -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Recovery status on").wait_for()
    # the login cookie is written by a page script after the page has drawn; a page opened
    # before it lands asks to log in again
    page.wait_for_function("document.cookie.includes('legday_session=')")


def open_sidebar_page(page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title, exact=True).click()


def wait_until_idle(page) -> None:
    """The last script run is over: Streamlit marks its root `notRunning` and no element
    is left stale (greyed out) from an earlier run."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(state="attached")
    page.wait_for_function("() => document.querySelectorAll('[data-stale=true]').length === 0")


def stable_box(page, locator) -> dict:
    """The element's box once it stops moving (charts above it load and resize the page)."""
    previous = None
    for _ in range(100):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        box = locator.bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
    raise AssertionError(f"{locator} kept moving: {previous}")


def plan_cells(page):
    return page.locator("[data-testid=stForm] [data-testid=stDataFrame] [role=gridcell]")


def plan_titles(page) -> list[str]:
    cells = plan_cells(page)
    cells.first.wait_for(state="attached")
    return cells.all_inner_texts()[2::4]


def open_client_plan(page, server: str) -> None:
    log_in(page, server)
    open_sidebar_page(page, "Client")
    page.get_by_role("heading", name="Recovery plan").wait_for()
    wait_until_idle(page)
    plan_cells(page).first.wait_for(state="attached")


# This test failed in about one run in four, for two reasons:
# - a real one: Streamlit's frontend handed a cell committed with Enter to the form only
#   150 ms later (a debounce), so "Save plan" clicked in that window saved a revision
#   without the edit while the grid still showed it. The test clicked right after the
#   grid showed the edit. Fixed in the product (dashboard.plan_editor.EDITOR_ON_CHANGE);
#   this test now presses "Save plan" straight after Enter, the case that lost the edit.
# - a test-only one: typing the title as one burst of synthetic keys (no gap between
#   keys) and pressing Enter at once often closed the cell editor without taking the
#   text; with 20 ms between keys it never did. Traced over the websocket, nothing
#   reran or re-created the editor meanwhile.
# So the test waits for real conditions (script run over, grid drawn and no longer
# moving, the cell editor open, the typed text shown) and types at a person's pace.
def test_trainer_edits_the_plan_in_the_data_editor_and_it_persists(server, browser_db, page):
    page.set_viewport_size({"width": 1400, "height": 3200})
    log_in(page, server)
    wait_until_idle(page)
    page.locator("[data-testid=stDataFrame] [role=gridcell]").first.wait_for(state="attached")
    page.locator(".vega-embed canvas, .vega-embed svg").first.wait_for()
    screenshot(page, "roster")
    open_sidebar_page(page, "Client")
    page.get_by_role("heading", name="Recovery plan").wait_for()
    wait_until_idle(page)
    editor = page.locator("[data-testid=stForm] [data-testid=stDataFrame]").first
    first_title = page.locator("[data-testid=stForm] [role=gridcell]").nth(2)
    first_title.wait_for(state="attached")
    old_title = first_title.inner_text()
    client_name = page.get_by_role("heading", level=1).first.inner_text()
    screenshot(page, "client")

    new_title = "Protein shake within 30 min of the session"
    assert old_title != new_title
    # The grid is a canvas: double-click the first row's "Action" cell (under the
    # 35 px header row) to open its cell editor, replace the text, confirm with Enter.
    editor.scroll_into_view_if_needed()
    box = stable_box(page, editor)
    page.mouse.dblclick(box["x"] + 500, box["y"] + 35 + 17)
    cell_editor = page.locator("#portal textarea")
    expect(cell_editor).to_be_focused()
    expect(cell_editor).to_have_value(old_title)
    page.keyboard.press("Control+A")
    page.keyboard.type(new_title, delay=20)
    expect(page.locator("#portal .gdg-growing-entry")).to_contain_text(new_title)
    # Confirm with Enter and press "Save plan" at once (one round trip later, well
    # inside the 150 ms that used to lose the edit).
    save = page.get_by_role("button", name="Save plan").element_handle()
    page.keyboard.press("Enter")
    save.evaluate("button => button.click()")
    page.get_by_text("Plan saved as revision").wait_for()
    wait_until_idle(page)
    screenshot(page, "plan")
    con = db.connect(browser_db, read_only=True)
    client_id = con.execute("select client_id from clients where name = ?", [client_name]).fetchone()[0]
    saved = plans.current_plan(con, OWNER, client_id)
    con.close()
    assert saved.created_by == "demo" and saved.items[0].title == new_title

    page.context.clear_cookies()  # a fresh login: logins survive a reload otherwise
    open_client_plan(page, server)
    assert page.get_by_role("heading", level=1).first.inner_text() == client_name
    assert plan_titles(page)[0] == new_title


def test_roster_csv_downloads_and_matches_the_roster(server, browser_db, page):
    log_in(page, server)
    open_sidebar_page(page, "Export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Roster summary").click()
    download = download_info.value
    assert download.suggested_filename == "legday-roster.csv"
    text = open(download.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    con = db.connect(browser_db, read_only=True)
    clients = con.execute("select count(*) from clients where active").fetchone()[0]
    con.close()
    assert len(rows) == clients
    assert {"client_id", "name", "status"} <= set(rows[0])
    assert {row["status"] for row in rows} <= {"rest", "caution", "stale", "ready", "no data"}


def test_client_checks_in_from_a_phone_and_the_trainer_sees_it(server, browser_db, browser):
    os.environ["LEGDAY_DB_PATH"] = str(browser_db)
    con = db.connect(browser_db)
    client_id, name = con.execute(
        "select client_id, name from roster where last_checkin < date '2026-11-20' order by client_id limit 1"
    ).fetchone()
    link = tokens.create_link(con, acting("demo"), client_id, days=7, base_url=server)
    con.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(60_000)
    page.goto(link)
    page.get_by_text("daily check-in").wait_for()
    assert page.url == link  # the token stays, so the page can be bookmarked
    page.get_by_text("Quads (front of thigh)").wait_for()
    from tests.browser.test_checkin_phone import LEG_DAY, Client  # it imports this module

    client = Client(page)
    client.answer(LEG_DAY)
    screenshot(page, "checkin")
    client.send()
    page.get_by_text("Your last 7 days").wait_for()
    page.get_by_text("Thank you").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "checkin-thanks")
    phone.close()

    trainer = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = trainer.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server)
    page.get_by_role("textbox", name="Search by name").fill(name)
    page.keyboard.press("Enter")
    # the search reruns the page: wait until the grid holds that one client's row, then
    # read every cell at once (reading them one by one raced the rerun's redraw)
    grid = page.locator("[data-testid=stDataFrame]")
    expect(grid.locator("[role=row]:has([role=gridcell])")).to_have_count(1)
    expect(grid.locator("[role=gridcell]", has_text=name)).to_have_count(1)
    wait_until_idle(page)
    texts = grid.locator("[role=gridcell]").all_inner_texts()
    screenshot(page, "roster-after-checkin")
    assert name in texts and "today" in texts
    trainer.close()


def test_cli_ingest_while_the_dashboard_is_in_use_loses_nothing(server, browser_db, page, tmp_path):
    """The dashboard holds the file only for a moment per rerun, so `legday ingest`
    gets in after a bounded retry; both sides keep working and every row lands."""
    import subprocess
    import sys

    con = db.connect(browser_db, read_only=True)
    clients = [row[0] for row in con.execute("select client_id from clients order by client_id").fetchall()]
    before = con.execute("select count(*) from check_ins").fetchone()[0]
    con.close()
    header = ("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
              "sleep_hours,sleep_quality,energy,stress,mood\n")
    rows = [f"{client},2026-09-{day:02d},1,1,1,1,7,3,3,3,3\n" for client in clients for day in range(1, 11)]
    upload = tmp_path / "concurrent.csv"
    upload.write_text(header + "".join(rows))

    log_in(page, server)
    env = {**os.environ, "LEGDAY_DB_PATH": str(browser_db), "LEGDAY_AS_OF": "2026-11-20",
           "LEGDAY_LOCK_TIMEOUT_SECONDS": "30"}
    ingest = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ingest", str(upload), "--json"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(4):
        page.reload()
        page.get_by_text("Recovery status on").or_(page.get_by_role("button", name="Log in")).first.wait_for()
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, err
    con = db.connect(browser_db, read_only=True)
    after = con.execute("select count(*) from check_ins").fetchone()[0]
    con.close()
    result = json.loads(out)
    # Rows dated before a client's start date are quarantined, never lost.
    assert result["accepted"] + result["quarantined"] == len(rows)
    assert after - before == result["accepted"] > 0
    assert page.locator("[data-testid=stException]").count() == 0


def test_trainer_plans_a_session_and_applies_the_safer_suggestion(server, page):
    page.set_viewport_size({"width": 1400, "height": 3200})
    log_in(page, server)
    open_sidebar_page(page, "Today")
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    screenshot(page, "today")
    page.get_by_role("button", name="Open").first.click()
    page.get_by_role("heading", name="Planner").wait_for()
    page.get_by_text("Try or schedule a new session").click()
    form = page.locator("[data-testid=stForm]").filter(has_text="Show the effect")
    minutes = form.get_by_role("spinbutton", name="Minutes")
    minutes.fill("240")
    minutes.press("Tab")
    form.get_by_role("button", name="Add to schedule").click()
    page.get_by_text("legs · 240 min at RPE 6").wait_for()
    # The innermost block holding the session's line is its card.
    card = page.locator("[data-testid=stVerticalBlock]").filter(has_text="legs · 240 min at RPE 6").last
    card.get_by_text("Training jumped").first.wait_for()
    screenshot(page, "planner")
    card.get_by_role("button", name="Change to").click()
    page.get_by_text("legs · 240 min at RPE 6").wait_for(state="detached")
    assert page.get_by_text("No new load flags").count() >= 1


def test_trainer_imports_a_form_export_and_sees_the_held_back_row(server, browser_db, page):
    import subprocess
    import sys

    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    env = {**os.environ, "LEGDAY_DB_PATH": str(browser_db), "LEGDAY_AS_OF": "2026-11-20"}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "client", "import", str(samples / "clients.csv")],
                   check=True, env=env, capture_output=True)
    log_in(page, server)
    open_sidebar_page(page, "Import")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(samples / "form_export.csv"))
    page.get_by_role("heading", name="Preview").wait_for()
    # the mapping is chosen from the header, and the page says which and why
    page.get_by_text("Chosen from the file's header: the google_forms mapping, because the header has all").wait_for()
    expect(page.get_by_role("combobox", name="Mapping")).to_have_value("google_forms")
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Rows held back").wait_for()
    screenshot(page, "import")
    metrics = dict(zip(page.locator("[data-testid=stMetricLabel]").all_inner_texts(),
                       page.locator("[data-testid=stMetricValue]").all_inner_texts(), strict=True))
    assert metrics["Accepted"] == "11" and metrics["Quarantined"] == "1"
    held = page.locator("[data-testid=stDataFrame] [role=gridcell]", has_text="zoe")
    held.first.wait_for(state="attached")
    assert "zoe" in held.all_inner_texts()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1440, "height": 900}], ids=["phone", "desktop"])
def test_trainer_imports_one_persons_file_without_a_client_column(server, browser, tmp_path, viewport):
    from pipelines.ingest.fields import FIELDS
    from tests.helpers.ingest_fixtures import checkin, csv_bytes

    week = tmp_path / f"wen-{viewport['width']}.csv"
    days = (11, 12, 13) if viewport is PHONE else (14, 15, 16)
    rows = [checkin(checkin_date=f"2026-10-{day}", notes=f"one person {viewport['width']}") for day in days]
    week.write_bytes(csv_bytes(rows, header=[name for name in FIELDS if name != "client_id"]))
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        log_in(page, server)
        if viewport is PHONE:
            page.goto(f"{server}/import")
        else:
            open_sidebar_page(page, "Import")
        page.get_by_role("heading", name="Import check-ins").wait_for()
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(week))
        page.get_by_text("No mapping fits this file's header").wait_for()
        page.locator("[data-testid=stSelectbox]").filter(has_text="Whose check-ins").click()
        page.get_by_role("option", name="Only Wen Dubois (c001)").click()
        page.get_by_text("Chosen from the file's header: the canonical columns").wait_for()
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("Accepted").wait_for()
        wait_until_idle(page)
        screenshot(page, f"import-one-person-{'phone' if viewport is PHONE else 'desktop'}")
        metrics = dict(zip(page.locator("[data-testid=stMetricLabel]").all_inner_texts(),
                           page.locator("[data-testid=stMetricValue]").all_inner_texts(), strict=True))
        # the demo has Wen's check-ins for those days already: each is stored anew or replaced
        assert (int(metrics["Accepted"]) + int(metrics["Updated"]), metrics["Quarantined"]) == (3, "0")
    finally:
        context.close()

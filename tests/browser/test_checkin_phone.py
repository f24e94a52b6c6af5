"""The phone form in a real browser (issue 10 item 7): an untouched question is not stored
as an answer, Enter never sends, a session without minutes is refused with a clear
message, a typical leg-day check-in takes the taps docs/ingestion.md states, every
answer button is a thumb-sized target, and "Change today's answers" opens the form with
what is stored."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipelines import db, load_state, tokens
from tests.browser.conftest import screenshot
from tests.browser.test_browser import PHONE, wait_until_idle
from tests.helpers.viewers import acting

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ingestion.md"
DESKTOP = {"width": 1440, "height": 900}
AS_OF = "2026-11-20"
TYPED = ("sleep_hours", "water_liters", "session_minutes", "notes")
THUMB_PX = 44  # the smallest target a thumb hits reliably (docs/ingestion.md, "The phone form")
# A typical leg-day check-in, in the order the form asks; water is typed, the meal tapped.
LEG_DAY = {
    "soreness_quads": "6", "soreness_hamstrings": "4", "soreness_glutes": "3", "soreness_calves": "1",
    "sleep_hours": "7.5", "sleep_quality": "good", "energy": "normal", "stress": "normal", "mood": "good",
    "water_liters": "2", "session_type": "Legs", "session_minutes": "60", "session_rpe": "7",
    "ate_recovery_meal": "yes", "pain": "no",
}


class Client:
    """A client's thumb on the check-in page, counting what it does."""

    def __init__(self, page, *, touch: bool = True):
        self.page, self.touch, self.taps, self.typed = page, touch, 0, 0

    def _press(self, locator) -> None:
        locator.tap() if self.touch else locator.click()

    def answer(self, answers: dict[str, str]) -> None:
        for field, value in answers.items():
            widget = self.page.locator(f".st-key-answer_{field}")
            if field in TYPED:
                box = widget.locator("textarea" if field == "notes" else "input")
                self._press(box)
                box.fill(value)
                self.typed += 1
            else:
                self._press(widget.get_by_role("radio", name=value, exact=True))
                self.taps += 1
        self._press(self.page.locator("h1").first)  # the thumb leaves the last box, which commits it
        wait_until_idle(self.page)

    def send(self) -> None:
        self._press(self.page.get_by_role("button", name="Send check-in"))
        self.taps += 1
        wait_until_idle(self.page)


def _link(browser_db, server) -> tuple[str, str]:
    """A link for a client with no check-in today (each test takes its own client)."""
    os.environ["LEGDAY_DB_PATH"] = str(browser_db)
    con = db.connect(browser_db, timeout=60)  # the server may be holding it for a moment
    client_id = con.execute(
        "select client_id from clients where active and client_id not in "
        "(select client_id from client_tokens) order by client_id desc limit 1"
    ).fetchone()[0]
    con.execute("delete from check_ins where client_id = ? and checkin_date = ?", [client_id, AS_OF])
    load_state.refresh(con, [client_id])
    link = tokens.create_link(con, acting("demo"), client_id, days=7, base_url=server)
    con.close()
    return client_id, link


def _stored(browser_db, client_id: str) -> dict | None:
    con = db.connect(browser_db, timeout=60)  # the server may be holding it for a moment
    cursor = con.execute("select * from check_ins where client_id = ? and checkin_date = ?", [client_id, AS_OF])
    row = cursor.fetchone()
    names = [column[0] for column in cursor.description]
    con.close()
    return row and dict(zip(names, row, strict=True))


def _targets(page) -> list[dict]:
    """The box of every answer button and day choice on the form, once the last question is drawn."""
    page.locator(".st-key-answer_pain [role=radio]").last.wait_for()
    buttons = page.locator("[data-testid=stButtonGroup] [role=radio]").all()
    days = page.locator(".st-key-answer_day label:has(input[type=radio])").all()
    return [target.bounding_box() for target in buttons + days]


def _documented_count() -> tuple[int, int]:
    found = re.search(r"\*\*(\d+) taps and (\d+) typed\s+answers\*\*", DOCS.read_text())
    assert found, "docs/ingestion.md states the taps and typed answers of a typical leg-day check-in"
    return int(found.group(1)), int(found.group(2))


def test_a_leg_day_check_in_on_a_phone_stores_only_what_was_answered(server, browser_db, browser):
    client_id, link = _link(browser_db, server)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(link)
    page.get_by_text("daily check-in").wait_for()
    wait_until_idle(page)
    screenshot(page, "checkin-phone-untouched")
    expect(page.locator("[data-testid=stButtonGroup] [role=radio][aria-checked=true]")).to_have_count(0)
    expect(page.get_by_text("Still to answer: Quads, Hamstrings")).to_be_visible()
    # every target is thumb-sized and the 0-10 rows fit the phone without sideways scrolling
    targets = _targets(page)
    assert len(targets) == 4 * 11 + 4 * 5 + 7 + 2 + 2  # soreness, the four scales, session, pain, the day
    assert min(box["height"] for box in targets) >= THUMB_PX and min(box["width"] for box in targets) >= THUMB_PX
    assert max(box["x"] + box["width"] for box in targets) <= PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    quads = page.locator(".st-key-answer_soreness_quads [role=radio]").all()
    assert len({round(radio.bounding_box()["y"]) for radio in quads}) == 2  # 0-5 and 6-10
    client = Client(page)

    # a session chosen, its minutes not given: refused, with what is missing
    client.answer({field: value for field, value in LEG_DAY.items()
                   if field not in ("session_minutes", "water_liters")})
    client.send()
    # (plain() puts an invisible word joiner after the colon)
    expect(page.get_by_text(re.compile(r"^Not sent yet\. Still to answer:\W*Minutes\.$"))).to_be_visible()
    expect(page.get_by_text("Not answered yet.")).to_be_visible()  # under the Minutes box
    screenshot(page, "checkin-phone-refused")
    assert _stored(browser_db, client_id) is None

    # Enter in a box never sends, even with every question answered
    client.answer({"session_minutes": LEG_DAY["session_minutes"], "water_liters": LEG_DAY["water_liters"]})
    for field in ("session_minutes", "sleep_hours", "water_liters"):
        page.locator(f".st-key-answer_{field} input").press("Enter")
        wait_until_idle(page)
    expect(page.get_by_text("Thank you")).to_have_count(0)
    assert _stored(browser_db, client_id) is None
    page.locator(".st-key-answer_notes textarea").press("Enter")
    wait_until_idle(page)
    assert _stored(browser_db, client_id) is None
    screenshot(page, "checkin-phone-answered")
    # the answered form is under three phone screens long (the scrolling docs count on)
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    print(f"\nleg-day form: {height} px, {height / PHONE['height']:.1f} screens of {PHONE['height']} px")
    assert height <= 3 * PHONE["height"]

    rpe = [radio.bounding_box() for radio in page.locator(".st-key-answer_session_rpe [role=radio]").all()]
    assert min(box["height"] for box in rpe) >= THUMB_PX and max(box["x"] + box["width"] for box in rpe) <= PHONE["width"]

    client.send()
    page.get_by_text("Thank you").wait_for()
    assert (client.taps - 1, client.typed) == _documented_count()  # less the refused send
    row = _stored(browser_db, client_id)
    assert {name: row[name] for name in ("soreness_quads", "sleep_hours", "sleep_quality", "water_liters",
                                         "session_type", "session_minutes", "session_rpe", "ate_recovery_meal",
                                         "pain")} == {
        "soreness_quads": 6, "sleep_hours": 7.5, "sleep_quality": 4, "water_liters": 2.0, "session_type": "legs",
        "session_minutes": 60, "session_rpe": 7, "ate_recovery_meal": True, "pain": False,
    }
    assert row["notes"] is None  # the empty box (Enter typed a line break, nothing else) is no note
    context.close()


def test_untouched_optional_questions_are_stored_empty_and_the_form_reads_on_a_desktop(server, browser_db, browser):
    client_id, link = _link(browser_db, server)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(link)
    page.get_by_text("daily check-in").wait_for()
    client = Client(page, touch=False)
    client.answer({field: value for field, value in LEG_DAY.items()
                   if field not in ("water_liters", "ate_recovery_meal")})
    screenshot(page, "checkin-desktop-answered")
    client.send()
    page.get_by_text("Thank you").wait_for()
    row = _stored(browser_db, client_id)
    assert row["water_liters"] is None and row["ate_recovery_meal"] is None and row["notes"] is None
    assert (row["session_type"], row["session_minutes"], row["session_rpe"]) == ("legs", 60, 7)
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_change_todays_answers_shows_what_is_stored_and_sends_the_new_version(server, browser_db, browser, viewport):
    """A client who checked in and taps "Change today's answers" sees their answers chosen,
    what they left empty still empty and their pain with its words; one tap changes one
    answer and Send stores the new version."""
    client_id, link = _link(browser_db, server)
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(link)
    page.get_by_text("daily check-in").wait_for()
    client = Client(page, touch=phone)
    sent = {field: value for field, value in LEG_DAY.items() if field not in ("water_liters", "ate_recovery_meal")}
    client.answer(sent | {"pain": "yes", "notes": "left knee on the stairs"})
    client.send()
    page.get_by_text("Thank you").wait_for()
    first = _stored(browser_db, client_id)

    client._press(page.get_by_role("button", name="Change today's answers"))
    page.get_by_text("You already checked in for today").wait_for()
    wait_until_idle(page)
    screenshot(page, f"checkin-{'phone' if phone else 'desktop'}-change")
    chosen = {
        field: page.locator(f".st-key-answer_{field} [role=radio][aria-checked=true]").all_inner_texts()
        for field in (*(field for field in LEG_DAY if field not in TYPED), "pain")
    }
    assert chosen == {field: [] if field == "ate_recovery_meal" else ["yes" if field == "pain" else sent[field]]
                      for field in chosen}
    assert {field: page.locator(f".st-key-answer_{field} input").input_value()
            for field in ("sleep_hours", "water_liters", "session_minutes")} == {
        "sleep_hours": "7.5", "water_liters": "", "session_minutes": "60"}
    assert page.locator(".st-key-answer_notes textarea").input_value() == "left knee on the stairs"
    expect(page.get_by_text("Where does it hurt")).to_be_visible()
    expect(page.get_by_text("Still to answer")).to_have_count(0)

    client.answer({"soreness_quads": "2"})
    client.send()
    page.get_by_text("Thank you").wait_for()
    second = _stored(browser_db, client_id)
    assert second["soreness_quads"] == 2
    same = [name for name in first if name not in ("soreness_quads", "run_id", "recorded_at", "source_run")]
    assert {name: second[name] for name in same} == {name: first[name] for name in same}
    assert second["water_liters"] is None and second["ate_recovery_meal"] is None and second["pain"] is True
    context.close()

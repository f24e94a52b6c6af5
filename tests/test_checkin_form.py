"""The phone form records only what the client answered (issue 10 item 7): nothing is an
answer until tapped or typed, questions that do not apply are not asked (and stored
empty), a chosen session needs minutes and an RPE above 0, and the form names what is
still missing. The browser half (Enter, a real phone) is tests/browser/test_checkin_phone.py."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import db, load_state, tokens
from pipelines.checkin_form import FORM_QUESTIONS, missing_answers
from tests.helpers.dashboard_fixtures import LEG_DAY_ANSWERS, answer_checkin, app_as, send, shown
from tests.helpers.viewers import acting

REST_DAY = {name: value for name, value in LEG_DAY_ANSWERS.items()
            if name not in ("session_minutes", "session_rpe", "ate_recovery_meal")} | {"session_type": "none"}
ALWAYS_ASKED = [name for name in FORM_QUESTIONS if name not in ("session_minutes", "session_rpe")]

# (answers, what is still missing)
MISSING_CASES = [
    ({}, dict.fromkeys(ALWAYS_ASKED, "unanswered")),
    (LEG_DAY_ANSWERS, {}),
    (REST_DAY, {}),
    (REST_DAY | {"session_minutes": 0, "session_rpe": None}, {}),  # not asked on a rest day
    (LEG_DAY_ANSWERS | {"session_minutes": None}, {"session_minutes": "unanswered"}),
    (LEG_DAY_ANSWERS | {"session_minutes": 0, "session_rpe": 0},
     {"session_minutes": "more_than_zero", "session_rpe": "more_than_zero"}),
    (LEG_DAY_ANSWERS | {"session_rpe": None, "pain": None}, {"session_rpe": "unanswered", "pain": "unanswered"}),
    (LEG_DAY_ANSWERS | {"ate_recovery_meal": None, "water_liters": None, "notes": None}, {}),  # optional
    (LEG_DAY_ANSWERS | {"soreness_calves": 0, "sleep_hours": 0.0}, {}),  # 0 is an answer
    (LEG_DAY_ANSWERS | {"sleep_hours": ""}, {"sleep_hours": "unanswered"}),
]


@pytest.mark.parametrize(("answers", "expected"), MISSING_CASES)
def test_missing_answers_names_what_the_client_has_not_answered_in_form_order(answers, expected):
    found = missing_answers(answers)
    assert found == expected
    assert list(found) == [name for name in FORM_QUESTIONS if name in expected]


@pytest.fixture
def checkin_page(demo_db):
    """The check-in page of a client without a check-in today or yesterday (the form's two
    days), and how to read today back."""
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients where active").fetchone()[0]
    token = tokens.create_link(con, acting("demo"), client_id, days=7, base_url="http://x").split("t=", 1)[1]
    today = db.as_of(con)
    con.execute("delete from check_ins where client_id = ? and checkin_date >= ?",
                [client_id, today - dt.timedelta(days=1)])
    load_state.refresh(con, [client_id])
    con.close()

    def stored() -> dict | None:
        con = db.connect()  # the page's own connection is open in this process
        cursor = con.execute("select * from check_ins where client_id = ? and checkin_date = ?", [client_id, today])
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
        con.close()
        return row and dict(zip(names, row, strict=True))

    return app_as(None, t=token).run(), stored


def test_an_untouched_form_has_no_answers_and_sends_nothing(checkin_page):
    at, stored = checkin_page
    assert not at.exception
    assert [pills.value for pills in at.pills] == [None] * 10  # 4 soreness, 4 scales, session, pain
    assert [number.value for number in at.number_input] == [None, None]  # hours slept, water
    caption = " ".join(shown(c.value) for c in at.caption)
    assert ("Still to answer: Quads, Hamstrings, Glutes, Calves, Hours slept, Sleep quality, Energy, Stress, "
            "Mood, Session and Pain.") in caption
    send(at)
    assert not at.exception
    refusals = [shown(error.value) for error in at.error]
    assert refusals.count("Not answered yet.") == len(ALWAYS_ASKED)
    assert any(text.startswith("Not sent yet. Still to answer: Quads") for text in refusals)
    assert stored() is None


def test_a_rest_day_asks_no_session_questions_and_stores_the_optional_answers_empty(checkin_page):
    at, stored = checkin_page
    answer_checkin(at, REST_DAY)
    labels = [widget.label for widget in [*at.pills, *at.number_input]]
    assert "Minutes" not in labels and not any("How hard" in label or "protein" in label for label in labels)
    assert not any("Still to answer" in shown(c.value) for c in at.caption)
    send(at)
    assert not at.exception and "Thank you" in at.title[0].value
    row = stored()
    assert (row["session_type"], row["session_minutes"], row["session_rpe"]) == ("none", 0, None)
    assert row["water_liters"] is None and row["ate_recovery_meal"] is None and row["notes"] is None
    assert row["pain"] is False


def test_a_leg_day_stores_what_was_tapped_and_an_unanswered_meal_stays_empty(checkin_page):
    at, stored = checkin_page
    answer_checkin(at, {name: value for name, value in LEG_DAY_ANSWERS.items() if name != "ate_recovery_meal"})
    assert "7 – very hard" in [c.value for c in at.caption]
    send(at)
    row = stored()
    assert {name: row[name] for name in LEG_DAY_ANSWERS if name not in ("ate_recovery_meal", "pain")} == {
        name: value for name, value in LEG_DAY_ANSWERS.items() if name not in ("ate_recovery_meal", "pain")
    }
    assert row["ate_recovery_meal"] is None  # not "no": UNDER_FUELED is not raised on a guess
    assert row["water_liters"] is None


def test_a_session_needs_minutes_and_how_hard_before_it_is_sent(checkin_page):
    at, stored = checkin_page
    answer_checkin(at, REST_DAY | {"session_type": "legs"})
    send(at)
    refusals = [shown(error.value) for error in at.error]
    assert "Not sent yet. Still to answer: Minutes and How hard." in refusals
    assert stored() is None
    answer_checkin(at, {"session_minutes": 45, "session_rpe": 6})
    send(at)
    assert (stored()["session_minutes"], stored()["session_rpe"]) == (45, 6)


def test_pain_asks_where_and_is_stored_with_the_words(checkin_page):
    at, stored = checkin_page
    answer_checkin(at, REST_DAY | {"pain": "yes"})
    notes = at.text_area(key="answer_notes")
    assert notes.label.startswith("Where does it hurt")
    notes.set_value("left knee, on the stairs")
    send(at.run())
    row = stored()
    assert row["pain"] is True and row["notes"] == "left knee, on the stairs"


def _form_answers(at) -> dict:
    """What the check-in form shows as answered, by field (None: nothing chosen or typed)."""
    widgets = [*at.pills, *at.number_input, *at.text_area]
    return {widget.key.removeprefix("answer_"): widget.value for widget in widgets if widget.key.startswith("answer_")}


def _change(at):
    return next(button for button in at.button if button.label == "Change today's answers").click().run()


def test_change_todays_answers_opens_the_form_with_exactly_what_is_stored(checkin_page):
    """A client fixing one answer starts from what they sent: the stored answers chosen,
    empty ones still empty (never a default), the pain and its words on screen; Send stores
    the new version and the earlier one moves to the history."""
    at, stored = checkin_page
    answer_checkin(at, {name: value for name, value in LEG_DAY_ANSWERS.items() if name != "ate_recovery_meal"}
                   | {"pain": "yes", "notes": "left knee on the stairs"})
    send(at)
    first = stored()
    _change(at)
    assert not at.exception
    assert [shown(info.value) for info in at.info] == [
        "You already checked in for today: these are your answers. Change what you want and press "
        "**Send check-in**; what you send replaces them."]
    assert at.radio(key="answer_day").value == "today"
    assert _form_answers(at) == {
        **{name: value for name, value in LEG_DAY_ANSWERS.items() if name not in ("ate_recovery_meal", "pain")},
        "water_liters": None, "ate_recovery_meal": None, "pain": "yes", "notes": "left knee on the stairs",
    }
    assert at.text_area(key="answer_notes").label.startswith("Where does it hurt")
    assert not any("Still to answer" in shown(c.value) for c in at.caption)

    answer_checkin(at, {"soreness_quads": 2})
    send(at)
    assert not at.exception and "Thank you" in at.title[0].value
    second = stored()
    assert second["soreness_quads"] == 2
    unchanged = [name for name in first if name not in ("soreness_quads", "run_id", "recorded_at", "source_run")]
    assert {name: second[name] for name in unchanged} == {name: first[name] for name in unchanged}
    assert second["water_liters"] is None and second["ate_recovery_meal"] is None and second["pain"] is True
    con = db.connect()
    history = con.execute("select soreness_quads from check_in_history where client_id = ? and checkin_date = ?",
                          [first["client_id"], first["checkin_date"]]).fetchall()
    con.close()
    assert history == [(LEG_DAY_ANSWERS["soreness_quads"],)]


def test_a_client_who_opens_the_link_again_the_same_day_sees_the_answers_stored(checkin_page):
    at, stored = checkin_page
    answer_checkin(at, REST_DAY)
    send(at)
    token = at.query_params["t"]
    again = app_as(None, t=token if isinstance(token, str) else token[0]).run()
    assert not again.exception
    assert any("You already checked in for today" in shown(info.value) for info in again.info)
    # a rest day: its answers chosen, the session questions not asked, water still empty
    assert _form_answers(again) == REST_DAY | {"water_liters": None, "notes": None}
    # "yesterday" is another day: the note about today's answers goes, and so do today's
    # answers (sent as yesterday's they would be a guess); back on today they are there again
    again.radio(key="answer_day").set_value("yesterday").run()
    assert not any("already checked in" in shown(info.value) for info in again.info)
    assert set(_form_answers(again).values()) <= {None, ""}  # "": the notes box, empty
    again.radio(key="answer_day").set_value("today").run()
    assert any("You already checked in for today" in shown(info.value) for info in again.info)
    assert _form_answers(again) == REST_DAY | {"water_liters": None, "notes": None}


def test_switching_to_a_day_already_sent_fills_that_days_answers(checkin_page):
    """Today's stored answers, then "yesterday" which was sent too: the form shows
    yesterday's own answers, never today's carried over."""
    at, stored = checkin_page
    at.radio(key="answer_day").set_value("yesterday").run()
    answer_checkin(at, REST_DAY | {"energy": 2})
    send(at)
    token = at.query_params["t"]
    token = token if isinstance(token, str) else token[0]
    today = app_as(None, t=token).run()
    answer_checkin(today, REST_DAY | {"energy": 5})
    send(today)
    again = app_as(None, t=token).run()
    assert _form_answers(again)["energy"] == 5
    again.radio(key="answer_day").set_value("yesterday").run()
    assert any("You already checked in for yesterday" in shown(info.value) for info in again.info)
    assert _form_answers(again)["energy"] == 2


def test_the_form_fills_only_values_its_buttons_offer():
    """A day stored from a file may hold what the form never sends (RPE 0 beside a session,
    an unreadable session stored empty): those stay unchosen and the form asks them again."""
    from dashboard.checkin_form import fill_answers
    from tests.helpers.clock import AS_OF

    stored = dict.fromkeys(FORM_QUESTIONS) | {"session_type": "legs", "session_minutes": 40, "session_rpe": 0,
                                              "ate_recovery_meal": False, "pain": False, "water_liters": None}
    state = {}
    fill_answers(state, stored, AS_OF, AS_OF)
    assert (state["answer_session_rpe"], state["answer_session_minutes"], state["answer_ate_recovery_meal"],
            state["answer_pain"], state["answer_water_liters"]) == (None, 40, "no", "no", None)
    state = {"answer_session_minutes": 30}
    fill_answers(state, stored | {"session_type": None}, AS_OF, AS_OF)
    assert state["answer_session_type"] is None and "answer_session_minutes" not in state

"""Client check-in, reached by a private link (?t=TOKEN); no login."""

import datetime as dt

import streamlit as st
from pydantic import ValidationError

from dashboard import checkin_form, session
from dashboard.formatting import dataframe, plain
from dashboard.plan_view import show_plan
from pipelines import access, db, metrics, plans, tokens
from pipelines.checkin_form import CheckInRejected, missing_answers, stored_answers, submit_checkin
from pipelines.ingest.fields import RULES
from pipelines.settings import get_settings
from pipelines.vocabulary import SESSION_LABELS

INVALID = "This link is no longer valid — ask your trainer for a new one."
BUSY = "The check-in is busy for a moment (your trainer's system is saving). Try again in a few seconds."
NOT_SAVED = ("**Not saved yet**: the system was busy for longer than usual. Your answers are still here — "
             "press **Send check-in** again.")
CHECKED_KEY = "checkin_checked"  # (token, client's name) once the link was found valid
NUMBER_WIDTH = 240  # px: a number box as wide as a phone's thumb needs, not the whole desktop

# The token stays in the address so the page can be bookmarked or saved to a home
# screen and reopened every day (threat model: docs/plans-and-links.md).
if "t" in st.query_params:
    st.session_state[checkin_form.TOKEN_KEY] = st.query_params["t"]

token = st.session_state.get(checkin_form.TOKEN_KEY, "")
today = get_settings().today()
# The link is checked once per visit (and again by every save), so answering and
# sending the form never waits for the database before the save itself. A check-in
# already sent today fills the form, to be changed and sent again.
if st.session_state.get(CHECKED_KEY, (None,))[0] != token:
    try:
        with session.database() as con:
            client_id = checkin_form.client_for(con, token)
            name = client_id and con.execute("select name from clients where client_id = ?", [client_id]).fetchone()[0]
            stored = client_id and stored_answers(con, access.link_viewer(client_id), client_id, today)
    except tokens.TooManyAttempts as error:
        st.error(f"Too many attempts from this device. Try again in {error.wait_seconds} s.")
        st.stop()
    except db.DatabaseBusy:
        st.title("legday")
        st.info(BUSY)
        st.button("Try again", type="primary")
        st.stop()
    if client_id:
        st.session_state[CHECKED_KEY] = (token, name)
    if stored:
        checkin_form.fill_answers(st.session_state, stored, today, today)
    st.session_state[session.CHECKIN_CLIENT_KEY] = client_id
else:
    name = st.session_state[CHECKED_KEY][1]
client_id = st.session_state[session.CHECKIN_CLIENT_KEY]

if not client_id:
    st.title("legday")
    st.error(INVALID)
    st.stop()

if done := st.session_state.get(checkin_form.DONE_KEY):
    st.title(f"Thank you, {plain(name.split()[0])}!")
    st.success(f"Your check-in for {done:%A %d %B} is saved. Your trainer sees it now.")
    try:
        with session.database() as con:
            week = metrics.client_days(con, session.link_viewer(), client_id, today - dt.timedelta(days=6), today)
            plan = plans.current_plan(con, session.link_viewer(), client_id)
            sent = stored_answers(con, session.link_viewer(), client_id, done)
    except db.DatabaseBusy:
        st.info("Your last 7 days and your plan show here when the system is free again; reload in a minute.")
    else:
        st.subheader("Your last 7 days")
        dataframe(checkin_form.week_table(week), hide_index=True)
        st.subheader("Your plan from your trainer")
        show_plan(plan, "Your trainer has not set a plan yet.")
        # the form opens with the answers just stored (a page left open past midnight offers no change)
        word = checkin_form.day_word(done, today)
        if sent and word and st.button(f"Change {word}'s answers"):
            checkin_form.fill_answers(st.session_state, sent, done, today)
            del st.session_state[checkin_form.DONE_KEY]
            st.rerun()
    st.stop()

st.title(f"Hi {plain(name.split()[0])} — daily check-in")
st.caption("About a minute. Tap how you feel right now; nothing is sent until you press **Send check-in**.")
errors = st.session_state.pop(checkin_form.ERRORS_KEY, {})


def show_error(field: str) -> None:
    if field in errors:
        st.error(plain(errors[field]))


def pills(field: str, label: str, options, **kwargs):
    """One tap answers; nothing is chosen until the client taps (required: a second tap
    does not clear it)."""
    value = st.pills(label, options, required=True, key=f"answer_{field}", **kwargs)
    show_error(field)
    return value


def switch_day() -> None:
    """A form filled with one day's stored answers never sends them as the other day's:
    choosing the other day empties it, then fills it with that day's stored answers, if
    any. Answers the client typed since the form opened are theirs for whichever day
    they choose, and stay."""
    if st.session_state.get(checkin_form.EDITING_KEY) is not None:
        checkin_form.clear_answers(st.session_state)
    if checkin_form.has_typed_answers(st.session_state):
        return
    chosen = today - dt.timedelta(days=checkin_form.DAYS[st.session_state["answer_day"]])
    try:
        with session.database() as con:
            stored = stored_answers(con, session.link_viewer(), client_id, chosen)
    except db.DatabaseBusy:
        return  # an empty form asks every answer again: nothing is sent that was not chosen
    if stored:
        checkin_form.fill_answers(st.session_state, stored, chosen, today)


# No st.form: Enter in a box never sends; every answer is kept across reruns by its key.
day = st.radio("For", list(checkin_form.DAYS), horizontal=True, key="answer_day", on_change=switch_day)
show_error("checkin_date")
checkin_date = today - dt.timedelta(days=checkin_form.DAYS[day])
if st.session_state.get(checkin_form.EDITING_KEY) == checkin_date:
    st.info(f"You already checked in for {day}: these are your answers. Change what you want and press "
            "**Send check-in**; what you send replaces them.")
st.markdown("**Soreness** (0 = none, 10 = worst)")
answers = {field: pills(field, label, list(range(RULES[field].low, RULES[field].high + 1)))
           for field, label in checkin_form.MUSCLES.items()}
answers["sleep_hours"] = st.number_input("Hours slept", float(RULES["sleep_hours"].low),
                                         float(RULES["sleep_hours"].high), value=None, step=0.5, format="%.1f",
                                         placeholder="e.g. 7.5", key="answer_sleep_hours", width=NUMBER_WIDTH)
show_error("sleep_hours")
for field, (label, words) in checkin_form.SCALES.items():
    answers[field] = pills(field, label, list(range(RULES[field].low, RULES[field].high + 1)), format_func=words.get)
answers["water_liters"] = st.number_input("Water yesterday/today (litres, optional)",
                                          float(RULES["water_liters"].low), float(RULES["water_liters"].high),
                                          value=None, step=0.25, placeholder="e.g. 2", key="answer_water_liters",
                                          width=NUMBER_WIDTH)
show_error("water_liters")
answers["session_type"] = pills("session_type", "Session you did", list(SESSION_LABELS),
                                format_func=SESSION_LABELS.get)
if answers["session_type"] not in (None, "none"):
    answers["session_minutes"] = st.number_input("Minutes", RULES["session_minutes"].low, RULES["session_minutes"].high,
                                                 value=None, step=5, placeholder="e.g. 45",
                                                 key="answer_session_minutes", width=NUMBER_WIDTH)
    show_error("session_minutes")
    answers["session_rpe"] = pills("session_rpe", "How hard was it? (CR-10)", checkin_form.RPE_CHOICES)
    st.caption(checkin_form.rpe_label(answers["session_rpe"]) if answers["session_rpe"]
               else "1 very, very easy · 3 moderate · 5 hard · 7 very hard · 10 maximal")
    answers["ate_recovery_meal"] = st.pills("Ate protein + carbs within 2 h after training? (optional)",
                                            ["yes", "no"], key="answer_ate_recovery_meal")
    show_error("ate_recovery_meal")
answers["pain"] = pills("pain", "Any sharp or joint pain (not ordinary soreness)?", ["no", "yes"])
answers["notes"] = st.text_area("Where does it hurt, and anything else your trainer should know?"
                                if answers["pain"] == "yes" else "Anything your trainer should know? (optional)",
                                max_chars=RULES["notes"].high, key="answer_notes") or None
show_error("notes")
missing = missing_answers(answers)
if missing and "form" not in errors:
    st.caption(checkin_form.still_to_answer(missing))
sent = st.button("Send check-in", type="primary", width="stretch")

if sent and missing:
    st.session_state[checkin_form.ERRORS_KEY] = {
        field: checkin_form.MISSING_WORDS[rule] for field, rule in missing.items()
    } | {"form": "Not sent yet. " + checkin_form.still_to_answer(missing)}
    st.rerun()
show_error("form")
show_error("client_id")
if sent:
    try:
        form = checkin_form.build({"client_id": client_id, "checkin_date": checkin_date, **answers}, today)
        # the spinner shows while the save waits its turn; the form above keeps every answer
        with st.spinner("Saving…"), session.database() as con:
            if checkin_form.client_for(con, token) != client_id:
                st.error(INVALID)
                st.stop()
            submit_checkin(con, session.link_viewer(), client_id, form, today=today)
    except db.DatabaseBusy:
        st.warning(NOT_SAVED)
        st.stop()
    except ValidationError as error:
        st.session_state[checkin_form.ERRORS_KEY] = checkin_form.field_errors(error)
        st.rerun()
    except CheckInRejected as error:
        st.session_state[checkin_form.ERRORS_KEY] = {error.field: error.reason}
        st.rerun()
    st.session_state[checkin_form.DONE_KEY] = checkin_date
    st.session_state.pop(checkin_form.EDITING_KEY, None)
    st.rerun()

"""Client check-in, reached by a private link (?t=TOKEN); no login."""

import datetime as dt

import streamlit as st
from pydantic import ValidationError

from dashboard import checkin_form, session
from dashboard.formatting import plain
from dashboard.plan_view import show_plan
from pipelines import db, metrics, plans, tokens
from pipelines.checkin_form import CheckInRejected, submit_checkin
from pipelines.ingest.fields import RULES
from pipelines.settings import get_settings
from pipelines.vocabulary import SESSION_LABELS

INVALID = "This link is no longer valid — ask your trainer for a new one."
BUSY = "The check-in is busy for a moment (your trainer's system is saving). Try again in a few seconds."
NOT_SAVED = ("**Not saved yet**: the system was busy for longer than usual. Your answers are still here — "
             "press **Send check-in** again.")
CHECKED_KEY = "checkin_checked"  # (token, client's name) once the link was found valid

# The token stays in the address so the page can be bookmarked or saved to a home
# screen and reopened every day (threat model: docs/plans-and-links.md).
if "t" in st.query_params:
    st.session_state[checkin_form.TOKEN_KEY] = st.query_params["t"]

token = st.session_state.get(checkin_form.TOKEN_KEY, "")
today = get_settings().today()
# The link is checked once per visit (and again by every save), so answering and
# sending the form never waits for the database before the save itself.
if st.session_state.get(CHECKED_KEY, (None,))[0] != token:
    try:
        with session.database() as con:
            client_id = checkin_form.client_for(con, token)
            name = client_id and con.execute("select name from clients where client_id = ?", [client_id]).fetchone()[0]
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
    st.success(f"Your check-in for {done} is saved. Your trainer sees it now.")
    try:
        with session.database() as con:
            week = metrics.client_days(con, client_id, today - dt.timedelta(days=6), today)
            plan = plans.current_plan(con, client_id)
    except db.DatabaseBusy:
        st.info("Your last 7 days and your plan show here when the system is free again; reload in a minute.")
    else:
        st.subheader("Your last 7 days")
        st.dataframe(checkin_form.week_table(week), hide_index=True)
        st.subheader("Your plan from your trainer")
        show_plan(plan, "Your trainer has not set a plan yet.")
    if st.button("Change today's answers"):
        del st.session_state[checkin_form.DONE_KEY]
        st.rerun()
    st.stop()

st.title(f"Hi {plain(name.split()[0])} — daily check-in")
st.caption("About a minute. Slide to how you feel right now.")
errors = st.session_state.pop(checkin_form.ERRORS_KEY, {})


def show_error(field: str) -> None:
    if field in errors:
        st.error(plain(errors[field]))


with st.form("checkin"):
    day = st.radio("For", ["today", "yesterday"], horizontal=True)
    st.markdown("**Soreness** (0 = none, 10 = worst)")
    soreness = {}
    for field, label in checkin_form.MUSCLES.items():
        soreness[field] = st.slider(label, RULES[field].low, RULES[field].high, 0)
        show_error(field)
    sleep_hours = st.number_input("Hours slept", float(RULES["sleep_hours"].low), float(RULES["sleep_hours"].high),
                                  7.5, step=0.5)
    show_error("sleep_hours")
    scales = {}
    for field, (label, words) in checkin_form.SCALES.items():
        scales[field] = st.select_slider(label, options=list(range(RULES[field].low, RULES[field].high + 1)), value=3,
                                         format_func=words.get)
        show_error(field)
    water = st.number_input("Water yesterday/today (litres)", float(RULES["water_liters"].low),
                            float(RULES["water_liters"].high), 2.0, step=0.25)
    ate = st.toggle("Ate protein + carbs within 2 h of training")
    session_type = st.selectbox("Session you did", list(SESSION_LABELS),
                                format_func=SESSION_LABELS.get)
    minutes = st.number_input("Minutes", RULES["session_minutes"].low, RULES["session_minutes"].high, 0, step=5)
    show_error("session_minutes")
    rpe = st.select_slider("How hard was it? (CR-10)",
                           options=list(range(RULES["session_rpe"].low, RULES["session_rpe"].high + 1)), value=0,
                           format_func=checkin_form.rpe_label)
    show_error("session_rpe")
    pain = st.radio("Any sharp or joint pain (not ordinary soreness)?", ["no", "yes"], horizontal=True)
    notes = st.text_area("Anything your trainer should know?", max_chars=RULES["notes"].high)
    show_error("notes")
    submitted = st.form_submit_button("Send check-in", type="primary", width="stretch")

if submitted:
    checkin_date = today if day == "today" else today - dt.timedelta(days=1)
    answers = {
        "client_id": client_id, "checkin_date": checkin_date, **soreness, "sleep_hours": sleep_hours, **scales,
        "water_liters": water, "ate_recovery_meal": ate, "session_type": session_type,
        "session_minutes": minutes, "session_rpe": rpe, "pain": pain == "yes", "notes": notes or None,
    }
    try:
        form = checkin_form.build(answers, today)
        # the spinner shows while the save waits its turn; the form above keeps every answer
        with st.spinner("Saving…"), session.database() as con:
            if checkin_form.client_for(con, token) != client_id:
                st.error(INVALID)
                st.stop()
            submit_checkin(con, client_id, form, today=today)
    except db.DatabaseBusy:
        st.warning(NOT_SAVED)
        st.stop()
    except ValidationError as error:
        st.session_state[checkin_form.ERRORS_KEY] = checkin_form.field_errors(error)
        st.rerun()
    except CheckInRejected as error:
        st.session_state[checkin_form.ERRORS_KEY] = {error.field: error.reason}
        st.rerun()
    st.session_state[checkin_form.DONE_KEY] = f"{checkin_date:%A %d %B}"
    st.rerun()

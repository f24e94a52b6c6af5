"""The planner block of the client page: upcoming sessions with their projected effect,
and a form to try and schedule a new one. A fragment, so it reruns on its own."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import session
from dashboard.checkin_form import CR10
from dashboard.formatting import clock, dataframe, plain
from dashboard.projection_table import ESTIMATED_NOTE, comparison_table, has_estimate, session_label
from pipelines import db, sessions
from pipelines.access import Viewer
from pipelines.settings import get_settings
from pipelines.vocabulary import SESSION_LABELS, SESSION_TYPES


def _show_projection(result: dict) -> None:
    dataframe(comparison_table(result), hide_index=True)
    if has_estimate(result):
        st.caption(ESTIMATED_NOTE)
    if result["note"]:
        st.info(f"This session would not count: {plain(result['note'])}.")
    if result["warnings"]:
        for flag in result["warnings"]:
            st.error(plain(flag["reason"]), icon=":material/warning:")
    else:
        st.success("No new load flags: this session keeps the load in a safe range.", icon=":material/check_circle:")


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_projection(
    db_path: str, as_of: dt.date, version: tuple, viewer: Viewer, client_id: str, day: dt.date, kind: str,
    minutes: int, rpe: int,
) -> dict | str:
    """project_session, reused while nothing it reads changed (db_path, as_of and version
    are the cache key; the viewer is part of it too); the SessionError's message when
    there is no projection."""
    with session.database() as con:
        try:
            return sessions.project_session(con, viewer, client_id, day=day, session_type=kind, minutes=minutes, rpe=rpe)
        except sessions.SessionError as error:
            return str(error)


def projection(viewer: Viewer, client_id: str, day: dt.date, kind: str, minutes: int, rpe: int) -> dict | None:
    """A planned session's projection (cached); says why when there is none."""
    with session.database() as con:
        key = (str(get_settings().db_path), db.as_of(con), sessions.state_version(con, viewer, client_id))
    result = _cached_projection(*key, viewer, client_id, day, kind, int(minutes), int(rpe))
    if isinstance(result, str):
        st.info(plain(result))
        return None
    return result


def offer_safer(viewer: Viewer, session_id: int, result: dict) -> None:
    """The projection's safer alternative: one tap changes the planned session to it."""
    suggestion = result["suggestion"]
    if not suggestion:
        return
    st.caption(plain(suggestion["text"]))
    if not suggestion["session_type"]:
        return
    label = f"Change to {session_label(suggestion['session_type'], suggestion['minutes'], suggestion['rpe'])}"
    if st.button(label, key=f"apply_{session_id}", type="primary"):
        with session.database() as con:
            sessions.update_session(
                con, viewer, session_id, session_type=suggestion["session_type"],
                minutes=suggestion["minutes"], rpe=suggestion["rpe"],
            )
        st.rerun()


def _upcoming(viewer: Viewer, client_id: str, today: dt.date) -> None:
    with session.database() as con:
        schedule = sessions.sessions_between(con, viewer, today, today + dt.timedelta(days=14))
    planned = schedule[(schedule["client_id"] == client_id) & ~schedule["done"]]
    if planned.empty:
        st.caption("No sessions planned in the next 14 days.")
        return
    for row in planned.itertuples():
        day = row.session_date.date() if hasattr(row.session_date, "date") else row.session_date
        with st.container(border=True):
            st.markdown(f"**{day:%a %d %b} {clock(row.start_time)}** · "
                        f"{session_label(row.session_type, row.planned_minutes, row.planned_rpe)}")
            result = projection(viewer, client_id, day, row.session_type, row.planned_minutes, row.planned_rpe)
            if result is None:
                continue
            _show_projection(result)
            offer_safer(viewer, row.session_id, result)


def _try_new(viewer: Viewer, client_id: str, today: dt.date) -> None:
    with st.form(f"plan_session_{client_id}"):
        cols = st.columns(4)
        day = cols[0].date_input("Date", today, min_value=today, max_value=today + dt.timedelta(days=60))
        kind = cols[1].selectbox("Type", SESSION_TYPES, format_func=SESSION_LABELS.get)
        minutes = cols[2].number_input("Minutes", 5, 600, 60, step=5)
        rpe = cols[3].select_slider("RPE", options=list(range(11)), value=6, format_func=lambda v: f"{v} – {CR10[v]}")
        start = st.time_input("Start time (optional)", value=None)
        buttons = st.columns(2)
        project = buttons[0].form_submit_button("Show the effect")
        schedule = buttons[1].form_submit_button("Add to schedule", type="primary")
    if not (project or schedule):
        return
    try:
        with session.database() as con:
            if schedule:
                sessions.add_session(con, viewer, client_id, day=day, session_type=kind, minutes=int(minutes),
                                     rpe=int(rpe), start_time=start)
                st.rerun()
            result = sessions.project_session(con, viewer, client_id, day=day, session_type=kind,
                                              minutes=int(minutes), rpe=int(rpe))
    except sessions.SessionError as error:
        st.error(plain(error))
        return
    _show_projection(result)
    if result["suggestion"]:
        st.caption(result["suggestion"]["text"])


@st.fragment
def render(viewer: Viewer, client_id: str, today: dt.date) -> None:
    st.header("Planner")
    st.caption("What a planned session does to the load, computed with the same definitions as the charts. "
               "Context for your judgement, not a prediction.")
    _upcoming(viewer, client_id, today)
    with st.expander("Try or schedule a new session", expanded=False):
        _try_new(viewer, client_id, today)

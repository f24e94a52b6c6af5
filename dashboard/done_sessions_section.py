"""The client page's training block: the sessions of the chosen days (several a day, from
the check-in, a planned session, a file or the trainer), and forms to add one, correct
one or remove one with the reason kept in its history (pipelines/done_sessions.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.formatting import dataframe, plain
from pipelines import done_sessions
from pipelines.access import Viewer
from pipelines.vocabulary import DONE_SESSION_LABELS, DONE_SESSION_SOURCE_WORDS, DONE_SESSION_TYPES


def sessions_table(rows: list[dict]) -> pd.DataFrame:
    """One line a session, latest first like the check-ins, plain words first: day, what,
    minutes, RPE (est. when it is the type's default), load, where it came from, and whether
    it counts."""
    lines = []
    for row in reversed(rows):
        if row["removed_at"] is not None:
            counts = "removed"
        elif row["counted"]:
            counts = "counts"
        else:
            counts = f"same as the {row['matched_by']} session"
        rpe = "" if row["rpe"] is None else f"{row['rpe']}" + (" (est.)" if row["rpe_estimated"] else "")
        lines.append({
            "Day": row["session_date"],
            "Session": done_sessions.kind_words(row),
            "Minutes": row["minutes"],
            "RPE": rpe,
            "Load (AU)": None if row["load"] is None else round(row["load"]),
            "From": DONE_SESSION_SOURCE_WORDS[row["source"]],
            "Counts": counts,
        })
    return pd.DataFrame(lines, columns=["Day", "Session", "Minutes", "RPE", "Load (AU)", "From", "Counts"])


def _values_form(key: str, today: dt.date, row: dict | None = None) -> dict:
    day = st.date_input("Day", row["session_date"] if row else today, max_value=today, key=f"{key}-day")
    kind = st.selectbox("Type", DONE_SESSION_TYPES, format_func=DONE_SESSION_LABELS.get, key=f"{key}-type",
                        index=DONE_SESSION_TYPES.index(row["session_type"]) if row else 0)
    minutes = st.number_input("Minutes", 0, done_sessions.MAX_MINUTES, value=row["minutes"] if row else None,
                              key=f"{key}-minutes")
    rpe = st.number_input("RPE (0-10; empty: the type's default, marked estimated)", 0, 10, key=f"{key}-rpe",
                          value=None if row is None or row["rpe_estimated"] else row["rpe"])
    notes = st.text_input("Notes", row["notes"] or "" if row else "", max_chars=done_sessions.MAX_NOTES,
                          key=f"{key}-notes")
    return {"day": day, "session_type": kind, "minutes": minutes, "rpe": rpe, "notes": notes}


def render(viewer: Viewer, client_id: str, start: dt.date, end: dt.date, today: dt.date) -> None:
    st.subheader("Training sessions")
    with session.database() as con:
        rows = done_sessions.client_sessions(con, viewer, client_id, start, end)
    if rows:
        dataframe(sessions_table(rows), hide_index=True)
        if any(row["rpe_estimated"] and row["removed_at"] is None for row in rows):
            st.caption("(est.): the client gave no RPE; the load counts the type's default RPE (docs/done-sessions.md).")
    else:
        st.caption("No training sessions in these days.")
    with st.expander("Add a session"), st.form("add-done-session", clear_on_submit=True):
        values = _values_form("add", today)
        if st.form_submit_button("Add session"):
            try:
                with session.database() as con:
                    done_sessions.add_session(con, viewer, client_id, **values)
            except done_sessions.DoneSessionError as error:
                st.error(plain(error))
            else:
                st.rerun()  # the charts and status read the new load too
    live = [row for row in reversed(rows) if row["removed_at"] is None]
    if not live:
        return
    with st.expander("Correct or remove a session"):
        picked = st.selectbox(
            "Session", live, key="fix-pick",
            format_func=lambda row: f"{row['session_date']:%Y-%m-%d} {done_sessions.kind_words(row)} · {row['minutes'] or '-'} min",
        )
        with st.form("fix-done-session"):
            values = _values_form(f"fix-{picked['done_session_id']}", today, picked)
            reason = st.text_input("Why (kept with the session's history)", max_chars=done_sessions.MAX_REASON)
            correct, remove = st.columns(2)
            corrected = correct.form_submit_button("Save correction")
            removed = remove.form_submit_button("Remove session")
        if corrected or removed:
            try:
                with session.database() as con:
                    if corrected:
                        done_sessions.correct_session(con, viewer, picked["done_session_id"], reason=reason, **values)
                    else:
                        done_sessions.remove_session(con, viewer, picked["done_session_id"], reason=reason)
            except done_sessions.DoneSessionError as error:
                st.error(plain(error))
            else:
                st.rerun()  # the charts and status read the new load too

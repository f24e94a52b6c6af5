"""One client's brief on screen and on paper (the Brief page, one client or the whole day).

Tables are st.table (plain HTML), not st.dataframe (a canvas), so print shows them whole.
"""

from __future__ import annotations

import streamlit as st

from dashboard.formatting import (
    STATUS_BADGE_COLOURS,
    brief_days_table,
    brief_notes_table,
    plain,
)
from dashboard.plan_view import show_plan
from dashboard.projection_table import ESTIMATED_NOTE, comparison_table, has_estimate, session_label


def show_brief(summary: dict) -> None:
    st.badge(summary["status"], color=STATUS_BADGE_COLOURS.get(summary["status"], "gray"))
    if summary["status_note"]:
        st.caption(plain(summary["status_note"]))
    for reason in summary["reasons"]:
        st.markdown(f"- {plain(reason)}")

    st.markdown("**Last 3 days**")
    st.table(brief_days_table(summary["last_days"]).set_index("Day"))
    st.markdown("**Training, last 3 days**")
    for day in summary["training"]:
        st.markdown(f"- {day['when'][:1].upper()}{day['when'][1:]}: {plain(day['line'])}")
    if not summary["training"]:
        st.write("No training logged.")
    if not summary["pain_and_notes"].empty:
        st.markdown("**Pain and notes (7 days)**")
        st.table(brief_notes_table(summary["pain_and_notes"]).set_index("Day"))

    st.markdown("**Current plan**")
    show_plan(summary["plan"], "No plan saved yet.")

    upcoming = summary["next_session"]
    st.markdown("**Planned session**")
    if upcoming is None:
        st.write("None planned in the next 14 days.")
        return
    st.write(f"{upcoming['day']:%a %d %b}: {session_label(upcoming['session_type'], upcoming['minutes'], upcoming['rpe'])}")
    if upcoming["projection"] is not None:
        st.table(comparison_table(upcoming["projection"]))
        if has_estimate(upcoming["projection"]):
            st.caption(ESTIMATED_NOTE)
        for flag in upcoming["projection"]["warnings"]:
            st.error(plain(flag["reason"]))

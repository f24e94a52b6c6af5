"""Pre-session brief: one screen to read (or print) before training a client."""

import functools

import streamlit as st

from dashboard import downloads, nav, session
from dashboard.formatting import STATUS_BADGE_COLOURS, brief_days_table, brief_notes_table
from dashboard.plan_view import show_plan
from dashboard.projection_table import comparison_table, session_label
from pipelines import access, brief, metrics

viewer = session.viewer()
with session.database() as con:
    roster = metrics.roster(con, viewer.scope)

st.title("Pre-session brief")
if roster.empty:
    st.info("No clients yet.")
    st.page_link(nav.clients_admin.target, label="Add a client", icon="➕")
    st.stop()

client_id = nav.pick_client(roster)

with session.database() as con:
    access.require_client(con, viewer, client_id)
    summary = brief.brief(con, client_id)

st.subheader(f"{summary['name']} · {summary['as_of']:%A %d %B %Y}")
st.badge(summary["status"], color=STATUS_BADGE_COLOURS.get(summary["status"], "gray"))
for reason in summary["reasons"]:
    st.markdown(f"- {reason}")

st.markdown("**Last 3 days**")
st.dataframe(brief_days_table(summary["last_days"]), hide_index=True)
if not summary["pain_and_notes"].empty:
    st.markdown("**Pain and notes (7 days)**")
    st.dataframe(brief_notes_table(summary["pain_and_notes"]), hide_index=True)

st.markdown("**Current plan**")
show_plan(summary["plan"], "No plan saved yet.")

upcoming = summary["next_session"]
st.markdown("**Planned session**")
if upcoming is None:
    st.write("None planned in the next 14 days.")
else:
    st.write(f"{upcoming['day']:%a %d %b}: {session_label(upcoming['session_type'], upcoming['minutes'], upcoming['rpe'])}")
    if upcoming["projection"] is not None:
        st.dataframe(comparison_table(upcoming["projection"]), hide_index=True)
        for flag in upcoming["projection"]["warnings"]:
            st.error(flag["reason"])

st.download_button(
    "Download brief (CSV)",
    data=functools.partial(downloads.brief_csv, viewer.scope, client_id),
    file_name=f"legday-brief-{client_id}.csv",
    mime="text/csv",
    icon=":material/download:",
)
st.caption("For paper, use the browser's Print (Ctrl+P).")

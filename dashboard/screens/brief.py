"""Pre-session brief: one client, or every session of the day, to read or print."""

import functools

import streamlit as st

from dashboard import downloads, layout, nav, session
from dashboard.brief_view import show_brief
from dashboard.formatting import clock, plain
from pipelines import brief, db, metrics

DAY, ONE = "today's sessions", "one client"

viewer = session.viewer()
with session.database() as con:
    today = db.as_of(con)
    roster = metrics.roster(con, viewer)

st.title("Pre-session brief")
layout.docs("docs/sessions.md", "the brief and the projection")
if roster.empty:
    st.info("No clients yet.")
    st.page_link(nav.clients_admin.target, label="Add a client", icon="➕")
    st.stop()

mode = st.segmented_control("Brief for", [ONE, DAY], default=DAY if st.query_params.get("day") == "today" else ONE,
                            required=True)
st.caption("For paper, use the browser's Print (Ctrl+P): menus and buttons are left out.")

if mode == DAY:
    with session.database() as con:
        briefs = brief.day_briefs(con, viewer)
    st.subheader(f"Today's sessions · {today:%A %d %B %Y}")
    if not briefs:
        st.info("No sessions planned for today.")
        st.stop()
    st.download_button(
        "Download the day's briefs (CSV)",
        data=functools.partial(downloads.day_brief_csv, viewer),
        file_name=f"legday-briefs-{today.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    for number, summary in enumerate(briefs):
        times = " and ".join(
            f"{clock(item['start_time'])} {item['session_type'].replace('_', ' ')}" + (" (done)" if item["done"] else "")
            for item in summary["sessions"]
        )
        with st.container(key=f"brief-{number}"):
            st.subheader(f"{times} · {plain(summary['name'])}", divider="gray")
            show_brief(summary)
    st.stop()

client_id = nav.pick_client(roster)
with session.database() as con:
    summary = brief.brief(con, viewer, client_id)

st.subheader(f"{plain(summary['name'])} · {summary['as_of']:%A %d %B %Y}")
show_brief(summary)
st.download_button(
    "Download brief (CSV)",
    data=functools.partial(downloads.brief_csv, viewer, client_id),
    file_name=f"legday-brief-{client_id}.csv",
    mime="text/csv",
    icon=":material/download:",
)

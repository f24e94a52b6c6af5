"""Export: CSV downloads, built by the same code as `legday export`."""

import functools

import streamlit as st

from dashboard import layout, session
from dashboard.downloads import csv_for
from pipelines import metrics

viewer = session.viewer()
with session.database() as con:
    roster = metrics.roster(con, viewer)

st.title("Export")
layout.docs("docs/metrics.md", "every exported column")
st.caption("CSV with a header row, ISO dates and dot decimals; safe to open in a spreadsheet.")

if roster.empty:
    st.info("Nothing to export yet: add clients and import check-ins first.")
    st.stop()

st.download_button("Roster summary", data=functools.partial(csv_for, "roster", viewer),
                   file_name="legday-roster.csv", mime="text/csv", icon="📋")
st.download_button("Recovery plans", data=functools.partial(csv_for, "plans", viewer),
                   file_name="legday-plans.csv", mime="text/csv", icon="📝")

st.subheader("One client")
names = dict(zip(roster["client_id"], roster["name"], strict=True))
client_id = st.selectbox("Client", list(names), format_func=names.get)
st.download_button("Check-ins", data=functools.partial(csv_for, "checkins", viewer, client_id),
                   file_name=f"legday-checkins-{client_id}.csv", mime="text/csv", icon="🗒️")
st.download_button("Daily metrics", data=functools.partial(csv_for, "metrics", viewer, client_id),
                   file_name=f"legday-metrics-{client_id}.csv", mime="text/csv", icon="📈")

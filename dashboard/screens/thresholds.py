"""Thresholds behind the flags and the status rule; owners change them, seeing first
whose status a new value would change today."""

import streamlit as st

from dashboard import layout, session
from dashboard.formatting import dataframe, plain, rounded
from pipelines import metrics

viewer = session.viewer()
with session.database() as con:
    table = metrics.thresholds(con)

st.title("Thresholds")
layout.docs("docs/metrics.md", "what each threshold decides")
st.caption("The numbers behind every flag and status. They apply to all clients. "
           "What each term means: docs/glossary.md; the rules: docs/metrics.md.")
dataframe(
    rounded(table), hide_index=True,
    column_config={"name": "Threshold", "value": "Value", "default_value": "Default", "description": "Meaning"},
)

if not viewer.is_owner:
    st.info("Only an owner can change thresholds.")
    st.stop()

current = table.set_index("name")["value"]
name = st.selectbox("Threshold", list(table["name"]))
value = st.number_input("New value", value=float(current[name]), format="%.2f", key=f"threshold_value_{name}")

try:
    with session.database() as con:
        changes = metrics.threshold_preview(con, viewer, name, value)
except metrics.ThresholdError as error:
    st.error(plain(error))
    st.stop()

if value == current[name]:
    st.caption(f"{name} is {value:g} now.")
    st.stop()

st.info(f"With {name} = {value:g}, {metrics.change_summary(changes)}.", icon=":material/preview:")
if not changes.empty:
    dataframe(
        changes.drop(columns="client_id"), hide_index=True,
        column_config={"name": "Client", "status": "Status now", "status_then": "With the new value"},
    )
if st.button(f"Save {name} = {value:g}", type="primary"):
    try:
        with session.database() as con:
            metrics.set_threshold(con, viewer, name, value)
    except metrics.ThresholdError as error:
        st.error(plain(error))
    else:
        st.success(f"{name} is now {value:g}.")
        st.rerun()

"""Thresholds behind the flags and the status rule; owners change them."""

import streamlit as st

from dashboard import layout, session
from dashboard.formatting import plain
from pipelines import metrics

viewer = session.viewer()
with session.database() as con:
    table = metrics.thresholds(con)

st.title("Thresholds")
layout.docs("docs/metrics.md", "what each threshold decides")
st.caption("The numbers behind every flag and status. They apply to all clients.")
st.dataframe(table, hide_index=True)

if not viewer.is_owner:
    st.info("Only an owner can change thresholds.")
    st.stop()

name = st.selectbox("Threshold", list(table["name"]))
with st.form(f"threshold_{name}"):
    value = st.number_input("New value", value=float(table.set_index("name").loc[name, "value"]), format="%.2f")
    if st.form_submit_button("Save"):
        try:
            with session.database() as con:
                metrics.set_threshold(con, name, value)
        except ValueError as error:
            st.error(plain(error))
        else:
            st.success(f"{name} is now {value:g}.")
            st.rerun()

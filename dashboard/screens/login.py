"""Login: username and password; one generic message for any failure."""

import streamlit as st

from dashboard import session
from pipelines.access import login

st.title("legday")
st.caption("Recovery dashboard for personal trainers")

if reason := st.session_state.pop("logout_reason", None):
    st.info(reason)

with st.form("login"):
    username = st.text_input("Username", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Log in", type="primary")

if submitted:
    with session.database() as con:
        result = login(con, username, password)
    if result.viewer:
        session.log_in(result.viewer)
        st.rerun()
    elif result.wait_seconds:
        st.error(f"Too many failed attempts. Try again in {result.wait_seconds} s.")
    else:
        st.error("Username or password is not right.")

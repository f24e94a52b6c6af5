"""legday dashboard entry point: `streamlit run dashboard/app.py`."""

from __future__ import annotations

import logging

import duckdb
import streamlit as st

from dashboard import browser_scripts, layout, nav, session
from dashboard.formatting import database_problem, plain
from pipelines.db import DatabaseError, corrupt_error, is_damage
from pipelines.errors import LegdayError
from pipelines.settings import get_settings

st.set_page_config(page_title="legday", page_icon="🦵", layout="wide")
layout.apply()

if "t" in st.query_params or session.CHECKIN_CLIENT_KEY in st.session_state:
    navigation = st.navigation([nav.checkin.page()], position="hidden")
elif (viewer := session.current_viewer()) is None:
    navigation = st.navigation(nav.login_pages(), position="hidden")
    session.write_cookie()
else:
    navigation = st.navigation(nav.trainer_pages())
    session.write_cookie()
    browser_scripts.close_menu_after_a_choice()
    with st.sidebar:
        st.caption(f"Logged in as **{plain(viewer.name)}**{' (owner)' if viewer.is_owner else ''}")
        if st.button("Log out"):
            session.log_out()
            st.rerun()

try:
    navigation.run()
except (DatabaseError, duckdb.Error) as error:
    if not isinstance(error, DatabaseError) and not is_damage(error):
        raise
    detail = error if isinstance(error, DatabaseError) else corrupt_error(get_settings().db_path, error)
    logging.getLogger("legday").error("database unavailable: %s", detail)
    st.error(database_problem(error))
except LegdayError as error:  # a refusal a page did not handle itself: its words, no traceback
    message = str(error)
    st.error(plain(message[:1].upper() + message[1:]))

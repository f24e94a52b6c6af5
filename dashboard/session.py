"""Per-browser-session state: the logged-in viewer, inactivity timeout, database access."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from pipelines import db
from pipelines.access import Viewer
from pipelines.settings import get_settings

VIEWER_KEY = "viewer"
CHECKIN_CLIENT_KEY = "checkin_client"
LAST_ACTIVE_KEY = "last_active"


@contextmanager
def database() -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection: DuckDB allows one writing process per file, so the
    dashboard never holds the file between reruns and `legday ingest` can get in."""
    con = db.connect()
    try:
        yield con
    finally:
        con.close()


def current_viewer() -> Viewer | None:
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is None:
        return None
    timeout = get_settings().session_timeout_minutes * 60
    if time.time() - st.session_state.get(LAST_ACTIVE_KEY, 0) > timeout:
        log_out()
        st.session_state["logout_reason"] = "You were logged out after a period of inactivity."
        return None
    st.session_state[LAST_ACTIVE_KEY] = time.time()
    return viewer


def log_in(viewer: Viewer) -> None:
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[LAST_ACTIVE_KEY] = time.time()


def log_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def viewer() -> Viewer:
    """The logged-in viewer; pages behind the login call this."""
    current = current_viewer()
    if current is None:
        st.stop()
    return current

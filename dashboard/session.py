"""Per-browser-session state: the logged-in viewer, inactivity timeout, database access.

A login is kept in the `legday_session` cookie (see pipelines/trainer_sessions.py and
docs/reliability.md): a reload or a deep link opens a new Streamlit session, which
resumes the login from the cookie until it is revoked or times out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from dashboard import browser_scripts
from pipelines import access, clock, trainer_sessions, turns
from pipelines.access import Viewer
from pipelines.settings import get_settings

VIEWER_KEY = "viewer"
CHECKIN_CLIENT_KEY = "checkin_client"
LAST_ACTIVE_KEY = "last_active"
SESSION_ID_KEY = "session_id"
COOKIE_KEY = "cookie_action"
COOKIE_NAME = "legday_session"


# Every session of this dashboard process reaches the database through this one queue.
_DATABASE = turns.Shared()


@contextmanager
def database() -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one read or write: uses from all sessions take turns, and the
    file is let go between them whenever `legday` (ingest, backup …) is waiting for it."""
    with _DATABASE.use(get_settings()) as con:
        yield con


def _timeout() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().session_timeout_minutes)


def _cookie() -> str | None:
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) else None


def _resume_from_cookie() -> Viewer | None:
    session_id = _cookie()
    if not session_id:
        return None
    with database() as con:
        viewer = trainer_sessions.resume(con, session_id, _timeout())
    if viewer is not None:
        st.session_state[VIEWER_KEY] = viewer
        st.session_state[SESSION_ID_KEY] = session_id
        st.session_state[LAST_ACTIVE_KEY] = clock.now()
    return viewer


def current_viewer() -> Viewer | None:
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is None:
        return _resume_from_cookie()
    now = clock.now()
    last_active = st.session_state.get(LAST_ACTIVE_KEY, dt.datetime.min)
    if now - last_active > _timeout():
        log_out()
        st.session_state["logout_reason"] = "You were logged out after a period of inactivity."
        return None
    session_id = st.session_state.get(SESSION_ID_KEY)
    if session_id and now - last_active >= trainer_sessions.TOUCH_EVERY:
        with database() as con:
            trainer_sessions.touch(con, session_id)
    st.session_state[LAST_ACTIVE_KEY] = now
    return viewer


def log_in(viewer: Viewer) -> None:
    with database() as con:
        session_id = trainer_sessions.start(con, viewer.trainer_id)
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[SESSION_ID_KEY] = session_id
    st.session_state[LAST_ACTIVE_KEY] = clock.now()
    st.session_state[COOKIE_KEY] = session_id


def log_out() -> None:
    """Forget the login here, revoke it in the database and clear the browser's cookie."""
    session_id = st.session_state.get(SESSION_ID_KEY) or _cookie()
    if session_id:
        with database() as con:
            trainer_sessions.revoke(con, session_id)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_KEY] = ""


def write_cookie() -> None:
    """Hand a new login to the browser, or clear it after log out (Streamlit cannot
    set cookies from Python, so a fixed script does)."""
    if (value := st.session_state.pop(COOKIE_KEY, None)) is not None:
        browser_scripts.set_cookie(COOKIE_NAME, value)


def viewer() -> Viewer:
    """The logged-in viewer; pages behind the login call this."""
    current = current_viewer()
    if current is None:
        st.stop()
    return current


def link_viewer() -> Viewer:
    """The viewer of the check-in page: the client its link was found valid for."""
    return access.link_viewer(st.session_state[CHECKIN_CLIENT_KEY])

"""Dashboard logins that survive a page reload.

Logging in creates a session: a 256-bit random id the browser keeps in a cookie,
stored here only as its SHA-256 next to the trainer, the creation time and the
last activity. A reload (or a deep link opened in the same browser) sends the
cookie, and `resume` turns it back into the trainer while the session is live:
not revoked, the trainer still active, and the last activity no older than the
inactivity timeout. Logging out revokes the row, so a copied cookie stops
working at once; times are real UTC clock times, never the as-of date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import duckdb

from pipelines import clock
from pipelines.access import Viewer
from pipelines.db import transaction

# Activity is written back at most this often, so a rerun does not always write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(con: duckdb.DuckDBPyConnection, trainer_id: str) -> str:
    """A new session id for a trainer who just logged in (return it to the browser only)."""
    session_id = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction(con):
        con.execute(
            "insert into trainer_sessions (session_hash, trainer_id, created_at, last_active_at) "
            "values (?, ?, ?, ?)",
            [_hash(session_id), trainer_id, now, now],
        )
    return session_id


def resume(con: duckdb.DuckDBPyConnection, session_id: str | None, timeout: dt.timedelta) -> Viewer | None:
    """The trainer of a live session (and its activity refreshed), or None."""
    if not isinstance(session_id, str) or not 20 <= len(session_id) <= 100:
        return None
    now = clock.now()
    row = con.execute(
        "select trainers.trainer_id, trainers.name, trainers.is_owner, trainer_sessions.last_active_at "
        "from trainer_sessions join trainers using (trainer_id) "
        "where session_hash = ? and revoked_at is null and trainers.active and last_active_at > ?",
        [_hash(session_id), now - timeout],
    ).fetchone()
    if row is None:
        return None
    trainer_id, name, is_owner, last_active = row
    if now - last_active >= TOUCH_EVERY:
        touch(con, session_id, now)
    return Viewer(trainer_id, name, is_owner)


def touch(con: duckdb.DuckDBPyConnection, session_id: str, now: dt.datetime | None = None) -> None:
    """Record activity on a live session."""
    with transaction(con):
        con.execute(
            "update trainer_sessions set last_active_at = ? where session_hash = ? and revoked_at is null",
            [now or clock.now(), _hash(session_id)],
        )


def revoke(con: duckdb.DuckDBPyConnection, session_id: str | None) -> None:
    """End a session for good (log out); unknown ids are ignored."""
    if not session_id:
        return
    with transaction(con):
        con.execute(
            "update trainer_sessions set revoked_at = ? where session_hash = ? and revoked_at is null",
            [clock.now(), _hash(session_id)],
        )

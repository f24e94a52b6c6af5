"""Who may see what. Every dashboard data call goes through a Viewer.

A trainer sees only their own clients; an owner sees all. The checks live here,
in the data functions, so a page (or a crafted query parameter) cannot skip them.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass
from functools import cache

import duckdb

from pipelines.auth import hash_password, verify_password
from pipelines.db import transaction
from pipelines.errors import LegdayError

# Failed logins before the backoff starts, and its ceiling: 2 s, 4 s, ... 60 s.
FREE_FAILURES = 3
MAX_BACKOFF_SECONDS = 60
FAILURE_WINDOW = dt.timedelta(minutes=15)

# Deciding whether a login may try and recording the try are one step under this lock, so
# logins arriving together cannot all read "no failures yet". The recording is done in the
# caller's connection, which also holds DuckDB's file lock against other processes.
_CLAIM_LOCK = threading.Lock()


class AccessDenied(LegdayError, PermissionError):
    """The viewer may not see or change this; the message reveals nothing more."""


@dataclass(frozen=True)
class Viewer:
    trainer_id: str
    name: str
    is_owner: bool

    @property
    def scope(self) -> str | None:
        """The trainer filter for data functions: None means every trainer (owner)."""
        return None if self.is_owner else self.trainer_id


@dataclass(frozen=True)
class LoginResult:
    viewer: Viewer | None
    wait_seconds: int = 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def login_wait_seconds(con: duckdb.DuckDBPyConnection, trainer_id: str) -> int:
    """Seconds until this login name may try again (0 = now)."""
    failures, last = con.execute(
        "select count(*), max(logged_at) from login_attempts "
        "where trainer_id = ? and not ok and logged_at > ? "
        "and logged_at > coalesce((select max(logged_at) from login_attempts where trainer_id = ? and ok), timestamp '1970-01-01')",
        [trainer_id, _now() - FAILURE_WINDOW, trainer_id],
    ).fetchone()
    if failures < FREE_FAILURES:
        return 0
    backoff = min(2 ** (failures - FREE_FAILURES + 1), MAX_BACKOFF_SECONDS)
    remaining = backoff - (_now() - last).total_seconds()
    return max(0, int(remaining + 0.999))


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def login(con: duckdb.DuckDBPyConnection, trainer_id: str, password: str) -> LoginResult:
    """Check a password; unknown names and wrong passwords look the same to the caller and
    take the same time (one argon2 check each).

    Each try is recorded as a failure before the password is checked (and marked ok if it
    matches), under a lock, so at most FREE_FAILURES tries get a check however many arrive
    at once."""
    trainer_id = (trainer_id or "").strip()
    with _CLAIM_LOCK:
        wait = login_wait_seconds(con, trainer_id)
        if wait:
            return LoginResult(None, wait)
        tried_at = _now()
        con.execute(
            "insert into login_attempts (trainer_id, logged_at, ok) values (?, ?, false)", [trainer_id, tried_at]
        )
    row = con.execute(
        "select name, password_hash, is_owner from trainers where trainer_id = ? and active",
        [trainer_id],
    ).fetchone()
    ok, new_hash = verify_password(row[1] if row else _dummy_hash(), password)
    ok = ok and row is not None
    if ok:
        with transaction(con):
            con.execute(
                "update login_attempts set ok = true where trainer_id = ? and logged_at = ?", [trainer_id, tried_at]
            )
            if new_hash:
                con.execute("update trainers set password_hash = ? where trainer_id = ?", [new_hash, trainer_id])
    return LoginResult(Viewer(trainer_id, row[0], row[2]) if ok else None)


def visible_client_ids(con: duckdb.DuckDBPyConnection, viewer: Viewer, *, active_only: bool = False) -> set[str]:
    rows = con.execute(
        "select client_id from clients where (? is null or trainer_id = ?) and (active or not ?)",
        [viewer.scope, viewer.scope, active_only],
    ).fetchall()
    return {row[0] for row in rows}


def require_client(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str | None) -> str:
    """The client id when the viewer may see it; AccessDenied otherwise (unknown ids too)."""
    return require_client_in_scope(con, viewer.scope, client_id)


def require_client_in_scope(con: duckdb.DuckDBPyConnection, scope: str | None, client_id: str | None) -> str:
    """Like require_client for a trainer scope (None = owner, every client)."""
    row = con.execute("select trainer_id from clients where client_id = ?", [client_id or ""]).fetchone()
    if row is None or not (scope is None or row[0] == scope):
        raise AccessDenied("No such client in your list.")
    return client_id


def require_owner(viewer: Viewer) -> None:
    if not viewer.is_owner:
        raise AccessDenied("Only an owner can do this.")


def trainers(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[tuple[str, str]]:
    """(trainer_id, name) pairs the viewer may assign clients to or filter by."""
    return con.execute(
        "select trainer_id, name from trainers where active and (? is null or trainer_id = ?) order by name",
        [viewer.scope, viewer.scope],
    ).fetchall()


def client_list(con: duckdb.DuckDBPyConnection, viewer: Viewer):
    """The viewer's clients with their trainer and link state, for the admin page."""
    return con.execute(
        """
        select
            clients.client_id,
            clients.name,
            trainers.name as trainer,
            clients.trainer_id,
            clients.since,
            clients.active,
            links.expires_at as link_expires,
            (select max(checkin_date) from check_ins where check_ins.client_id = clients.client_id) as last_checkin
        from clients
        join trainers using (trainer_id)
        left join (
            select client_id, max(expires_at) as expires_at
            from client_tokens
            where revoked_at is null and expires_at > ?
            group by client_id
        ) as links using (client_id)
        where ? is null or clients.trainer_id = ?
        order by clients.active desc, clients.name
        """,
        [_now(), viewer.scope, viewer.scope],
    ).df()


def require_session(con: duckdb.DuckDBPyConnection, viewer: Viewer, session_id: int) -> str:
    """The planned session's client id when the viewer may see that client."""
    row = con.execute("select client_id from sessions where session_id = ?", [session_id]).fetchone()
    if row is None:
        raise AccessDenied("No such session in your list.")
    return require_client(con, viewer, row[0])

"""Who may see what: every data function that touches a client takes a Viewer.

A trainer sees only their own clients; an owner sees all; a client's check-in link sees
exactly its own client. Each data function in `pipelines/` checks its viewer first (with
`require_client`, `require_clients`, `require_session` or `require_owner` from here), so
a page, a CLI command or a crafted query parameter cannot skip the check. The rule is
written out in docs/design.md ("Access"); tests/test_access_walk.py calls every such
function with a client of another trainer and expects AccessDenied.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import duckdb

from pipelines import clock
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


# The viewer of the command line when no --as names a trainer: whoever runs `legday` on
# the machine holds the database file, so it acts as an owner, logged as "cli".
CLI_ACTOR = "cli"
LINK_ACTOR = "client:"  # a check-in link acts as "client:<client_id>" in logs and runs


@dataclass(frozen=True)
class Viewer:
    """Who is asking: `trainer_id` is also the name written in audit rows (created_by).
    `client_id` is set only for a client's own check-in link, which sees that client alone."""

    trainer_id: str
    name: str
    is_owner: bool
    client_id: str | None = None

    @property
    def scope(self) -> str | None:
        """The trainer filter for data functions: None means every trainer (owner)."""
        if self.client_id is not None:
            raise AccessDenied("A check-in link sees only its own client.")
        return None if self.is_owner else self.trainer_id


def link_viewer(client_id: str) -> Viewer:
    """The viewer a valid check-in link stands for (tokens.resolve_token found the client)."""
    return Viewer(f"{LINK_ACTOR}{client_id}", client_id, False, client_id)


COMMAND_LINE = Viewer(CLI_ACTOR, "command line", True)


def command_line_viewer(con: duckdb.DuckDBPyConnection, trainer_id: str | None) -> Viewer:
    """The CLI's viewer: the named active trainer (`legday --as sam`), else the machine's
    owner, COMMAND_LINE ("cli"), who sees every client."""
    if trainer_id is None:
        return COMMAND_LINE
    row = con.execute("select name, is_owner from trainers where trainer_id = ? and active", [trainer_id]).fetchone()
    if row is None:
        raise AccessDenied(f"--as {trainer_id}: no active trainer by that login name.")
    return Viewer(trainer_id, row[0], row[1])


@dataclass(frozen=True)
class LoginResult:
    viewer: Viewer | None
    wait_seconds: int = 0


def login_wait_seconds(con: duckdb.DuckDBPyConnection, trainer_id: str) -> int:
    """Seconds until this login name may try again (0 = now)."""
    failures, last = con.execute(
        "select count(*), max(logged_at) from login_attempts "
        "where trainer_id = ? and not ok and logged_at > ? "
        "and logged_at > coalesce((select max(logged_at) from login_attempts where trainer_id = ? and ok), timestamp '1970-01-01')",
        [trainer_id, clock.now() - FAILURE_WINDOW, trainer_id],
    ).fetchone()
    if failures < FREE_FAILURES:
        return 0
    backoff = min(2 ** (failures - FREE_FAILURES + 1), MAX_BACKOFF_SECONDS)
    remaining = backoff - (clock.now() - last).total_seconds()
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
        tried_at = clock.now()
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


def require_client(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str | None, unknown: Callable[[str], Exception] = AccessDenied
) -> str:
    """The client id when the viewer may see it; AccessDenied otherwise (see require_clients)."""
    require_clients(con, viewer, [client_id], unknown)
    return client_id


def require_clients(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_ids, unknown: Callable[[str], Exception] = AccessDenied
) -> list[str]:
    """The client ids (as a list) when the viewer may see every one. A trainer (or a link)
    gets AccessDenied "No such client in your list." for a client of someone else and an
    unknown id alike, so a refusal never tells whether someone is a client; an owner, who
    sees every client, is told `unknown client 'x'` as the caller's own error (`unknown`)."""
    wanted = sorted({client_id or "" for client_id in client_ids})
    scope = None if viewer.client_id is not None else viewer.scope
    found = con.execute(
        "select client_id from clients where list_contains(?, client_id) and (? is null or trainer_id = ?)",
        [wanted, scope, scope],
    ).fetchall()
    missing = sorted(set(wanted) - {row[0] for row in found})
    if viewer.client_id is not None and wanted not in ([], [viewer.client_id]):
        missing = missing or wanted
    if missing and viewer.is_owner:
        raise unknown(f"unknown client {missing[0]!r}")
    if missing:
        raise AccessDenied("No such client in your list.")
    return list(client_ids)


def require_owner(viewer: Viewer) -> None:
    """Owner-only actions (thresholds, adding trainers, moving or importing clients) call this first."""
    if not viewer.is_owner:
        raise AccessDenied("Only an owner can do this.")


def require_trainer(viewer: Viewer) -> None:
    """Actions for a logged-in trainer or owner; a check-in link is refused."""
    if viewer.client_id is not None:
        raise AccessDenied("A check-in link sees only its own client.")


def require_session(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, session_id: int, unknown: Callable[[str], Exception] = AccessDenied
) -> str:
    """The planned session's client id when the viewer may see that client (an owner is
    told `unknown session N` as `unknown`, like require_clients)."""
    row = con.execute("select client_id from sessions where session_id = ?", [session_id]).fetchone()
    if row is None and viewer.is_owner:
        raise unknown(f"unknown session {session_id}")
    if row is None:
        raise AccessDenied("No such session in your list.")
    return require_client(con, viewer, row[0])


def trainer_filter(viewer: Viewer, trainer_id: str | None) -> str | None:
    """The trainer a list is limited to: the one asked for (an owner may name anyone, a
    trainer only themselves), else the viewer's own scope (None = every trainer)."""
    scope = viewer.scope
    if trainer_id is None:
        return scope
    if scope is not None and trainer_id != scope:
        raise AccessDenied("No such trainer in your list.")
    return trainer_id

"""Keeps client_day_load and client_recent_load equal to a fresh computation.

The EWMA on any day depends on a client's whole history, and every metric on trailing
windows, so the views read them from these tables instead of recomputing years of data
for every roster. Every write that changes check-ins or sessions calls `refresh` inside
its own transaction; `migrate` rebuilds both tables when their derivation (the files in
sql/derived/ and the macros and staging views they read) has changed.

`refresh` first brings the clients' check-in sessions into done_sessions (source
'check-in', one row per check-in that reports a session), so every check-in writer keeps
them in step by the call it already makes: a check-in stored anew (a new recorded_at)
replaces its session row, the old one going to done_session_history; a row a trainer
corrected or removed stays as the trainer left it until the client's check-in changes.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from pipelines import sql_layers

# table -> the select that derives its rows for $clients, in the order they are filled
_DERIVED = {table: sql_layers.read("derived", table) for table in sql_layers.DERIVED}
# stored in schema_meta under 'client_day_load' by the derivation that filled the tables
DIGEST = sql_layers.digest(sql_layers.derived_source())


# The check-in session rows of $clients whose check-in is gone or was stored anew (or, for a
# row no trainer touched, whose check-in now says otherwise). Each subquery repeats the
# $clients filter: DuckDB runs (not) exists as a join whose hash table is built from the
# whole subquery, so without it one client's check-in read every client's rows.
_STALE_CHECKIN_SESSIONS = """
from done_sessions
where source = 'check-in'
    and ($clients is null or list_contains($clients, client_id))
    and not exists (
        select 1 from check_ins
        where ($clients is null or list_contains($clients, check_ins.client_id))
            and check_ins.client_id = done_sessions.client_id
            and check_ins.checkin_date = done_sessions.session_date
            and check_ins.recorded_at = done_sessions.checkin_recorded_at
            and check_ins.session_type <> 'none'
            and (
                done_sessions.corrected_at is not null
                or done_sessions.removed_at is not null
                or (
                    check_ins.session_type = done_sessions.session_type
                    and check_ins.session_minutes is not distinct from done_sessions.minutes
                    and check_ins.session_rpe is not distinct from done_sessions.rpe
                )
            )
    )
"""

_ANY_STALE_CHECKIN_SESSION = "select exists (select 1 " + _STALE_CHECKIN_SESSIONS + ")"
_KEEP_STALE_CHECKIN_SESSIONS = (
    "insert into done_session_history by name "
    "select * exclude (planned_session_id, checkin_recorded_at, run_id, line_number, created_by, created_at, "
    "corrected_at, removed_at), 'check-in changed' as change, 'the client stored the check-in again' as reason, "
    "'check-in' as changed_by " + _STALE_CHECKIN_SESSIONS
)
_DELETE_STALE_CHECKIN_SESSIONS = "delete " + _STALE_CHECKIN_SESSIONS
_ADD_CHECKIN_SESSIONS = """
    insert into done_sessions (
        client_id, session_date, session_type, minutes, rpe, load, source, checkin_recorded_at, run_id,
        created_by, created_at
    )
    select
        client_id, checkin_date, session_type, session_minutes, session_rpe, session_rpe * session_minutes,
        'check-in', recorded_at, run_id, 'check-in', recorded_at
    from check_ins
    where session_type <> 'none'
        and ($clients is null or list_contains($clients, client_id))
        and not exists (
            select 1 from done_sessions
            where ($clients is null or list_contains($clients, done_sessions.client_id))
                and done_sessions.source = 'check-in'
                and done_sessions.client_id = check_ins.client_id
                and done_sessions.session_date = check_ins.checkin_date
        )
    order by client_id, checkin_date
"""


def sync_checkin_sessions(con: duckdb.DuckDBPyConnection, clients: list[str] | None) -> None:
    """Make the clients' check-in session rows match their stored check-ins. Moving stale
    rows to history takes two statements that each find them again; a new check-in (most
    writes) has none, so one cheaper question skips both (every statement is planned anew)."""
    params = {"clients": clients}
    if con.execute(_ANY_STALE_CHECKIN_SESSION, params).fetchone()[0]:
        con.execute(_KEEP_STALE_CHECKIN_SESSIONS, params)
        con.execute(_DELETE_STALE_CHECKIN_SESSIONS, params)
    con.execute(_ADD_CHECKIN_SESSIONS, params)


# Calendar days of rows one statement derives, at most (a single client's are never
# split). Each statement's windows hold all its rows in memory: an import touching all
# 10,000 clients of a 10,000 x 365 file peaked at 2,463 MiB in one statement, 1,316 MiB
# in blocks of 2,000 clients (about 730,000 days), in about the same time
# (docs/benchmarks.md, fifth round). Counted in days, not clients: memory grows with rows.
REFRESH_BLOCK_DAYS = 730_000

# Each client's calendar days, about: from the first check-in to 29 days after the last.
_CLIENT_DAYS = """
select client_id, max(checkin_date) - min(checkin_date) + 30 as days
from check_ins
where $clients is null or list_contains($clients, client_id)
group by client_id
order by client_id
"""


def _blocks(con: duckdb.DuckDBPyConnection, clients: list[str] | None) -> list[list[str]]:
    """The clients with check-ins (only they have rows), in blocks of at most
    REFRESH_BLOCK_DAYS calendar days, or one client."""
    if clients is not None and len(clients) == 1:
        return [clients]
    blocks: list[list[str]] = [[]]
    days_in_block = 0
    for client_id, days in con.execute(_CLIENT_DAYS, {"clients": clients}).fetchall():
        if blocks[-1] and days_in_block + days > REFRESH_BLOCK_DAYS:
            blocks.append([])
            days_in_block = 0
        blocks[-1].append(client_id)
        days_in_block += days
    return [block for block in blocks if block]


def refresh(con: duckdb.DuckDBPyConnection, client_ids: Iterable[str] | None = None) -> None:
    """Bring the check-in sessions of the given clients (all clients when None) into
    done_sessions, then recompute their rows, a block of clients per statement."""
    clients = None if client_ids is None else sorted(set(client_ids))
    if clients == []:
        return
    sync_checkin_sessions(con, clients)
    for table in _DERIVED:
        if clients is None:
            con.execute(f"delete from {table}")  # noqa: S608 - our table names
        else:
            con.execute(f"delete from {table} where list_contains(?, client_id)", [clients])  # noqa: S608
    for block in _blocks(con, clients):
        for table, select in _DERIVED.items():
            con.execute(f"insert into {table} by name {select}", {"clients": block})  # noqa: S608 - SQL text from sql/, values bound


def rebuild_if_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild every client's rows when they were stored by another derivation."""
    stored = con.execute("select value from schema_meta where key = 'client_day_load'").fetchone()
    if stored is not None and stored[0] == DIGEST:
        return False
    refresh(con)
    con.execute("insert or replace into schema_meta values ('client_day_load', ?)", [DIGEST])
    return True

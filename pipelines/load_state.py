"""Keeps client_day_load and client_recent_load equal to a fresh computation.

The EWMA on any day depends on a client's whole history, and every metric on trailing
windows, so the views read them from these tables instead of recomputing years of data
for every roster. Every write that changes check-ins or sessions calls `refresh` inside
its own transaction; `migrate` rebuilds both tables when their derivation (the files in
sql/derived/) has changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb

from pipelines.db import SQL_DIR

# table -> the select that derives its rows for $clients, in the order they are filled
_DERIVED = {
    table: (SQL_DIR / "derived" / f"{table}.sql").read_text() for table in ("client_day_load", "client_recent_load")
}
_DIGEST = hashlib.sha256("".join(_DERIVED.values()).encode()).hexdigest()


def refresh(con: duckdb.DuckDBPyConnection, client_ids: Iterable[str] | None = None) -> None:
    """Recompute the rows of the given clients (all clients when None)."""
    clients = None if client_ids is None else sorted(set(client_ids))
    if clients == []:
        return
    for table, select in _DERIVED.items():
        if clients is None:
            con.execute(f"delete from {table}")  # noqa: S608 - our table names
        else:
            con.execute(f"delete from {table} where list_contains(?, client_id)", [clients])  # noqa: S608
        con.execute(f"insert into {table} by name {select}", {"clients": clients})  # noqa: S608 - SQL text from sql/, values bound


def rebuild_if_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild every client's rows when they were stored by another derivation."""
    stored = con.execute("select value from schema_meta where key = 'client_day_load'").fetchone()
    if stored is not None and stored[0] == _DIGEST:
        return False
    refresh(con)
    con.execute("insert or replace into schema_meta values ('client_day_load', ?)", [_DIGEST])
    return True

"""Keeps client_day_load and client_recent_load equal to a fresh computation.

The EWMA on any day depends on a client's whole history, and every metric on trailing
windows, so the views read them from these tables instead of recomputing years of data
for every roster. Every write that changes check-ins or sessions calls `refresh` inside
its own transaction; `migrate` rebuilds both tables when their derivation (the files in
sql/derived/ and the macros and staging views they read) has changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from pipelines import sql_layers

# table -> the select that derives its rows for $clients, in the order they are filled
_DERIVED = {table: sql_layers.read("derived", table) for table in sql_layers.DERIVED}
_DIGEST = sql_layers.digest(sql_layers.derived_source())


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

"""Keeps client_day_load (daily load + EWMAs) equal to a fresh computation.

The EWMA on any day depends on a client's whole history, so the views read it from
this table instead of recomputing years of data for every roster. Every write that
changes check-ins calls `refresh` inside its own transaction; `migrate` rebuilds the
whole table when its derivation (sql/derived/client_day_load.sql) has changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb

from pipelines.db import SQL_DIR

_SELECT = (SQL_DIR / "derived" / "client_day_load.sql").read_text()
_DIGEST = hashlib.sha256(_SELECT.encode()).hexdigest()


def refresh(con: duckdb.DuckDBPyConnection, client_ids: Iterable[str] | None = None) -> None:
    """Recompute the rows of the given clients (all clients when None)."""
    clients = None if client_ids is None else sorted(set(client_ids))
    if clients == []:
        return
    if clients is None:
        con.execute("delete from client_day_load")
    else:
        con.execute("delete from client_day_load where list_contains(?, client_id)", [clients])
    con.execute(f"insert into client_day_load {_SELECT}", {"clients": clients})  # noqa: S608 - SQL text from sql/, values bound


def rebuild_if_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild every client's rows when they were stored by another derivation."""
    stored = con.execute("select value from schema_meta where key = 'client_day_load'").fetchone()
    if stored is not None and stored[0] == _DIGEST:
        return False
    refresh(con)
    con.execute("insert or replace into schema_meta values ('client_day_load', ?)", [_DIGEST])
    return True

"""The audit log's one writer: who did what to which subject, in the write's transaction."""

from __future__ import annotations

import duckdb

from pipelines.db import transaction


def record(con: duckdb.DuckDBPyConnection, actor: str | None, action: str, subject: str) -> None:
    """One audit_log row; called inside the write's own transaction (which it joins) so
    both stand or fall, or alone as its own transaction."""
    with transaction(con):
        con.execute("insert into audit_log (actor, action, subject) values (?, ?, ?)", [actor, action, subject])

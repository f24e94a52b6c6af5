"""The audit log's one writer: who did what to which subject, inside the caller's transaction."""

from __future__ import annotations

import duckdb


def record(con: duckdb.DuckDBPyConnection, actor: str | None, action: str, subject: str) -> None:
    """One audit_log row; call it inside the write's own transaction so both stand or fall."""
    con.execute("insert into audit_log (actor, action, subject) values (?, ?, ?)", [actor, action, subject])

"""Everything stored about one client: export it as a zip, or delete it for good."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import duckdb

from pipelines import backup
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.export import to_csv_bytes
from pipelines.files import write_atomic

# Each table holding a client's data, in deletion order (children first), with the
# condition selecting that client's rows. A test checks every table with a client_id
# column is listed.
CLIENT_ROWS = {
    "plan_items": "plan_id in (select plan_id from plans where client_id = $client)",
    "plans": "client_id = $client",
    "status_overrides": "client_id = $client",
    "sessions": "client_id = $client",
    "quarantine": "client_id = $client",
    "client_tokens": "client_id = $client",
    "check_in_history": "client_id = $client",
    "client_recent_load": "client_id = $client",
    "client_day_load": "client_id = $client",
    "check_ins": "client_id = $client",
    "client_contacts": "client_id = $client",
    "clients": "client_id = $client",
}

# The link's hash is a credential, not the client's data.
EXPORT_COLUMNS = {"client_tokens": "* exclude (token_hash)"}


class UnknownClient(LegdayError, LookupError):
    pass


def _require(con: duckdb.DuckDBPyConnection, client_id: str) -> None:
    if not con.execute("select 1 from clients where client_id = ?", [client_id]).fetchone():
        raise UnknownClient(f"unknown client {client_id!r}")


def export_client(con: duckdb.DuckDBPyConnection, client_id: str) -> bytes:
    """A zip with one CSV per table of everything stored about the client."""
    _require(con, client_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, condition in reversed(CLIENT_ROWS.items()):
            columns = EXPORT_COLUMNS.get(table, "*")
            query = f"select {columns} from {table} where {condition} order by all"  # noqa: S608 - constants
            frame = con.execute(query, {"client": client_id}).df()
            archive.writestr(f"{table}.csv", to_csv_bytes(frame))
    return buffer.getvalue()


def write_client_export(con: duckdb.DuckDBPyConnection, client_id: str, out: Path) -> Path:
    return write_atomic(out, export_client(con, client_id))


def delete_client(con: duckdb.DuckDBPyConnection, client_id: str, *, by: str | None) -> dict[str, int]:
    """Remove the client from every table in one transaction, log it, then compact the
    file so the deleted values are gone from disk. Close `con` afterwards."""
    counts = {}
    with transaction(con):
        _require(con, client_id)
        for table, condition in CLIENT_ROWS.items():
            deleted = con.execute(
                f"delete from {table} where {condition} returning 1",  # noqa: S608 - constants
                {"client": client_id},
            ).fetchall()
            counts[table] = len(deleted)
        con.execute(
            "insert into audit_log (actor, action, subject) values (?, 'client deleted', ?)",
            [by, client_id],
        )
    backup.compact(con)
    return counts

"""Everything stored about one client: export it as a zip, or delete it for good."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import duckdb

from pipelines import access, audit
from pipelines.access import Viewer
from pipelines.db import DatabaseError, patiently, transaction
from pipelines.errors import LegdayError
from pipelines.files import write_atomic

# Each table holding a client's data, in deletion order (children first), with the
# condition selecting that client's rows. A test checks every table with a client_id
# column is listed.
CLIENT_ROWS = {
    "plan_items": "plan_id in (select plan_id from plans where client_id = $client)",
    "plans": "client_id = $client",
    "status_overrides": "client_id = $client",
    "done_session_history": "client_id = $client",
    "done_sessions": "client_id = $client",
    "sessions": "client_id = $client",
    "quarantine": "client_id = $client",
    "client_tokens": "client_id = $client",
    "answer_notes": "client_id = $client",
    "check_in_history": "client_id = $client",
    "client_recent_load": "client_id = $client",
    "client_day_load": "client_id = $client",
    "check_ins": "client_id = $client",
    "client_contacts": "client_id = $client",
    "clients": "client_id = $client",
}

# The link's hash is a credential, not the client's data.
EXPORT_COLUMNS = {"client_tokens": "* exclude (token_hash)"}


# Tables made to take up the file's free blocks (overwriting what they held), then dropped.
FILLER = "legday_erasure_filler"
FILL_ROUNDS = 12


class UnknownClient(LegdayError, LookupError):
    """A client id an owner named that is not in the database."""


class ErasureUnfinished(DatabaseError):
    """The rows are deleted; overwriting their bytes in the file is still to do."""


def export_client(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> bytes:
    """A zip with one CSV per table of everything stored about the client."""
    from pipelines.export import to_csv_bytes  # pandas: every writable open imports this module

    access.require_client(con, viewer, client_id, UnknownClient)
    access.require_trainer(viewer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, condition in reversed(CLIENT_ROWS.items()):
            columns = EXPORT_COLUMNS.get(table, "*")
            query = f"select {columns} from {table} where {condition} order by all"  # noqa: S608 - constants
            frame = con.execute(query, {"client": client_id}).df()
            archive.writestr(f"{table}.csv", to_csv_bytes(frame))
    return buffer.getvalue()


def write_client_export(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, out: Path) -> Path:
    return write_atomic(out, export_client(con, viewer, client_id))


def delete_client(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> dict[str, int]:
    """Remove the client from every table in one transaction, logged as `client deleted`,
    then overwrite the deleted values in the file (`erase_pending`).

    Each table that held the client's rows is rewritten in the same transaction, so no
    block in use keeps a deleted row. Run again for a client whose erasure was cut short,
    it finishes the erasure (counts all 0); that needs an owner, as the client row that
    said whose client it was is gone."""
    access.require_trainer(viewer)
    counts = {}
    with transaction(con):
        if not con.execute("select 1 from clients where client_id = ?", [client_id]).fetchone():
            if client_id not in pending_erasures(con):
                access.require_client(con, viewer, client_id, UnknownClient)  # unknown: the same refusal as a foreign id
            access.require_owner(viewer)
        else:
            access.require_client(con, viewer, client_id, UnknownClient)
        for table, condition in CLIENT_ROWS.items():
            deleted = con.execute(
                f"delete from {table} where {condition} returning 1",  # noqa: S608 - constants
                {"client": client_id},
            ).fetchall()
            counts[table] = len(deleted)
            if deleted:
                _rewrite(con, table)
        if any(counts.values()):
            audit.record(con, viewer.trainer_id, "client deleted", client_id)
    erase_pending(con)
    return counts


def _rewrite(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Write the table's remaining rows anew: its old row groups, where the deleted rows'
    values still sit beside the kept ones, are all deleted and freed at the checkpoint."""
    con.execute(f"create temp table legday_keep as select * from {table}")  # noqa: S608 - constants
    con.execute(f"delete from {table}")  # noqa: S608
    con.execute(f"insert into {table} select * from legday_keep")  # noqa: S608
    con.execute("drop table legday_keep")


def pending_erasures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Clients deleted whose values may still be in the file's free blocks."""
    return [row[0] for row in con.execute(
        "select subject from audit_log where action in ('client deleted', 'client erased') group by subject "
        "having count(*) filter (action = 'client deleted') > count(*) filter (action = 'client erased') "
        "order by subject"
    ).fetchall()]


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write everything to the file and empty the WAL; retried while another write is open."""
    try:
        patiently(lambda: con.execute("checkpoint"),
                  retry_on=lambda error: "cannot checkpoint" in str(error).lower(), seconds=30)
    except duckdb.Error as error:
        raise ErasureUnfinished(
            "Another write kept the file busy, so the deleted values are overwritten the next "
            f"time the database opens ({str(error).splitlines()[0]})."
        ) from error


def _free_blocks(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute(
        "select free_blocks, block_size from pragma_database_size() where database_name = current_database()"
    ).fetchone()


def _drop_fillers(con: duckdb.DuckDBPyConnection) -> None:
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and table_name like ?",
        [f"{FILLER}%"],
    ).fetchall():
        con.execute(f'drop table "{name}"')  # noqa: S608 - our own filler tables


def erase_pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Overwrite what deleted clients left in the file, while the file stays open.

    A checkpoint writes the rewritten tables and frees the old blocks; tables of
    incompressible filler then take every free block (DuckDB reuses free blocks first),
    a checkpoint writes them over the old bytes, and they are dropped again. The erasure
    is logged as `client erased`; a kill at any point leaves it pending, and the next
    delete or the next writable open finishes it."""
    pending = pending_erasures(con)
    if not pending:
        return []
    _drop_fillers(con)
    _checkpoint(con)
    for round_ in range(FILL_ROUNDS):
        free, block_size = _free_blocks(con)
        if not free:
            break
        con.execute(  # 64 hex characters a row; a margin so compression cannot leave blocks over
            f"create table {FILLER}_{round_} as select md5(random()::text) || md5(random()::text) as x "  # noqa: S608
            "from range(?)",
            [free * block_size // 48 + 1024],
        )
        _checkpoint(con)
    if _free_blocks(con)[0]:
        raise ErasureUnfinished(
            f"Free blocks were left after {FILL_ROUNDS} rounds of filler; the deleted values are "
            "overwritten the next time the database opens."
        )
    _drop_fillers(con)
    with transaction(con):
        for client_id in pending:
            audit.record(con, None, "client erased", client_id)
    _checkpoint(con)
    return pending

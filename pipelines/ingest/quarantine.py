"""Listing quarantined rows and retrying them through the same validation."""

from __future__ import annotations

import json

import duckdb

from pipelines import access
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.ingest.mappings import canonical_mapping, mapping_from_key
from pipelines.ingest.outcome import RetryResult
from pipelines.ingest.sessions import SESSIONS_RUN_PREFIX
from pipelines.ingest.staging import quarantined_stage
from pipelines.ingest.store import (
    check_rows,
    close_run,
    drop_work_tables,
    open_run,
    requarantine_rows,
    upsert_valid,
)
from pipelines.settings import get_settings


def _scoped_clients(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, run_id: int | None, client_ids: set[str] | None
) -> set[str] | None:
    """The client filter the viewer may read under: a run shows whole to an owner and to
    the trainer who imported it (their own file, foreign ids included); otherwise the
    clients asked for (each checked) or, for a trainer, their own clients."""
    if run_id is not None:
        imported_by = con.execute("select imported_by from ingest_runs where run_id = ?", [run_id]).fetchone()
        if imported_by is None or not (viewer.is_owner or imported_by[0] == viewer.trainer_id):
            raise access.AccessDenied("No such import in your list.")
    if client_ids is not None:
        return set(access.require_clients(con, viewer, client_ids))
    if run_id is None and not viewer.is_owner:
        return access.visible_client_ids(con, viewer)
    return None


def list_quarantine(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    run_id: int | None = None,
    client_ids: set[str] | None = None,
    include_resolved: bool = False,
) -> list[dict]:
    """Quarantined rows the viewer may read (unresolved unless asked), oldest run first;
    raw_row is a dict."""
    client_ids = _scoped_clients(con, viewer, run_id, client_ids)
    cursor = con.execute(
        "select quarantine.quarantine_id, quarantine.run_id, ingest_runs.file_name, "
        "quarantine.line_number, quarantine.client_id, quarantine.field, quarantine.rule, "
        "quarantine.reason, quarantine.raw_row, quarantine.created_at, quarantine.resolved_at, "
        "quarantine.resolved_by_run, quarantine.checkin_date, quarantine.pain "
        "from quarantine inner join ingest_runs on ingest_runs.run_id = quarantine.run_id "
        "where ($run_id::bigint is null or quarantine.run_id = $run_id) "
        "and ($include_resolved or quarantine.resolved_at is null) "
        "and ($clients::text[] is null or list_contains($clients::text[], quarantine.client_id)) "
        "order by quarantine.run_id, quarantine.line_number",
        {
            "run_id": run_id,
            "include_resolved": include_resolved,
            "clients": None if client_ids is None else sorted(client_ids),
        },
    )
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["raw_row"] = json.loads(row["raw_row"])
    return rows


def list_answer_notes(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    run_id: int | None = None,
    client_ids: set[str] | None = None,
) -> list[dict]:
    """Answers stored empty because they could not be read (field notes) that the viewer
    may read (as list_quarantine), oldest run first."""
    client_ids = _scoped_clients(con, viewer, run_id, client_ids)
    cursor = con.execute(
        "select answer_notes.run_id, ingest_runs.file_name, answer_notes.line_number, answer_notes.client_id, "
        "answer_notes.checkin_date, answer_notes.field, answer_notes.rule, answer_notes.reason "
        "from answer_notes inner join ingest_runs on ingest_runs.run_id = answer_notes.run_id "
        "where ($run_id::bigint is null or answer_notes.run_id = $run_id) "
        "and ($clients::text[] is null or list_contains($clients::text[], answer_notes.client_id)) "
        "order by answer_notes.run_id, answer_notes.line_number, answer_notes.note_id",
        {"run_id": run_id, "clients": None if client_ids is None else sorted(client_ids)},
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _retry_batches(con: duckdb.DuckDBPyConnection, run_id: int | None) -> list[tuple]:
    # Held-back done sessions are not retried: the fixed file is imported again
    # (docs/done-sessions.md "Importing sessions").
    # Rows replaced by a later submission are retried too: superseded_rows.sql keeps them
    # held back while the later answer is stored, whatever order the runs are retried in.
    return con.execute(
        "select quarantine.run_id, list(quarantine.quarantine_id order by quarantine.quarantine_id), "
        "any_value(ingest_runs.mapping), any_value(ingest_runs.file_sha256), any_value(ingest_runs.file_name) "
        "from quarantine inner join ingest_runs on ingest_runs.run_id = quarantine.run_id "
        "where quarantine.resolved_at is null "
        "and ($run_id::bigint is null or quarantine.run_id = $run_id) "
        "and not starts_with(coalesce(ingest_runs.mapping, ''), $sessions) "
        "group by quarantine.run_id order by quarantine.run_id",
        {"run_id": run_id, "sessions": SESSIONS_RUN_PREFIX},
    ).fetchall()


def retry_quarantine(con: duckdb.DuckDBPyConnection, viewer: Viewer, run_id: int | None = None) -> RetryResult:
    """Validate unresolved quarantined rows again; store those that pass now. A trainer
    retries one run they imported (their rows for clients not theirs stay held back);
    every run at once needs an owner.

    Each original run is retried in its own transaction, recorded as a `retry` run.
    """
    access.require_trainer(viewer)
    if run_id is None:
        access.require_owner(viewer)
    _scoped_clients(con, viewer, run_id, None)
    allowed_client_ids = None if viewer.is_owner else access.visible_client_ids(con, viewer)
    result = RetryResult()
    for original_run, ids, mapping, file_sha256, file_name in _retry_batches(con, run_id):
        chosen = mapping_from_key(mapping) if mapping else canonical_mapping()
        try:
            with transaction(con):
                stage = quarantined_stage(con, ids)
                retry_run = open_run(
                    con,
                    file_sha256=file_sha256,
                    file_name=f"{file_name} (retry of run {original_run})",
                    source="retry",
                    mapping=mapping,
                    imported_by=viewer.trainer_id,
                )
                check_rows(
                    con, stage, chosen, file_name, today=get_settings().today(), source_run=original_run,
                    allowed_client_ids=allowed_client_ids, require_columns=False,
                )
                counts = {"quarantined": requarantine_rows(con, retry_run, ids)} | upsert_valid(con, retry_run, original_run)
                close_run(con, retry_run, counts, [])
        finally:
            drop_work_tables(con)
        result.run_ids.append(retry_run)
        result.retried += len(ids)
        for name in ("accepted", "updated", "unchanged", "quarantined", "noted"):
            setattr(result, name, getattr(result, name) + counts[name])
    return result

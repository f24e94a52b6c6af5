"""Listing quarantined rows and retrying them through the same validation."""

from __future__ import annotations

import json

import duckdb

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


def list_quarantine(
    con: duckdb.DuckDBPyConnection,
    run_id: int | None = None,
    client_ids: set[str] | None = None,
    include_resolved: bool = False,
) -> list[dict]:
    """Quarantined rows (unresolved unless asked), oldest run first; raw_row is a dict."""
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
    run_id: int | None = None,
    client_ids: set[str] | None = None,
) -> list[dict]:
    """Answers stored empty because they could not be read (field notes), oldest run first."""
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


def retry_quarantine(
    con: duckdb.DuckDBPyConnection,
    run_id: int | None = None,
    *,
    retried_by: str | None = None,
    allowed_client_ids: set[str] | None = None,
) -> RetryResult:
    """Validate unresolved quarantined rows again; store those that pass now.

    Each original run is retried in its own transaction, recorded as a `retry` run.
    """
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
                    imported_by=retried_by,
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

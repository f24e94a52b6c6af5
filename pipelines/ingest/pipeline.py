"""`ingest_file`: one file, one code path, one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines import access
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.ingest.mappings import choose_mapping
from pipelines.ingest.outcome import IngestResult
from pipelines.ingest.reading import decode, read_limited
from pipelines.ingest.sessions import holds_sessions, ingest_sessions
from pipelines.ingest.staging import staged_file
from pipelines.ingest.store import (
    check_rows,
    close_run,
    drop_work_tables,
    open_run,
    previous_run,
    quarantine_rows,
    upsert_valid,
)
from pipelines.settings import get_settings

# progress(stage, step, steps, rows) is called as each stage starts; rows is 0 until known.
Progress = Callable[[str, int, int, int], None]
STAGES = ("reading", "validating", "storing", "done")


def _no_progress(stage: str, step: int, steps: int, rows: int) -> None:
    return None


def settle_earlier_imports(con: duckdb.DuckDBPyConnection, run_id: int, file_sha256: str) -> None:
    """The same bytes read again (with a fixed mapping) read every line anew: the rows the
    earlier imports held back are resolved by this run, whose own held-back rows stand."""
    con.execute(
        "update quarantine set resolved_at = current_timestamp, resolved_by_run = $run_id "
        "where file_sha256 = $file_sha256 and run_id <> $run_id and resolved_at is null",
        {"run_id": run_id, "file_sha256": file_sha256},
    )


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    data: bytes | Path,
    *,
    file_name: str,
    mapping: str | None = None,
    client: str | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Ingest one CSV or JSON Lines file as the viewer; raises IngestRefused when the file
    is refused whole. A trainer's rows for clients not theirs are held back
    (not_your_client), so nothing is stored for another trainer's client.

    `file_name` only labels the run and messages; `data` is the bytes or a path to read.
    `mapping` is a mapping's name or FILE.json (None: the canonical columns); `client`
    gives every row that client (a file that is one person's).
    A mapping whose record is sessions (data/mappings/strava_activities.json, ...) makes it
    an import of done sessions (pipelines/ingest/sessions.py), for `client` when given.
    """
    access.require_trainer(viewer)
    if client is not None and not viewer.is_owner:  # an owner's unknown client is held back, row by row
        access.require_client(con, viewer, client)
    allowed_client_ids = None if viewer.is_owner else access.visible_client_ids(con, viewer)
    if holds_sessions(mapping):
        return ingest_sessions(
            con, data, file_name=file_name, mapping=mapping, client=client, imported_by=viewer.trainer_id,
            allowed_client_ids=allowed_client_ids,
        )
    settings = get_settings()
    report = progress or _no_progress
    steps = len(STAGES) - 1
    report(STAGES[0], 0, steps, 0)
    raw = read_limited(data, file_name, settings.max_file_mb)
    file_sha256 = hashlib.sha256(raw).hexdigest()
    chosen = choose_mapping(mapping, client)
    run_id = previous_run(con, file_sha256, chosen.key)
    if run_id is not None:
        return IngestResult(run_id, file_name, file_sha256, already_ingested=True)
    decoded = decode(raw, file_name)
    del raw  # the decoded text is what gets staged
    try:
        with staged_file(con, decoded, file_name) as (stage, _header):
            report(STAGES[1], 1, steps, 0)
            with transaction(con):
                run_id = open_run(
                    con,
                    file_sha256=file_sha256,
                    file_name=file_name,
                    source="form" if mapping else stage.source,
                    mapping=chosen.key,
                    encoding=decoded.encoding,
                    imported_by=viewer.trainer_id,
                )
                warnings = decoded.warnings + check_rows(
                    con, stage, chosen, file_name,
                    today=settings.today(), source_run=run_id, allowed_client_ids=allowed_client_ids,
                )
                rows = con.execute("select count(*) from checked_rows").fetchone()[0]
                if rows == 0:
                    warnings.append("the file has a header but no data rows")
                report(STAGES[2], 2, steps, rows)
                counts = {"quarantined": quarantine_rows(con, run_id, file_sha256, stage)}
                counts |= upsert_valid(con, run_id)
                settle_earlier_imports(con, run_id, file_sha256)
                close_run(con, run_id, counts, warnings)
    finally:
        drop_work_tables(con)
    report(STAGES[3], steps, steps, rows)
    return IngestResult(
        run_id, file_name, file_sha256, warnings=warnings, encoding=decoded.encoding, **counts
    )

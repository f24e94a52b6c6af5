"""The import page's steps: preview text, a run with progress, the held-back rows."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from pipelines import people
from pipelines.access import Viewer
from pipelines.ingest import (
    IngestRefused,
    IngestResult,
    ingest_file,
    list_answer_notes,
    list_quarantine,
)
from pipelines.ingest.mappings import Detected, detect_mapping
from pipelines.ingest.reading import csv_header, decode, is_json_lines

PREVIEW_LINES = 8


def preview(data: bytes, file_name: str) -> str:
    """The first lines as the import will read them (the ingest pipeline's own decoder),
    or why it will refuse the file."""
    try:
        text = decode(data, file_name).text
    except IngestRefused as error:
        return str(error)
    lines = text[: PREVIEW_LINES * 1000].splitlines()[:PREVIEW_LINES]
    return "\n".join(line[:200] for line in lines)


def one_person_choices(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, str]:
    """The viewer's active clients a one-person file can be for: id -> "Name (id)"."""
    clients = people.client_list(con, viewer)
    active = clients[clients["active"]]
    return {row.client_id: f"{row.name} ({row.client_id})" for row in active.itertuples()}


def detect(data: bytes, file_name: str, *, one_person: bool = False) -> Detected | None:
    """The mapping the file's header fits (None when none fits or the file cannot be read;
    the import itself then says why). A one-person file needs no client column."""
    try:
        text = decode(data, file_name).text
    except IngestRefused:
        return None
    if is_json_lines(text):
        try:
            first = json.loads(text.lstrip().split("\n", 1)[0])
        except json.JSONDecodeError:
            return None
        headers = list(first) if isinstance(first, dict) else []
    else:
        headers = csv_header(text)[0]
    return detect_mapping(headers, one_person=one_person)


def run(
    con, data: bytes, file_name: str, mapping: str | None, viewer: Viewer, bar, client: str | None = None
) -> IngestResult:
    def progress(stage: str, step: int, steps: int, rows: int) -> None:
        bar.progress(min(1.0, step / steps) if steps else 1.0, text=f"{stage} ({rows:,} rows)")

    return ingest_file(con, viewer, data, file_name=file_name, mapping=mapping, client=client, progress=progress)


def quarantined_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, run_id: int) -> pd.DataFrame:
    """Held-back rows of a run: a trainer sees the runs they imported, an owner every run."""
    return pd.DataFrame(list_quarantine(con, viewer, run_id=run_id))


def answer_notes(con: duckdb.DuckDBPyConnection, viewer: Viewer, run_id: int) -> pd.DataFrame:
    """A run's answers stored empty because they could not be read (same access as its held-back rows)."""
    return pd.DataFrame(list_answer_notes(con, viewer, run_id=run_id))

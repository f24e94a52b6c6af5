"""Builders for ingest tests: canonical rows, files in several encodings, table counts."""

from __future__ import annotations

import csv
import io

from pipelines.ingest.fields import FIELDS
from pipelines.ingest.mappings import load_mapping

TABLES = ("check_ins", "check_in_history", "ingest_runs", "quarantine", "client_day_load")


def checkin(**overrides) -> dict[str, str]:
    """A valid canonical row for client c2 (trainer sam) on 2026-11-19, as text."""
    row = {
        "client_id": "c2",
        "checkin_date": "2026-11-19",
        "soreness_quads": "3",
        "soreness_hamstrings": "2",
        "soreness_glutes": "1",
        "soreness_calves": "0",
        "sleep_hours": "7.5",
        "sleep_quality": "4",
        "energy": "4",
        "stress": "3",
        "mood": "4",
        "water_liters": "2",
        "ate_recovery_meal": "yes",
        "session_type": "legs",
        "session_minutes": "60",
        "session_rpe": "7",
        "pain": "false",
        "notes": "",
    }
    row.update({key: str(value) for key, value in overrides.items()})
    return row


def csv_text(rows: list[dict], *, delimiter: str = ",", header: list[str] | None = None, newline: str = "\n") -> str:
    out = io.StringIO()
    names = header or list(FIELDS)
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name.strip().lower(), "") for name in names])
    return out.getvalue()


def csv_bytes(rows: list[dict], **options) -> bytes:
    return csv_text(rows, **options).encode("utf-8")


def counts(con) -> dict[str, int]:
    return {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in TABLES}  # noqa: S608


def google_forms_bytes(rows: list[dict]) -> bytes:
    """Canonical rows as a Google Forms export (the google_forms mapping's questions); the
    Timestamp is a row's `timestamp`, else 9 AM on 2026-11-19."""
    mapping = load_mapping("google_forms")
    columns = {target: source.column for target, source in mapping.fields.items()}
    renamed = [
        {
            columns[target].lower(): value
            for target, value in (row | {"checkin_date": row.get("timestamp", "2026/11/19 9:00:00 AM")}).items()
            if target != "timestamp"
        }
        for row in rows
    ]
    return csv_bytes(renamed, header=list(columns.values()))

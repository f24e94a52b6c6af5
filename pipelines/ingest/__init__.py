"""Check-in ingestion: files (CSV, JSON Lines, named form mappings) into DuckDB."""

from pipelines.ingest.mappings import list_mappings
from pipelines.ingest.outcome import IngestRefused, IngestResult, RetryResult, UnknownMapping
from pipelines.ingest.pipeline import ingest_file
from pipelines.ingest.quarantine import list_answer_notes, list_quarantine, retry_quarantine

__all__ = [
    "IngestRefused",
    "IngestResult",
    "RetryResult",
    "UnknownMapping",
    "ingest_file",
    "list_answer_notes",
    "list_mappings",
    "list_quarantine",
    "retry_quarantine",
]

"""What an ingest returns or raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.errors import EXIT_USAGE, LegdayError


class IngestRefused(LegdayError):
    """The whole file was refused and nothing of it was written."""


class UnknownMapping(LegdayError, ValueError):
    """No mapping file by that name (a usage error, not a refused file)."""

    exit_code = EXIT_USAGE


@dataclass
class IngestResult:
    run_id: int | None
    file_name: str
    file_sha256: str
    already_ingested: bool = False
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    noted: int = 0
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    # A session file's stored rows without an RPE (new, updated or unchanged): their load
    # counts the type's default RPE, marked estimated (docs/done-sessions.md). None for a
    # check-in file.
    estimated: int | None = None

    @property
    def summary(self) -> str:
        if self.already_ingested:
            return f"{self.file_name}: already ingested (run {self.run_id}); nothing changed"
        line = (
            f"{self.file_name}: {self.accepted} accepted, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.quarantined} quarantined"
        )
        if self.noted:
            line += f"; {self.noted} stored with an answer left empty (see legday quarantine list --run {self.run_id})"
        if self.quarantined:
            line += f" (see legday quarantine list --run {self.run_id})"
        if self.estimated:
            line += f"; {self.estimated} without an RPE (load estimated from the type's default RPE)"
        return line


@dataclass
class RetryResult:
    """A `quarantine retry`: rows retried, stored now, and still held back."""

    run_ids: list[int] = field(default_factory=list)
    retried: int = 0
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    noted: int = 0

    @property
    def summary(self) -> str:
        stored = self.accepted + self.updated + self.unchanged
        return (
            f"retried {self.retried} quarantined rows: {stored} stored "
            f"({self.accepted} accepted, {self.updated} updated, {self.unchanged} unchanged), "
            f"{self.quarantined} still quarantined"
        )

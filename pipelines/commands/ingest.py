"""`legday ingest` and `legday quarantine list|retry`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import typer

from pipelines.commands.common import (
    CommandError,
    command_group,
    fail,
    one_line_errors,
    open_db,
    say,
    viewer,
)
from pipelines.errors import EXIT_USAGE

# About 100k check-in rows; smaller files finish before a bar is worth drawing.
PROGRESS_MIN_BYTES = 5 * 1024 * 1024

quarantine_app = command_group("Rows held back by ingest, and why.")


def _ingest_one(con, path: Path, mapping: str | None, client: str | None):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from pipelines.ingest import ingest_file

    if path.stat().st_size < PROGRESS_MIN_BYTES:
        return ingest_file(con, viewer(con), path, file_name=path.name, mapping=mapping, client=client)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"{path.name}: reading", total=3)

        def progress(stage: str, step: int, steps: int, rows: int) -> None:
            rows_text = f" {rows:,} rows" if rows else ""
            bar.update(task, completed=step, total=steps, description=f"{path.name}: {stage}{rows_text}")

        return ingest_file(con, viewer(con), path, file_name=path.name, mapping=mapping, client=client, progress=progress)


@one_line_errors
def ingest(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or JSON Lines files"),
    mapping: str | None = typer.Option(
        None, "--mapping",
        help="Column mapping: a name (google_forms; sessions, strava_activities, garmin_activities) or a FILE.json",
    ),
    client: str | None = typer.Option(
        None, "--client", help="The client every row is for (a file that is one person's; no client column needed)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a summary"),
) -> None:
    """Ingest check-in or done-session files (the mapping says which); rows that break a
    rule go to quarantine.

    A mapping reads a form tool's export (its options: docs/ingestion.md, "Mapping files")
    or an app's activity export (docs/done-sessions.md, "Importing sessions").
    """
    from pipelines.ingest import IngestRefused, UnknownMapping

    con = open_db()
    results, refused = [], []
    for path in files:
        try:
            result = _ingest_one(con, path, mapping, client)
        except UnknownMapping as error:
            raise CommandError(str(error), EXIT_USAGE) from None
        except IngestRefused as error:
            refused.append({"file": path.name, "refused": str(error)})
            say(f"legday: {error}", err=True)
            continue
        results.append(result)
        if not as_json:
            say(result.summary)
            for warning in result.warnings:
                say(f"  warning: {warning}")
    if as_json:
        summaries = [
            {"file": r.file_name, **{k: v for k, v in dataclasses.asdict(r).items() if k != "file_name"}}
            for r in results
        ] + refused
        typer.echo(json.dumps(summaries[0] if len(summaries) == 1 else {"files": summaries}))
    if refused:
        raise typer.Exit(1)


@quarantine_app.command("list")
@one_line_errors
def quarantine_list(
    run: int | None = typer.Option(None, "--run", help="Only this ingest run"),
    include_resolved: bool = typer.Option(
        False, "--all", help="Include rows resolved later (stored by a retry, or read again by a re-import)"
    ),
) -> None:
    """Show quarantined rows (run, line, client, field, rule and reason), then the answers
    stored empty because they could not be read."""
    from pipelines.ingest import list_answer_notes, list_quarantine

    con = open_db()
    rows = list_quarantine(con, viewer(con), run_id=run, include_resolved=include_resolved)
    notes = list_answer_notes(con, viewer(con), run_id=run)
    if not rows:
        typer.echo("no quarantined rows")
    for row in rows:
        resolved = f"  [resolved by run {row['resolved_by_run']}]" if row["resolved_at"] else ""
        say(
            f"run {row['run_id']} {row['file_name']} line {row['line_number']}: "
            f"client {row['client_id'] or '-'}, {row['field']} {row['rule']}: {row['reason']}{resolved}"
        )
    if notes:
        typer.echo("stored with an answer left empty:")
    for note in notes:
        typer.echo(
            f"run {note['run_id']} {note['file_name']} line {note['line_number']}: client {note['client_id']} "
            f"on {note['checkin_date']}, {note['field']} left empty ({note['rule']}): {note['reason']}"
        )


@quarantine_app.command("retry")
@one_line_errors
def quarantine_retry(run: int | None = typer.Option(None, "--run", help="Only this ingest run")) -> None:
    """Validate quarantined rows again (say, after adding the missing client); store those that pass."""
    from pipelines.ingest import UnknownMapping, retry_quarantine

    try:
        con = open_db()
        result = retry_quarantine(con, viewer(con), run_id=run)
    except UnknownMapping as error:
        raise fail(str(error)) from None
    say(result.summary)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.add_typer(quarantine_app, name="quarantine")

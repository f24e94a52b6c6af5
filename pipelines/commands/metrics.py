"""`legday roster`, `legday export`, `legday thresholds list|set`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipelines.commands.common import (
    CommandError,
    cell,
    command_group,
    one_line_errors,
    open_db,
    viewer,
)
from pipelines.errors import EXIT_USAGE

if TYPE_CHECKING:
    from rich.table import Table

STATUS_STYLES = {"rest": "bold red", "caution": "yellow", "stale": "magenta", "ready": "green", "no data": "dim"}

thresholds_app = command_group("The numbers the flags and statuses use.")


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA, without importing pandas."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def _days_ago(days) -> str:
    if _missing(days):
        return "never"
    days = int(days)
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _number(value, digits: int = 0) -> str:
    return "–" if _missing(value) else f"{value:.{digits}f}"


def _json_value(value):
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return value.tolist() if hasattr(value, "tolist") else list(value)
    if _missing(value):
        return None
    if isinstance(value, dt.date):  # a pandas Timestamp is a datetime
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return value.item() if hasattr(value, "item") else value


def _roster_table(rows: list[dict], as_of) -> Table:
    from rich.table import Table

    from pipelines import metrics

    table = Table(
        title=f"Roster as of {as_of:%Y-%m-%d}", title_justify="left", expand=False,
        caption="Ready = readiness: rest 0-33, caution 34-66, ready 67-100 · Legs = days since leg day · "
                "terms: docs/glossary.md", caption_justify="left",
    )
    # Minimum widths keep status and dates whole on an 80-column terminal; "Why" gives way.
    for column, justify, min_width in [
        ("Client", "left", 12), ("Status", "left", 7), ("Ready", "right", 5),
        ("Last check-in", "left", 10), ("Why", "left", 10), ("Legs", "right", 4),
    ]:
        wraps = column == "Why"
        table.add_column(column, justify=justify, overflow="fold" if wraps else "ellipsis",
                         no_wrap=not wraps, min_width=min_width, ratio=1 if wraps else None)
    for row in rows:
        table.add_row(
            cell(row["name"]),
            f"[{STATUS_STYLES[row['status']]}]{row['status']}[/]",
            _number(row["readiness"]),
            _days_ago(row["days_since_checkin"]),
            cell(metrics.verdict(row)),
            _number(row["days_since_legs"]),
        )
    return table


@one_line_errors
def roster(
    trainer: str | None = typer.Option(None, "--trainer", help="Only this trainer's clients"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per client instead of a table"),
) -> None:
    """Who is ready, who needs caution and who needs rest, with the reason."""
    from rich.console import Console

    from pipelines import db, metrics

    con = open_db()
    rows = metrics.roster_rows(con, viewer(con), trainer)
    if as_json:
        rows = [{key: _json_value(value) for key, value in row.items()} for row in rows]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    Console().print(_roster_table(rows, db.as_of(con)))


@one_line_errors
def export_command(
    what: str = typer.Argument(..., help="roster | checkins | metrics | plans | sessions"),
    out: Path = typer.Option(..., "--out", help="CSV file to write", dir_okay=False),
    trainer: str | None = typer.Option(None, "--trainer", help="Only this trainer's clients"),
    client: str | None = typer.Option(None, "--client", help="Only this client"),
) -> None:
    """Write a CSV (UTF-8, ISO dates, formula-safe); a failed export leaves no file."""
    from pipelines import export

    if what not in export.EXPORTS:
        raise CommandError(f"unknown export {what!r}; choose one of {', '.join(export.EXPORTS)}", EXIT_USAGE)
    con = open_db()
    frame = export.export_frame(con, viewer(con), what, trainer_id=trainer, client_id=client)
    export.write_csv_atomic(frame, out)
    typer.echo(f"{out}: {len(frame)} rows ({what})")


@thresholds_app.command("list")
@one_line_errors
def thresholds_list() -> None:
    """Every threshold with its value, default and meaning."""
    from rich.console import Console
    from rich.table import Table

    from pipelines import metrics

    table = Table(title="Thresholds", title_justify="left")
    for column in ("name", "value", "default", "description"):
        table.add_column(column)
    for row in metrics.thresholds(open_db()).itertuples():
        table.add_row(row.name, f"{row.value:g}", f"{row.default_value:g}", row.description)
    Console().print(table)


@thresholds_app.command("set", context_settings={"ignore_unknown_options": True})
@one_line_errors
def thresholds_set(
    name: str,
    value: str,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say which clients would change status"),
) -> None:
    """Change one threshold (the views use it at once); first says whose status it changes today."""
    from pipelines import metrics

    con = open_db()
    changes = metrics.threshold_preview(con, viewer(con), name, value)
    if not dry_run:
        metrics.set_threshold(con, viewer(con), name, value)
    typer.echo(f"with {name} = {float(value):g}, {metrics.change_summary(changes)}")
    for row in changes.itertuples():
        typer.echo(f"  {row.name} ({row.client_id}): {row.status} -> {row.status_then}")
    typer.echo("nothing saved (--dry-run)" if dry_run else f"threshold {name} = {float(value):g}")


def register(app: typer.Typer) -> None:
    app.command("roster")(roster)
    app.command("export")(export_command)
    app.add_typer(thresholds_app, name="thresholds")

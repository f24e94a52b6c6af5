"""`legday session add|done` and `legday today`."""

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
from pipelines.commands.metrics import STATUS_STYLES, _json_value, _missing, _number
from pipelines.errors import EXIT_USAGE
from pipelines.vocabulary import SESSION_TYPES

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

session_app = command_group("Training sessions: plan one, mark one done, import done ones from files.")

TODAY_COLUMNS = (
    "session_id", "session_date", "start_time", "client_id", "name", "session_type", "planned_minutes",
    "planned_rpe", "done", "status", "reasons", "days_since_legs", "next_intensity",
)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date (YYYY-MM-DD)", EXIT_USAGE) from None


def _print_projection(projection: dict) -> None:
    with_session, without = projection["with"], projection["without"]
    typer.echo(
        f"On {projection['day']:%Y-%m-%d}: ACWR {_number(without['acwr_ewma'], 2)} -> "
        f"{_number(with_session['acwr_ewma'], 2)} (weighted), acute load {_number(without['acute_load'])} -> "
        f"{_number(with_session['acute_load'])}, monotony {_number(without['monotony'], 2)} -> "
        f"{_number(with_session['monotony'], 2)}"
    )
    if projection["note"]:
        typer.echo(f"note: {projection['note']}")
    for flag in projection["warnings"]:
        typer.echo(f"warning: {flag['reason']}")
    if projection["suggestion"]:
        typer.echo(f"suggestion: {projection['suggestion']['text']}")


@session_app.command("add")
@one_line_errors
def add(
    client_id: str = typer.Argument(..., help="The client"),
    date: str = typer.Option(..., "--date", help="Day of the session (YYYY-MM-DD)"),
    session_type: str = typer.Option(..., "--type", help=", ".join(SESSION_TYPES)),
    minutes: int = typer.Option(..., "--minutes", help="Planned minutes (0-600)"),
    rpe: int = typer.Option(..., "--rpe", help="Planned session RPE (CR-10, 0-10)"),
    time: str | None = typer.Option(None, "--time", help="Start time (HH:MM)"),
    notes: str | None = typer.Option(None, "--notes", help="Notes for the session"),
) -> None:
    """Plan a session and show what it would do to the client's load."""
    from pipelines import db, sessions

    day = _parse_date(date)
    con = open_db()
    try:
        session_id = sessions.add_session(
            con, viewer(con), client_id, day=day, session_type=session_type, minutes=minutes, rpe=rpe,
            start_time=time, notes=notes,
        )
    except sessions.SessionError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"session {session_id}: {session_type} for {client_id} on {day:%Y-%m-%d}, {minutes} min at RPE {rpe}")
    if day >= db.as_of(con):
        try:
            _print_projection(
                sessions.project_session(con, viewer(con), client_id, day=day, session_type=session_type, minutes=minutes, rpe=rpe)
            )
        except sessions.SessionError as error:
            typer.echo(f"no projection: {error}")


@session_app.command("done")
@one_line_errors
def done(
    session_id: int = typer.Argument(..., help="The session"),
    minutes: int = typer.Option(..., "--minutes", help="Actual minutes (0-600)"),
    rpe: int = typer.Option(..., "--rpe", help="Actual session RPE (CR-10, 0-10)"),
) -> None:
    """Mark a session done with what was actually trained; it counts as load from now on
    (a correction made on the client page stands)."""
    from pipelines import done_sessions, sessions

    con = open_db()
    try:
        sessions.mark_done(con, viewer(con), session_id, actual_minutes=minutes, actual_rpe=rpe)
    except sessions.SessionError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"session {session_id} done: {minutes} min at RPE {rpe}")
    row = done_sessions.planned_row(con, viewer(con), session_id)
    if row is not None and row["removed_at"] is not None:
        typer.echo("note: a trainer removed this session on the client page; it stays removed and counts no load")
    elif row is not None and row["corrected_at"] is not None:
        typer.echo(f"note: a trainer corrected this session on the client page; the correction stands: "
                   f"{done_sessions.session_words(row)}")


def _today_table(frame: pd.DataFrame, as_of: dt.date) -> Table:
    from rich.table import Table

    table = Table(title=f"Sessions {as_of:%Y-%m-%d} and the day after", title_justify="left")
    for column in ("When", "Client", "Session", "Status", "Why", "Legs", "Next"):
        table.add_column(column, overflow="fold" if column == "Why" else "ellipsis")
    for row in frame.itertuples():
        day = "today" if row.session_date.date() == as_of else "tomorrow"
        when = f"{day} {row.start_time:%H:%M}" if not _missing(row.start_time) else day
        status = "–" if _missing(row.status) else f"[{STATUS_STYLES[row.status]}]{row.status}[/]"
        reasons = list(row.reasons) if isinstance(row.reasons, list | tuple) or hasattr(row.reasons, "tolist") else []
        session = f"{row.session_type} {row.planned_minutes} min RPE {row.planned_rpe}" + (" (done)" if row.done else "")
        table.add_row(
            when, cell(row.name), session, status, cell(reasons[0] if reasons else ""),
            _number(row.days_since_legs), row.next_intensity if isinstance(row.next_intensity, str) else "–",
        )
    return table


@one_line_errors
def today(
    trainer: str | None = typer.Option(None, "--trainer", help="Only this trainer's clients"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per session instead of a table"),
) -> None:
    """Today's and tomorrow's sessions in time order, with each client's status."""
    from rich.console import Console

    from pipelines import db, sessions

    con = open_db()
    as_of = db.as_of(con)
    frame = sessions.sessions_between(con, viewer(con), as_of, as_of + dt.timedelta(days=1), trainer)
    if as_json:
        rows = [
            {column: _json_value(row[column]) for column in TODAY_COLUMNS}
            for row in frame.to_dict("records")
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    if frame.empty:
        typer.echo(f"No sessions planned for {as_of:%Y-%m-%d} or the day after.")
        return
    Console().print(_today_table(frame, as_of))


@session_app.command("import")
def import_sessions(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or JSON Lines files"),
    mapping: str = typer.Option(
        "sessions", "--mapping", help="sessions (the canonical columns), strava_activities, garmin_activities or a FILE.json"
    ),
    client: str | None = typer.Option(None, "--client", help="The client every row is for (an app export)"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a summary"),
) -> None:
    """Import done sessions (`legday ingest FILE --mapping sessions`, by another name)."""
    from pipelines.commands.ingest import ingest

    ingest(files, mapping=mapping, client=client, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
    app.command("today")(today)

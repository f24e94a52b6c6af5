"""`legday backup|restore` and the privacy commands `legday client export|delete`."""

from __future__ import annotations

from pathlib import Path

import typer

from pipelines.commands.admin import client_app
from pipelines.commands.common import CommandError, claim_turn, one_line_errors, open_db, viewer


@one_line_errors
def backup_command() -> None:
    """Write a consistent copy of the database to the backup folder."""
    from pipelines import backup

    con = open_db()
    try:
        path = backup.backup(con)
    finally:
        con.close()
    typer.echo(f"backup written: {path}")


@one_line_errors
def restore_command(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Replace the database with a backup (the current one is backed up first)."""
    from pipelines import backup

    claim_turn()
    target = backup.restore(file)
    typer.echo(f"{target} restored from {file}")


@client_app.command("export")
@one_line_errors
def client_export(
    client_id: str = typer.Argument(...),
    out: Path = typer.Option(..., "--out", help="The zip file to write"),
) -> None:
    """Everything stored about one client, as CSV files in a zip."""
    from pipelines import privacy

    con = open_db()
    try:
        privacy.write_client_export(con, viewer(con), client_id, out)
    finally:
        con.close()
    typer.echo(f"{out}: everything stored about {client_id}")


@client_app.command("delete")
@one_line_errors
def client_delete(
    client_id: str = typer.Argument(...),
    yes: bool = typer.Option(False, "--yes", help="Confirm: this cannot be undone"),
) -> None:
    """Delete a client and all their data from every table, for good."""
    if not yes:
        raise CommandError("deleting a client cannot be undone; add --yes to confirm", exit_code=2)
    from pipelines import privacy
    from pipelines.settings import get_settings

    con = open_db()
    try:
        counts = privacy.delete_client(con, viewer(con), client_id)
    finally:
        con.close()
    rows = sum(counts.values())
    done = f"deleted ({rows} rows)" if rows else "was already deleted; overwriting its data in the file is now finished"
    typer.echo(f"client {client_id} {done}; backups in {get_settings().backup_dir} still hold older copies")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)

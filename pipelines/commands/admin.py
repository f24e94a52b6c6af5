"""`legday init`, `legday trainer add`, `legday client add|import`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from pipelines.commands.common import CommandError, command_group, one_line_errors, open_db, viewer

trainer_app = command_group("Trainers who log in to the dashboard.")
client_app = command_group("Clients and their check-in links.")


@one_line_errors
def init() -> None:
    """Create the database or bring it to the current schema."""
    from pipelines import db

    con = open_db()
    version = db.schema_version(con)
    path = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    typer.echo(f"database ready: {path} (schema version {version})")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@trainer_app.command("add")
@one_line_errors
def trainer_add(
    trainer_id: str = typer.Argument(..., help="Login name, e.g. sam"),
    name: str = typer.Option(..., "--name", help="Display name"),
    owner: bool = typer.Option(False, "--owner", help="Owners see every trainer's clients"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin"),
) -> None:
    """Add a trainer (the password is stored as an argon2 hash)."""
    from pipelines import people

    password = _read_password(password_stdin)
    con = open_db()
    trainer_id = people.add_trainer(con, viewer(con), trainer_id, name, password, owner=owner)
    typer.echo(f"trainer {trainer_id} added{' (owner)' if owner else ''}")


@client_app.command("add")
@one_line_errors
def client_add(
    client_id: str = typer.Argument(..., help="Short code the client and the CSV files use"),
    name: str = typer.Option(..., "--name"),
    trainer: str = typer.Option(..., "--trainer", help="Trainer id"),
    since: dt.datetime | None = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="First day check-ins count"),
) -> None:
    """Add a client for a trainer."""
    from pipelines import people

    con = open_db()
    client_id = people.add_client(con, viewer(con), client_id, name, trainer, since.date() if since else None)
    typer.echo(f"client {client_id} added for trainer {trainer}")


@client_app.command("import")
@one_line_errors
def client_import(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Add or update clients from a CSV with client_id,name,trainer_id[,since]."""
    from pipelines import people

    con = open_db()
    try:
        added, updated = people.import_clients(con, viewer(con), file.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        raise CommandError(f"{file}: {error}") from None
    typer.echo(f"{file}: {added} clients added, {updated} updated")


@client_app.command("link")
@one_line_errors
def client_link(
    client_id: str = typer.Argument(...),
    days: int | None = typer.Option(None, "--days", help="Days the link stays valid (default LEGDAY_LINK_DAYS)"),
    base_url: str | None = typer.Option(None, "--base-url", help="Dashboard address (default LEGDAY_BASE_URL)"),
) -> None:
    """Print a fresh private check-in link; the client's older links stop working."""
    from pipelines import tokens
    from pipelines.settings import get_settings

    settings = get_settings()
    con = open_db()
    link = tokens.create_link(
        con,
        viewer(con),
        client_id,
        days=settings.link_days if days is None else days,
        base_url=(base := tokens.link_base(base_url or settings.base_url)),
    )
    typer.echo(link)
    if tokens.is_local_address(base):
        typer.echo("warning: " + tokens.LOCAL_WARNING.format(base=base), err=True)


@client_app.command("revoke")
@one_line_errors
def client_revoke(client_id: str = typer.Argument(...)) -> None:
    """Stop every check-in link of a client."""
    from pipelines import tokens

    con = open_db()
    revoked = tokens.revoke_links(con, viewer(con), client_id)
    typer.echo(f"{revoked} live link(s) of {client_id} revoked")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(trainer_app, name="trainer")
    app.add_typer(client_app, name="client")

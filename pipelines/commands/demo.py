"""`legday demo`: build the synthetic demo database."""

from __future__ import annotations

import typer

from pipelines.commands.common import one_line_errors, open_db
from pipelines.limits import DEMO_MAX_CLIENTS, DEMO_MAX_DAYS, DEMO_MIN_DAYS


@one_line_errors
def demo_command(
    clients: int = typer.Option(24, "--clients", min=1, max=DEMO_MAX_CLIENTS, help="How many clients"),
    days: int = typer.Option(
        120, "--days", min=DEMO_MIN_DAYS, max=DEMO_MAX_DAYS, help="Days of check-ins, ending on the as-of date"
    ),
    seed: int = typer.Option(7, "--seed", help="Same seed, same data"),
    replace: bool = typer.Option(False, "--replace", help="Delete ALL existing data first"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when the database has clients"),
) -> None:
    """Create demo trainers, clients and realistic check-ins (demo data only)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from pipelines import demo

    con = open_db()
    existing = con.execute("select count(*) from clients").fetchone()[0]
    if existing and if_empty:
        typer.echo(f"demo skipped: the database already has {existing} clients")
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("demo", total=None)

        def show(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        counts = demo.build_demo(con, clients=clients, days=days, seed=seed, replace=replace, progress=show)
    typer.echo(
        f"demo ready: {counts['clients']} clients, {counts['check_ins']} check-ins "
        f"from {counts['first_day']} to {counts['last_day']}, {counts['plans']} plans"
    )
    typer.echo("demo-only logins (never use these passwords for real data):")
    for trainer_id, _, password, owner in demo.DEMO_TRAINERS:
        typer.echo(f"  {trainer_id} / {password}{'  (owner: sees every client)' if owner else ''}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)

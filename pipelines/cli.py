"""The `legday` command line. Each command group lives in pipelines/commands/."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

from pipelines.commands.common import PLAIN_HELP, state

COMMAND_MODULES = (
    "pipelines.commands.admin",
    "pipelines.commands.ingest",
    "pipelines.commands.demo",
    "pipelines.commands.metrics",
    "pipelines.commands.maintenance",
    "pipelines.commands.sessions",
)

app = typer.Typer(
    name="legday",
    help="legday: recovery dashboard for personal trainers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=PLAIN_HELP,
)


@app.callback()
def main_options(
    db: Path | None = typer.Option(None, "--db", help="DuckDB file (default: LEGDAY_DB_PATH)."),
    as_trainer: str | None = typer.Option(
        None, "--as",
        help="Act as this trainer: only their clients (default: the owner, every client).",
    ),
) -> None:
    state.db_path = db
    state.as_trainer = as_trainer


for module_name in COMMAND_MODULES:
    importlib.import_module(module_name).register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""What every CLI command shares: the database and --as options, one-line errors, exit codes."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from pipelines.errors import EXIT_REFUSED, LegdayError

if TYPE_CHECKING:
    import duckdb
    from rich.text import Text

    from pipelines import turns
    from pipelines.access import Viewer

REPORT_WAIT_SECONDS = 1.0

F = TypeVar("F", bound=Callable)


@dataclass
class CliState:
    db_path: Path | None = None
    as_trainer: str | None = None
    claim: turns.Claim | None = None
    depth: int = 0


state = CliState()


# Help and usage errors in click's plain text: drawing them with rich loads more modules
# than DuckDB itself, and `legday --help` should start as fast as `import duckdb`.
PLAIN_HELP = None


def command_group(help: str) -> typer.Typer:
    """A group of subcommands (`legday trainer ...`)."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=PLAIN_HELP)


class CommandError(LegdayError):
    """Bad input the command itself finds: printed as one line, exit code as given."""

    def __init__(self, message: str, exit_code: int = EXIT_REFUSED):
        super().__init__(message)
        self.exit_code = exit_code


def claim_turn() -> None:
    """Wait until the dashboard lets go of the database, and keep it until the command ends."""
    if state.claim is not None:
        return
    from pipelines import turns
    from pipelines.settings import get_settings

    settings = get_settings()
    path = Path(state.db_path or settings.db_path)
    state.claim = turns.claim(path, turns.Wait(settings.lock_timeout_seconds))
    if state.claim.waited >= REPORT_WAIT_SECONDS:
        typer.echo(f"legday: waited {state.claim.waited:.1f} s for the dashboard to finish with {path}", err=True)


def open_db() -> duckdb.DuckDBPyConnection:
    from pipelines import db

    claim_turn()
    return db.connect(state.db_path)


def viewer(con: duckdb.DuckDBPyConnection) -> Viewer:
    """Who the command acts as: the trainer named by `legday --as`, else the owner
    ("cli"), who sees every client (docs/design.md, Access)."""
    from pipelines import access

    return access.command_line_viewer(con, state.as_trainer)


# C0, DEL and C1 controls: ESC sequences, carriage returns and newlines inside a value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(value) -> str:
    """Text from files, forms and the database for the terminal: each control character
    is shown as its escape (\\x1b, \\n …) instead of acting on the terminal."""
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(), str(value))


def say(message: str, *, err: bool = False) -> None:
    """One line of output that may quote stored or uploaded text."""
    typer.echo(printable(message), err=err)


def cell(value) -> Text:
    """A rich table cell holding stored text: control characters escaped, no [markup] read."""
    from rich.text import Text  # rich loads only for the commands that draw tables

    return Text(printable(value))


def _release_turn() -> None:
    if state.claim is not None:
        state.claim.release()
        state.claim = None


def fail(message: str, exit_code: int = EXIT_REFUSED) -> typer.Exit:
    say(f"legday: {message}", err=True)
    return typer.Exit(exit_code)


def one_line_errors(func: F) -> F:
    """Turn expected failures into one clear line on stderr and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        # imported when a command runs: `legday --help` needs neither
        import duckdb

        from pipelines import db
        from pipelines.settings import get_settings

        state.depth += 1
        try:
            return func(*args, **kwargs)
        except LegdayError as error:  # every refusal legday words itself, mapped here once
            raise fail(str(error), error.exit_code) from None
        except duckdb.ConstraintException as error:
            raise fail(f"refused by the database: {str(error).splitlines()[0]}") from None
        except duckdb.Error as error:
            if db.is_damage(error):  # a truncated file can open and fail on its first read
                raise fail(str(db.corrupt_error(state.db_path or get_settings().db_path, error))) from None
            # e.g. a full disk at commit; every write is one transaction, so it rolled back.
            raise fail(f"database error, nothing was written: {str(error).splitlines()[0]}") from None
        except OSError as error:
            raise fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")) from None
        except KeyboardInterrupt:
            typer.echo("legday: interrupted; nothing was half-written", err=True)
            sys.exit(130)
        finally:
            state.depth -= 1
            if not state.depth:
                _release_turn()

    return wrapper  # type: ignore[return-value]

"""Opening the DuckDB file: lock retry, migrations, views and the as-of date."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from pipelines import load_state, sql_layers
from pipelines.errors import LegdayError
from pipelines.settings import Settings, get_settings
from pipelines.sql_layers import migrations


class DatabaseError(LegdayError):
    """A database problem with a message fit for a trainer's terminal."""


class DatabaseBusy(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


@functools.cache
def _views_digest() -> str:
    return sql_layers.digest(sql_layers.database_source())


T = TypeVar("T")


def patiently(call: Callable[[], T], *, retry_on: Callable[[BaseException], bool], seconds: float) -> T:
    """The one backoff of legday: call again while it raises an error `retry_on` accepts,
    waiting 20 ms, then longer up to 250 ms (jittered), for at most `seconds`; after that
    the last error is raised. The first call is made before tenacity is imported: most
    calls find the file or lock free, and a command should not load what it does not use."""
    try:
        return call()
    except Exception as error:
        if not retry_on(error):
            raise
    import tenacity

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_delay(seconds),
        wait=tenacity.wait_exponential_jitter(multiplier=0.02, max=0.25, jitter=0.02),
        retry=tenacity.retry_if_exception(retry_on),
        reraise=True,
    )
    return retrying(call)


def _is_lock_conflict(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, duckdb.IOException) and "lock" in text and "conflicting" in text


def busy_error(path: Path, timeout: float, holder: str | None) -> DatabaseBusy:
    who = f" (process {holder})" if holder else ""
    return DatabaseBusy(
        f"{path} is in use by another process{who}; gave up after {timeout:g} s. "
        "Try again when it has finished."
    )


def _connect_with_retry(path: Path, timeout: float, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return patiently(
            lambda: duckdb.connect(str(path), read_only=read_only), retry_on=_is_lock_conflict, seconds=timeout
        )
    except duckdb.Error as error:
        if _is_lock_conflict(error):
            holder = re.search(r"PID (\d+)", str(error))
            raise busy_error(path, timeout, holder.group(1) if holder else None) from error
        raise corrupt_error(path, error) from error


# How DuckDB words a damaged or truncated file, as opposed to a bad query or a full disk.
DAMAGE_SIGNS = ("could not read enough bytes", "corrupt database", "not a valid duckdb database")


def is_damage(error: Exception) -> bool:
    return isinstance(error, duckdb.Error) and any(sign in str(error).lower() for sign in DAMAGE_SIGNS)


def corrupt_error(path: Path, error: Exception) -> DatabaseCorrupt:
    """The message for a damaged file: what DuckDB said, and the last backup to restore."""
    backups = sorted(get_settings().backup_dir.glob("*.duckdb"))
    hint = f" The last backup is {backups[-1]}." if backups else " No backup was found."
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return DatabaseCorrupt(f"{path} cannot be opened as a legday database ({first_line}).{hint}")


def connect(
    path: Path | str | None = None,
    *,
    settings: Settings | None = None,
    read_only: bool = False,
    timeout: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database, migrating it to the current schema when writable."""
    settings = settings or get_settings()
    path = Path(path or settings.db_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise DatabaseError(f"{path} does not exist; run `legday init` first.")
    timeout = settings.lock_timeout_seconds if timeout is None else timeout
    con = _connect_with_retry(path, timeout, read_only)
    try:
        # timestamps SQL writes (current_timestamp) in UTC without a zone, as clock.now()
        # gives them to Python; DuckDB would otherwise use the machine's zone
        con.execute("set global TimeZone = 'UTC'")
        if not read_only:
            if not is_current(con):
                migrate(con)
            _finish_erasures(con)
        set_as_of(con, settings.today())
    except BaseException as error:
        con.close()
        if is_damage(error):
            raise corrupt_error(path, error) from error
        raise
    return con


def _finish_erasures(con: duckdb.DuckDBPyConnection) -> None:
    """A client deletion cut short (a kill) is finished by the next writable open."""
    from pipelines import privacy  # it writes through this module

    try:
        privacy.erase_pending(con)
    except (privacy.ErasureUnfinished, duckdb.Error):
        pass  # e.g. a full disk: the database still opens, and the next open tries again


def set_as_of(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    """Views read the as-of date from this variable (falling back to current_date)."""
    con.execute("set variable legday_as_of = ?::date", [day])


def set_words_day(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    """Reasons name days relative to this one (default: the as-of date). A projection
    reads a later day's views but its words stay relative to the real today."""
    con.execute("set variable legday_words_day = ?::date", [day])


def as_of(con: duckdb.DuckDBPyConnection) -> dt.date:
    return con.execute("select coalesce(getvariable('legday_as_of'), current_date)").fetchone()[0]


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor carrying the connection's as-of date (variables are per cursor)."""
    cur = con.cursor()
    set_as_of(cur, as_of(con))
    return cur


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `migrate` would find nothing to do: the last migration applied and the views
    and the load state stored by this code. One query, so an open that finds the file
    current (nearly every open: each phone check-in from another process is one) skips
    migrate's transaction and its checks, which cost about what the open itself does."""
    try:
        stored = con.execute(
            "select (select max(version) from schema_version), "
            "(select value from schema_meta where key = 'views'), "
            "(select value from schema_meta where key = 'client_day_load')"
        ).fetchone()
    except duckdb.Error:  # e.g. a new file, without schema_version: migrate finds out (and says so)
        return False
    return stored == (migrations()[-1][0], _views_digest(), load_state.DIGEST)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, (re)create the macros, staging views and views when their
    SQL changed, and rebuild the stored load state when its derivation changed
    (pipelines/sql_layers.py); returns what was applied."""
    applied = []
    with transaction(con):
        con.execute(
            "create table if not exists schema_version ("
            "version integer primary key, name text not null, "
            "applied_at timestamp not null default current_timestamp)"
        )
        con.execute("create table if not exists schema_meta (key text primary key, value text)")
        current = schema_version(con)
        for version, name, path in migrations():
            if version > current:
                con.execute(path.read_text())
                con.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
                applied.append(f"{version:03d}_{name}")
        digest = _views_digest()
        stored = con.execute("select value from schema_meta where key = 'views'").fetchone()
        if applied or stored is None or stored[0] != digest:
            con.execute(sql_layers.database_source())
            con.execute(
                "insert or replace into schema_meta values ('views', ?)", [digest]
            )
            applied.append("views")
        if load_state.rebuild_if_changed(con):
            applied.append("client_day_load")
    return applied


# The connections (and cursors) inside a `transaction` block, by id: a failed `begin`
# would abort DuckDB's open transaction, so the nesting is known, not probed.
_IN_TRANSACTION: set[int] = set()


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` is inside a `transaction` block (a write joins it)."""
    return id(con) in _IN_TRANSACTION


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: commit when the block ends, roll back on any exception.

    Re-entrant: a block opened inside another one on the same connection joins it, and
    the outermost block commits or rolls back everything (so a write function is one
    transaction alone and part of its caller's, e.g. the demo's, when called in one).
    DuckDB has no savepoints: an error caught inside a joined block still leaves the
    outer block to decide, so callers let write errors propagate.
    """
    if id(con) in _IN_TRANSACTION:
        yield con
        return
    con.execute("begin transaction")
    _IN_TRANSACTION.add(id(con))
    try:
        yield con
    except BaseException:
        _IN_TRANSACTION.discard(id(con))
        con.execute("rollback")
        raise
    _IN_TRANSACTION.discard(id(con))
    con.execute("commit")

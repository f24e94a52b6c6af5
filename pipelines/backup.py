"""Consistent backups and restores."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines import clock, db
from pipelines.files import replace_durably
from pipelines.settings import Settings, get_settings


def _database_path(con: duckdb.DuckDBPyConnection) -> Path:
    return Path(con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0])


def _copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Copy every table, view, sequence and macro into a new file at target."""
    source = con.execute("select current_database()").fetchone()[0]
    con.execute("attach ? as legday_copy", [str(target)])
    try:
        con.execute(f'copy from database "{source}" to legday_copy')  # noqa: S608 - catalog name, not user input
    finally:
        con.execute("detach legday_copy")


def _replace_with_copy(con: duckdb.DuckDBPyConnection, target: Path, staging: Path) -> None:
    """Copy the database to staging, then rename it over target: all or nothing."""
    staging.unlink(missing_ok=True)
    try:
        _copy_database(con, staging)
        replace_durably(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def backup(con: duckdb.DuckDBPyConnection, settings: Settings | None = None) -> Path:
    """Write a consistent copy to the backup folder and return its path."""
    settings = settings or get_settings()
    settings.backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S-%f")
    target = settings.backup_dir / f"{_database_path(con).stem}-{stamp}.duckdb"
    _replace_with_copy(con, target, target.with_suffix(".partial"))
    return target


def check_backup(path: Path) -> int:
    """The schema version of a backup file; raises DatabaseCorrupt when it is not one."""
    try:
        probe = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise db.DatabaseCorrupt(f"{path} is not a readable DuckDB file ({str(error).splitlines()[0]})") from error
    try:
        version = db.schema_version(probe)
        if not version:
            raise db.DatabaseCorrupt(f"{path} is not a legday database (no schema version)")
        return version
    finally:
        probe.close()


def restore(source: Path, settings: Settings | None = None) -> Path:
    """Replace the database with a backup; the current file is backed up first when readable.

    Call it holding the turn (`legday restore` claims it): no legday process then has the
    file open while it is replaced."""
    settings = settings or get_settings()
    check_backup(source)
    target = Path(settings.db_path)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    try:
        if target.exists():
            holder = db.connect(target, settings=settings)
            try:
                backup(holder, settings)
            finally:
                holder.close()  # a clean close writes the WAL into the file and removes it
        replace_durably(staged, target)
        Path(str(target) + ".wal").unlink(missing_ok=True)
    finally:
        staged.unlink(missing_ok=True)
    return target

"""Validate a stage in SQL and store the result: quarantine, upsert with history, load state."""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from pipelines import load_state, sql_layers
from pipelines.ingest.fields import FIELDS
from pipelines.ingest.mappings import Mapping, mapped_sql
from pipelines.ingest.staging import Stage
from pipelines.settings import get_settings


def ingest_sql(name: str) -> str:
    return sql_layers.read("ingest", name)


def bound(sql: str, params: dict) -> dict:
    """The named parameters the statement uses (DuckDB refuses unused ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return {name: value for name, value in params.items() if name in used}


def check_rows(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    mapping: Mapping,
    file_name: str,
    *,
    today: dt.date,
    source_run: int,
    allowed_client_ids: set[str] | None = None,
    require_columns: bool = True,
) -> list[str]:
    """Create temp table `checked_rows`; returns the mapping's warnings.

    `source_run` is the run the rows were first read in (a retry's original run).
    """
    load_interpreter(con)
    settings = get_settings()
    select, params, warnings = mapped_sql(stage, mapping, file_name, require_columns=require_columns)
    checked = ingest_sql("checked_rows")
    sql = f"create or replace temp table checked_rows as with mapped as ({select}) select * from ({checked})"  # noqa: S608
    params |= {
        "today": today,
        "allowed_clients": None if allowed_client_ids is None else sorted(allowed_client_ids),
        "glass_liters": mapping.glass_liters,
        "bottle_liters": mapping.bottle_liters,
        "practice_zone": settings.timezone,
        "day_boundary_minutes": settings.day_boundary.hour * 60 + settings.day_boundary.minute,
    }
    con.execute(sql, bound(sql, params))
    superseded = ingest_sql("superseded_rows")
    con.execute(
        f"update checked_rows set problems = [superseded.problem] from ({superseded}) as superseded "  # noqa: S608
        "where superseded.line_number = checked_rows.line_number",
        {"source_run": source_run},
    )
    return warnings


def check_read_row(con: duckdb.DuckDBPyConnection, values: dict, *, today: dt.date) -> None:
    """Create temp table `checked_rows` for one row whose answers are read already (a web
    submission: its form ran them through check_rows): only its client and check-in date
    are checked here (sql/ingest/submitted_rows.sql). `values` has every field in FIELDS."""
    con.execute(sql_layers.read("macros", "ingest_parsers"))
    con.execute(
        f"create or replace temp table checked_rows as {ingest_sql('submitted_rows')}",  # noqa: S608 - SQL from sql/
        {name: values[name] for name in FIELDS} | {"today": today},
    )


def load_interpreter(con: duckdb.DuckDBPyConnection) -> None:
    """The ingest parsers and the answer interpreter (sql/macros/answers.sql), as temp macros."""
    for name in sql_layers.INGEST_MACROS:
        con.execute(sql_layers.read("macros", name))


def previous_run(con: duckdb.DuckDBPyConnection, file_sha256: str, mapping: str | None) -> int | None:
    """The run that ingested these bytes with this mapping (`Mapping.key`, or a sessions mapping's run key): a fixed mapping
    is a new ingest."""
    return con.execute(
        "select min(run_id) from ingest_runs where file_sha256 = ? and mapping is not distinct from ? "
        "and source in ('csv', 'jsonl', 'form')",
        [file_sha256, mapping],
    ).fetchone()[0]


def open_run(con: duckdb.DuckDBPyConnection, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f"${name}" for name in values)
    return con.execute(
        f"insert into ingest_runs ({columns}) values ({marks}) returning run_id", values  # noqa: S608 - names are ours
    ).fetchone()[0]


def close_run(con: duckdb.DuckDBPyConnection, run_id: int, counts: dict, warnings: list[str]) -> None:
    con.execute(
        "update ingest_runs set finished_at = current_timestamp, "
        "rows_total = (select count(*) from checked_rows), accepted = $accepted, "
        "updated = $updated, unchanged = $unchanged, quarantined = $quarantined, noted = $noted, "
        "warnings = $warnings::text[] where run_id = $run_id",
        {**counts, "run_id": run_id, "warnings": warnings},
    )


# A held-back row's reason: what holds it back, then the notes its other answers would get.
_REASONS = (
    "array_to_string(list_transform(list_concat(checked.problems, checked.answer_notes), "
    "lambda problem: problem.reason), '; ')"
)


def quarantine_rows(con: duckdb.DuckDBPyConnection, run_id: int, file_sha256: str, stage: Stage) -> int:
    """Insert the rows that break a rule, with their raw values, into `quarantine`. The
    stage is read for the last time here: it is dropped, so its memory (every value of the
    file as text) is not held through the store and the load-state refresh."""
    try:
        return _quarantine_rows(con, run_id, file_sha256, stage)
    finally:
        con.execute("drop table if exists temp.staged")


def _quarantine_rows(con: duckdb.DuckDBPyConnection, run_id: int, file_sha256: str, stage: Stage) -> int:
    if not con.execute("select count(*) from checked_rows where len(problems) > 0").fetchone()[0]:
        return 0
    sql = f"""
        insert into quarantine (
            run_id, file_sha256, line_number, client_id, raw_row, field, rule, reason, checkin_date, pain
        )
        with picked as (
            select * from {stage.relation_sql}
            where line_number in (select line_number from checked_rows where len(problems) > 0)
        )
        select
            $run_id, $file_sha256, checked.line_number, checked.client_id, {stage.raw_row_sql},
            checked.problems[1].field, checked.problems[1].rule, {_REASONS}, checked.checkin_date, checked.pain
        from checked_rows as checked
        inner join picked on picked.line_number = checked.line_number
        order by checked.line_number
    """  # noqa: S608 - expressions generated by staging.py, values bound
    params = {**stage.params, "run_id": run_id, "file_sha256": file_sha256}
    return con.execute(sql, bound(sql, params)).fetchone()[0]


def requarantine_rows(con: duckdb.DuckDBPyConnection, run_id: int, quarantine_ids: list[int]) -> int:
    """After a retry: resolve the rows that passed, refresh the reason of those that did not."""
    con.execute(
        "update quarantine set resolved_at = current_timestamp, resolved_by_run = $run_id "
        "from checked_rows as checked "
        "where list_contains($ids, quarantine.quarantine_id) "
        "and checked.line_number = quarantine.line_number and len(checked.problems) = 0",
        {"run_id": run_id, "ids": quarantine_ids},
    )
    refresh = f"""
        update quarantine set field = checked.problems[1].field, rule = checked.problems[1].rule,
            reason = {_REASONS}, checkin_date = checked.checkin_date, pain = checked.pain
        from checked_rows as checked
        where list_contains($ids, quarantine.quarantine_id)
            and checked.line_number = quarantine.line_number and len(checked.problems) > 0
    """  # noqa: S608 - our column names only
    return con.execute(
        refresh,
        {"ids": quarantine_ids},
    ).fetchone()[0]


_STORED_COLUMNS = ", ".join(FIELDS)


def upsert_valid(con: duckdb.DuckDBPyConnection, run_id: int, source_run: int | None = None) -> dict:
    """Store the valid rows of `checked_rows`: new rows, replacements (old version to history).

    Each stored row keeps the run and line it was first read from (`source_run`, a
    retry's original run; this run when None) and its answers' notes go to answer_notes.
    """
    con.execute(f"create or replace temp table matched_rows as {ingest_sql('matched_rows')}")
    valid, = con.execute("select count(*) from checked_rows where len(problems) = 0").fetchone()
    matched, changed = con.execute(
        "select count(*), count(*) filter (where changed) from matched_rows"
    ).fetchone()
    if changed:
        con.execute(
            "insert into check_in_history by name "
            "select stored.*, $run_id as replaced_by_run from check_ins as stored "
            "semi join matched_rows as matched on matched.changed "
            "and matched.client_id = stored.client_id and matched.checkin_date = stored.checkin_date",
            {"run_id": run_id},
        )
        con.execute(
            "delete from check_ins using matched_rows as matched where matched.changed "
            "and matched.client_id = check_ins.client_id and matched.checkin_date = check_ins.checkin_date"
        )
    writes = (
        "from checked_rows as checked where len(checked.problems) = 0 and not exists ("
        "select 1 from matched_rows as matched where not matched.changed "
        "and matched.client_id = checked.client_id and matched.checkin_date = checked.checkin_date)"
    )
    source = {"run_id": run_id, "source_run": source_run or run_id}
    con.execute(
        f"insert into check_ins ({_STORED_COLUMNS}, run_id, source_run, source_line) "  # noqa: S608 - names are ours
        f"select {_STORED_COLUMNS}, $run_id, $source_run, line_number {writes}",
        source,
    )
    con.execute(
        "insert into answer_notes (run_id, line_number, client_id, checkin_date, field, rule, reason) "
        "select $run_id, checked.line_number, checked.client_id, checked.checkin_date, "
        "note.field, note.rule, note.reason "
        "from (select *, unnest(answer_notes) as note from checked_rows "
        "where len(problems) = 0 and len(answer_notes) > 0) as checked",
        {"run_id": run_id},
    )
    touched = [row[0] for row in con.execute(f"select distinct client_id {writes}").fetchall()]  # noqa: S608
    load_state.refresh(con, touched)
    noted, = con.execute(
        "select count(*) from checked_rows where len(problems) = 0 and len(answer_notes) > 0"
    ).fetchone()
    return {"accepted": valid - matched, "updated": changed, "unchanged": matched - changed, "noted": noted}


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("staged", "checked_rows", "matched_rows"):
        con.execute(f"drop table if exists temp.{name}")

"""Where the rows of a file come from: a relation with line_number and one text value per header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.ingest.outcome import IngestRefused
from pipelines.ingest.reading import Decoded, csv_header, is_json_lines
from pipelines.ingest.scratch import scratch_folder


@dataclass
class Stage:
    """A relation of the rows to check, read as often as needed.

    `relation_sql` yields line_number plus the columns `value_sql` and `raw_row_sql`
    refer to; all of it is built from generated names, and values go in `params`.
    """

    source: str
    headers: list[str]
    relation_sql: str
    value_sql: list[str]
    raw_row_sql: str
    params: dict = field(default_factory=dict)


def _last_line(error: Exception) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def csv_stage(con: duckdb.DuckDBPyConnection, path: Path, headers: list[str], delimiter: str, file_name: str) -> Stage:
    """Read the file into temp table `staged`; a malformed record refuses the file."""
    columns = [f"c{i}" for i in range(len(headers))]
    try:
        con.execute(
            "create or replace temp table staged as select * from read_csv($path, header = true, "
            "auto_detect = false, columns = $columns, delim = $delimiter, quote = '\"', "
            "escape = '\"', strict_mode = true, null_padding = false, all_varchar = true)",
            {"path": str(path), "columns": dict.fromkeys(columns, "varchar"), "delimiter": delimiter},
        )
    except duckdb.InvalidInputException as error:
        raise csv_refusal(error, headers, file_name) from None
    # The table keeps the file's order (DuckDB preserves insertion order), so rowid
    # counts the records; row_number() over () would serialise the parallel read.
    return Stage(
        source="csv",
        headers=headers,
        relation_sql="(select rowid + 1 as line_number, * from staged)",
        value_sql=columns,
        raw_row_sql=f"to_json(map($csv_headers, [{', '.join(columns)}]))",
        params={"csv_headers": headers},
    )


def csv_refusal(error: duckdb.Error, headers: list[str], file_name: str) -> IngestRefused:
    match = re.search(r"Line: (\d+)", str(error))
    where = f"line {int(match.group(1)) - 1}" if match else "a record"
    if "unterminated quote" in str(error):
        problem = "a quoted value is never closed"
    elif "Expected Number of Columns" in str(error):
        problem = f"it does not have the header's {len(headers)} values"
    else:
        problem = _last_line(error)
    return IngestRefused(f"{file_name}: {where} is malformed: {problem}")


def _json_stage(con: duckdb.DuckDBPyConnection, source: str, file_name: str) -> Stage:
    bad = con.execute(
        "select line_number from staged where json_type(raw_row) <> 'OBJECT' order by line_number limit 1"
    ).fetchone()
    if bad:
        raise IngestRefused(f"{file_name}: line {bad[0]} is not a JSON object")
    keys = [
        row[0]
        for row in con.execute(
            "select key from (select unnest(json_keys(raw_row)) as key from staged) group by key order by key"
        ).fetchall()
    ]
    params = {f"k{i}": '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for i, key in enumerate(keys)}
    return Stage(
        source=source,
        headers=keys,
        relation_sql="staged",
        value_sql=[f"json_extract_string(raw_row, $k{i})" for i in range(len(keys))],
        raw_row_sql="raw_row",
        params=params,
    )


def json_lines_stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str) -> Stage:
    try:
        con.execute(
            "create or replace temp table staged as "
            "select row_number() over () as line_number, json as raw_row from read_ndjson_objects($path)",
            {"path": str(path)},
        )
    except duckdb.Error as error:
        raise IngestRefused(f"{file_name}: not valid JSON Lines ({_last_line(error)})") from None
    return _json_stage(con, "jsonl", file_name)


def quarantined_stage(con: duckdb.DuckDBPyConnection, quarantine_ids: Iterable[int]) -> Stage:
    """Stage quarantined rows again, under their original line numbers."""
    con.execute(
        "create or replace temp table staged as "
        "select line_number, raw_row from quarantine where list_contains($ids, quarantine_id)",
        {"ids": list(quarantine_ids)},
    )
    return _json_stage(con, "retry", "quarantine")


def rows_stage(con: duckdb.DuckDBPyConnection, rows: list[str]) -> Stage:
    """Stage JSON objects given as text (single form submissions)."""
    con.execute(
        "create or replace temp table staged as "
        "select generate_subscripts($rows, 1) as line_number, unnest($rows)::json as raw_row",
        {"rows": rows},
    )
    return _json_stage(con, "web", "check-in form")


@contextmanager
def staged_file(
    con: duckdb.DuckDBPyConnection, decoded: Decoded, file_name: str
) -> Iterator[tuple[Stage, list[str] | None]]:
    """A decoded file written as UTF-8 into a scratch folder and staged as JSON Lines or
    CSV; yields the stage and the CSV header (None for JSON Lines). The folder goes when
    the block ends."""
    with scratch_folder() as work_dir:
        path = work_dir / "input"
        path.write_bytes(decoded.text.encode("utf-8"))
        if is_json_lines(decoded.text):
            yield json_lines_stage(con, path, file_name), None
        else:
            headers, delimiter = csv_header(decoded.text)
            yield csv_stage(con, path, headers, delimiter, file_name), headers

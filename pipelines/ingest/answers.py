"""Read one set of answers with the SQL every file goes through (sql/macros/answers.sql).

`read_answers` is how single submissions (the web form's model) and other callers
read human answers without their own copy of the rules: it runs the answers through
sql/ingest/checked_rows.sql on a private in-memory database whose one client stands
for the submitting client, so only the answers' own problems come back.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines import db
from pipelines.ingest.fields import FIELDS
from pipelines.ingest.mappings import canonical_mapping
from pipelines.ingest.staging import rows_stage
from pipelines.ingest.store import check_rows, drop_work_tables

STAND_IN_CLIENT = "answers"
_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []
_local = threading.local()


@dataclass
class Reading:
    """What the answers mean: the values as they would be stored, and what was not read.

    `problems` hold the row back (field, rule, reason); `notes` name optional answers
    that would be stored empty.
    """

    values: dict[str, Any]
    problems: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)


def _cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the private database (temp tables are per cursor)."""
    cursor = getattr(_local, "cursor", None)
    if cursor is not None:
        return cursor
    with _lock:
        if not _database:
            con = duckdb.connect()
            db.migrate(con)
            con.execute("insert into trainers (trainer_id, name, password_hash) values ('answers', 'answers', '-')")
            con.execute(
                "insert into clients (client_id, name, trainer_id) values (?, 'answers', 'answers')",
                [STAND_IN_CLIENT],
            )
            _database.append(con)
        _local.cursor = _database[0].cursor()
    return _local.cursor


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_answers(answers: dict[str, Any], today: dt.date) -> Reading:
    """Read canonical-field answers (text, numbers, booleans or dates) as a file row is read."""
    payload = {name: _text(answers.get(name)) for name in FIELDS} | {"client_id": STAND_IN_CLIENT}
    con = _cursor()
    try:
        stage = rows_stage(con, [json.dumps(payload)])
        check_rows(con, stage, canonical_mapping(), "answers", today=today, source_run=0)
        cursor = con.execute(
            "select * exclude (line_number, client_id, problems, answer_notes), problems, answer_notes "
            "from checked_rows"
        )
        names = [column[0] for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    finally:
        drop_work_tables(con)
    return Reading(row, row.pop("problems"), row.pop("answer_notes"))

"""Migration 010 (done sessions as rows): an existing database migrates with every
check-in session and every planned session marked done turned into a done_sessions row,
and every metric value on the demo is the same before and after.

"Before" is tests/data/demo_metrics_before_010.json: the metric views of the demo
(tests/helpers/metric_snapshot.py DEMO) as the last commit before migration 010
computed them (30b4d9d, `python -m tests.helpers.metric_snapshot`).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipelines import db, sessions
from tests.helpers.metric_snapshot import AS_OF, build, same, snapshot
from tests.helpers.viewers import acting

BEFORE = json.loads((Path(__file__).parent / "data" / "demo_metrics_before_010.json").read_text())
LAST_BEFORE = 9
# The tables of schema 009 that hold data (derived tables are rebuilt on migration).
DATA_TABLES = (
    "trainers", "clients", "client_tokens", "ingest_runs", "check_ins", "check_in_history", "quarantine",
    "thresholds", "status_overrides", "plan_actions", "plans", "plan_items", "audit_log", "sessions",
    "client_contacts", "answer_notes",
)


def _assert_same_metrics(con) -> None:
    after = snapshot(con)
    for view, rows in BEFORE.items():
        assert len(after[view]) == len(rows), view
        different = [(mine, theirs) for mine, theirs in zip(after[view], rows, strict=True) if not same(mine, theirs)]
        assert not different, (view, different[:3])


def _schema_009_copy(source: Path, target: Path) -> None:
    """A database at schema 009 holding the data of `source`, as legday left it before 010."""
    raw = duckdb.connect(str(target))
    raw.execute(
        "create table schema_version (version integer primary key, name text not null, "
        "applied_at timestamp not null default current_timestamp)"
    )
    for version, name, path in db.migrations():
        if version <= LAST_BEFORE:
            raw.execute(path.read_text())
            raw.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
    raw.execute(f"attach '{source}' as newer (read_only)")
    for table in DATA_TABLES:
        raw.execute(f"delete from {table}")  # noqa: S608 - constants
        raw.execute(f"insert into {table} by name select * from newer.{table}")  # noqa: S608 - constants
    raw.close()


def test_the_demo_metrics_equal_those_before_the_migration(tmp_path):
    con = build(tmp_path / "demo.duckdb")
    _assert_same_metrics(con)


def test_an_existing_database_migrates_to_equal_metrics(tmp_path):
    con = build(tmp_path / "new.duckdb")
    planned = con.execute("select session_id, client_id from sessions order by session_id").fetchall()
    session_id, client_id = planned[0]
    con.execute("update sessions set session_date = ? where session_id = ?", [AS_OF, session_id])
    sessions.mark_done(con, acting("tina"), session_id, actual_minutes=30, actual_rpe=4)
    expected_rows = con.execute(
        "select client_id, session_date, session_type, minutes, rpe, load, source from done_sessions order by all"
    ).fetchall()
    con.close()
    _schema_009_copy(tmp_path / "new.duckdb", tmp_path / "old.duckdb")

    migrated = db.connect(tmp_path / "old.duckdb")
    db.set_as_of(migrated, AS_OF)
    assert db.schema_version(migrated) >= 10
    got = migrated.execute(
        "select client_id, session_date, session_type, minutes, rpe, load, source from done_sessions order by all"
    ).fetchall()
    assert got == expected_rows
    counts = migrated.execute(
        "select count(*) filter (where source = 'check-in'), count(*) filter (where source = 'planned') "
        "from done_sessions"
    ).fetchone()
    reported = migrated.execute("select count(*) from check_ins where session_type <> 'none'").fetchone()[0]
    assert counts == (reported, 1)
    # the planned session done today changes that client's numbers; everyone else's are as before
    migrated.execute("delete from done_sessions where source = 'planned'")
    from pipelines import load_state

    load_state.refresh(migrated, [client_id])
    _assert_same_metrics(migrated)

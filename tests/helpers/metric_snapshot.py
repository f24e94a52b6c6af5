"""Every metric view's rows on a demo database, as plain JSON-able values, to compare one
build of legday against another (the done-sessions migration: tests/test_done_sessions_migration.py).

`python -m tests.helpers.metric_snapshot OUT.json` writes the snapshot of the demo built
with DEMO below by the code checked out; tests/data/demo_metrics_before_010.json was
written so by the commit before migration 010 (30b4d9d).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import tempfile
from pathlib import Path

from pipelines import db
from pipelines.demo import build_demo

AS_OF = dt.date(2026, 11, 20)
DEMO = {"clients": 8, "days": 60, "seed": 11, "end": AS_OF}
# Each metric view with the columns compared (roster: those that are metric values).
VIEWS = {
    "daily_load": "client_id, day, has_checkin, session_type, session_minutes, session_rpe, load, ewma_acute, ewma_chronic",
    "load_metrics": "*",
    "wellness": "*",
    "soreness": "*",
    "risk_flags": "*",
    "recovery_status": "*",
    "roster": "client_id, status, reasons, last_checkin, acwr_ewma, max_soreness, days_since_legs",
}


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def snapshot(con) -> dict[str, list[list]]:
    return {
        view: [_plain(list(row)) for row in con.execute(f"select {columns} from {view} order by all").fetchall()]  # noqa: S608 - constants
        for view, columns in VIEWS.items()
    }


def same(mine, theirs) -> bool:
    if isinstance(mine, float) and isinstance(theirs, float | int):
        return math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(map(same, mine, theirs))
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return mine.keys() == theirs.keys() and all(same(mine[key], theirs[key]) for key in mine)
    return mine == theirs


def build(path: Path):
    con = db.connect(path)
    db.set_as_of(con, AS_OF)
    build_demo(con, **DEMO)
    return con


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        connection = build(Path(folder) / "demo.duckdb")
        Path(sys.argv[1]).write_text(json.dumps(snapshot(connection), separators=(",", ":")) + "\n")
        connection.close()

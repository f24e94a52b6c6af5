"""client_day_load is rebuilt by migrate when it was stored by another derivation."""

from __future__ import annotations

from load_state_check import same_rows, stored_rows
from metrics_fixtures import add_checkins, add_client, day, session

from pipelines import db


def test_migrate_rebuilds_rows_stored_by_an_older_derivation(tmp_path):
    path = tmp_path / "old.duckdb"
    con = db.connect(path)
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-01"): session("legs", 60, 7), day("2026-11-03"): {"mood": 2}})
    fresh = stored_rows(con)
    con.execute("delete from client_day_load")
    con.execute("update schema_meta set value = 'older' where key = 'client_day_load'")
    con.close()
    con = db.connect(path)
    assert same_rows(stored_rows(con), fresh)
    assert len(fresh) == 3 + 29 and fresh[0][7] == 420.0  # 3 days then 29 settling days; the legs day's load
    assert db.migrate(con) == []

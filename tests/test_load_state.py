"""client_day_load is rebuilt by migrate when it was stored by another derivation."""

from __future__ import annotations

from metrics_fixtures import add_checkins, add_client, day, session

from pipelines import db


def test_migrate_rebuilds_rows_stored_by_an_older_derivation(tmp_path):
    path = tmp_path / "old.duckdb"
    con = db.connect(path)
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-01"): session("legs", 60, 7), day("2026-11-03"): {"mood": 2}})
    fresh = con.execute("select * from client_day_load order by all").fetchall()
    con.execute("delete from client_day_load")
    con.execute("update schema_meta set value = 'older' where key = 'client_day_load'")
    con.close()
    con = db.connect(path)
    assert con.execute("select * from client_day_load order by all").fetchall() == fresh
    assert len(fresh) == 3 and fresh[0][6] == 420.0  # load of the legs day
    assert db.migrate(con) == []

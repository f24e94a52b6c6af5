"""client_day_load and client_recent_load are rebuilt by migrate when they were stored by
another derivation or an older schema."""

from __future__ import annotations

import duckdb

from pipelines import db, load_state
from tests.helpers.load_state_check import is_fresh, same_rows, stored_rows
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, session


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


def test_a_database_from_before_the_stored_windows_gets_them_on_open(tmp_path):
    """A database at schema 4 (client_day_load without windows, no client_recent_load)
    with check-ins in it: opening it migrates and fills both tables, and the roster reads them."""
    path = tmp_path / "v4.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("create table schema_version (version integer primary key, name text not null, "
                "applied_at timestamp not null default current_timestamp)")
    for version, name, migration in db.migrations():
        if version <= 4:
            raw.execute(migration.read_text())
            raw.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
    raw.execute("insert into trainers (trainer_id, name, password_hash) values ('tina', 'Tina', 'x')")
    raw.execute("insert into clients (client_id, name, trainer_id) values ('a', 'Ana', 'tina')")
    raw.execute(
        "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, soreness_glutes, "
        "soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, session_type, session_minutes, session_rpe) "
        "values ('a', date '2026-11-18', 8, 2, 2, 2, 7.5, 4, 4, 4, 4, 'legs', 60, 7), "
        "('a', date '2026-11-19', 3, 1, 1, 1, 7.5, 4, 4, 4, 4, 'none', 0, 0)"
    )
    raw.close()
    con = db.connect(path)
    assert db.schema_version(con) == max(version for version, _, _ in db.migrations())
    assert con.execute("select count(*) from client_day_load").fetchone() == (2 + 29,)
    assert con.execute("select min(day)::text, count(*) from client_recent_load").fetchone() == ("2026-11-19", 1 + 29)
    assert is_fresh(con)
    roster = con.execute("select status, last_checkin::text, days_since_legs from roster").fetchall()
    assert roster == [("ready", "2026-11-19", 2)]  # soreness 3 two days after legs: normal DOMS


def test_a_refresh_of_more_days_than_a_block_derives_them_a_block_at_a_time(tmp_path, monkeypatch):
    """load_state.refresh derives at most REFRESH_BLOCK_DAYS calendar days per statement
    (each statement's windows hold its rows in memory), never splitting a client; block by
    block, the rows equal one statement's."""
    con = db.connect(tmp_path / "blocks.duckdb")
    for number in range(5):
        add_client(con, f"b{number}")
        add_checkins(
            con, f"b{number}",
            {f"2026-11-{10 + offset:02d}": session("legs", 30 + 10 * number, 6 + offset % 3) for offset in range(9)},
        )
    whole = stored_rows(con)
    monkeypatch.setattr(load_state, "REFRESH_BLOCK_DAYS", 80)  # each client has 9 + 29 days: two a block
    assert load_state._blocks(con, None) == [["b0", "b1"], ["b2", "b3"], ["b4"]]
    assert load_state._blocks(con, ["b3"]) == [["b3"]]
    with db.transaction(con):
        load_state.refresh(con)
    assert same_rows(stored_rows(con), whole) and len({row[0] for row in whole}) == 5
    with db.transaction(con):
        load_state.refresh(con, ["b4", "b0", "b2"])
    assert same_rows(stored_rows(con), whole)

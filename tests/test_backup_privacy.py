"""Backups, restores, damaged files, and a client's export and deletion."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from typer.testing import CliRunner

from pipelines import backup, db, load_state, overrides, privacy
from pipelines.cli import app
from tests.helpers.viewers import OWNER, acting

runner = CliRunner()
SECRET = "Knee-story-7f3a9c1e: twisted it on the stairs"


def _checkin(con, client_id, day, notes=None):
    con.execute(
        "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, "
        "soreness_glutes, soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, "
        "session_type, session_minutes, session_rpe, pain, notes) "
        "values (?, ?, 3, 2, 1, 0, 7.5, 3, 4, 3, 4, 'legs', 60, 7, true, ?)",
        [client_id, day, notes],
    )
    load_state.refresh(con, [client_id])


def test_backup_and_restore_round_trip(two_trainers, tmp_path):
    _checkin(two_trainers, "c2", dt.date(2026, 11, 18))
    two_trainers.execute("insert into ingest_runs (file_sha256, source) values ('x', 'csv')")
    saved = backup.backup(two_trainers)
    assert backup.check_backup(saved) == db.schema_version(two_trainers)
    two_trainers.execute("delete from check_ins")
    two_trainers.close()
    backup.restore(saved)
    con = db.connect()
    assert con.execute("select count(*) from check_ins").fetchone()[0] == 1
    assert con.execute("select file_sha256 from ingest_runs").fetchall() == [("x",)]
    run_id = con.execute("insert into ingest_runs (file_sha256, source) values ('y', 'csv') returning run_id").fetchone()[0]
    assert run_id == 2, "sequences continue after a restore"
    con.close()


def test_restore_refuses_a_file_that_is_not_a_legday_database(tmp_path, con):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(db.DatabaseCorrupt, match="not a readable DuckDB file"):
        backup.restore(junk)
    assert con.execute("select count(*) from thresholds").fetchone()[0] > 0


def test_damaged_database_gives_a_message_with_the_last_backup(tmp_path, con):
    saved = backup.backup(con)
    con.close()
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"\x00garbage" * 4096)
    with pytest.raises(db.DatabaseCorrupt) as caught:
        db.connect(broken)
    assert str(saved) in str(caught.value)
    result = runner.invoke(app, ["--db", str(broken), "init"])
    assert result.exit_code == 1
    assert "cannot be opened as a legday database" in result.output and "Traceback" not in result.output


def test_client_export_holds_everything_about_the_client(two_trainers):
    _checkin(two_trainers, "c2", dt.date(2026, 11, 18), SECRET)
    _checkin(two_trainers, "c3", dt.date(2026, 11, 18), "other client")
    overrides.set_override(two_trainers, acting("sam"), "c2", "rest", "physio said so")
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_client(two_trainers, OWNER, "c2")))
    assert set(archive.namelist()) == {f"{table}.csv" for table in privacy.CLIENT_ROWS}
    check_ins = archive.read("check_ins.csv").decode()
    assert SECRET in check_ins and "other client" not in check_ins
    assert "physio said so" in archive.read("status_overrides.csv").decode()
    assert "token_hash" not in archive.read("client_tokens.csv").decode()


def test_every_table_with_client_data_is_covered(con):
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.columns where column_name = 'client_id'"
        ).fetchall()
    }
    views = {row[0] for row in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert tables - views <= set(privacy.CLIENT_ROWS)


def test_client_delete_removes_every_row_and_the_bytes(two_trainers, tmp_path):
    _checkin(two_trainers, "c2", dt.date(2026, 11, 18), SECRET)
    _checkin(two_trainers, "c3", dt.date(2026, 11, 18), "keep me")
    overrides.set_override(two_trainers, acting("sam"), "c2", "rest", "physio said so")
    two_trainers.execute("checkpoint")
    path = tmp_path / "legday.duckdb"
    assert SECRET.encode() in path.read_bytes()
    counts = privacy.delete_client(two_trainers, acting("olga"), "c2")
    two_trainers.close()
    assert counts["check_ins"] == 1 and counts["clients"] == 1 and counts["status_overrides"] == 1
    assert not [file.name for file in tmp_path.rglob("*") if file.is_file() and SECRET.encode() in file.read_bytes()]
    con = db.connect()
    for table in privacy.CLIENT_ROWS:
        if table != "plan_items":
            assert con.execute(f"select count(*) from {table} where client_id = 'c2'").fetchone()[0] == 0  # noqa: S608
    assert con.execute("select count(*) from check_ins where client_id = 'c3'").fetchone()[0] == 1
    assert con.execute("select action, subject from audit_log where action like 'client %' order by logged_at").fetchall() == [
        ("client deleted", "c2"), ("client erased", "c2")]
    con.close()


def test_client_delete_cli_needs_yes_and_names_unknown_clients(two_trainers, tmp_path):
    two_trainers.close()
    assert runner.invoke(app, ["client", "delete", "c2"]).exit_code == 2
    unknown = runner.invoke(app, ["client", "delete", "zz", "--yes"])
    assert unknown.exit_code == 1 and "unknown client 'zz'" in unknown.output
    out = tmp_path / "c2.zip"
    assert runner.invoke(app, ["client", "export", "c2", "--out", str(out)]).exit_code == 0
    assert zipfile.is_zipfile(out)
    assert runner.invoke(app, ["client", "delete", "c2", "--yes"]).exit_code == 0

"""Done sessions as records of their own: privacy, import, corrections (docs/done-sessions.md)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from pipelines import load_state, privacy
from tests.helpers.viewers import OWNER, acting

SECRET = "Session-note-9b2e4d: hamstring twinge on the last set"


def _manual(con, client_id: str, day: dt.date, notes: str) -> None:
    con.execute(
        "insert into done_sessions (client_id, session_date, session_type, minutes, rpe, load, source, notes, "
        "created_by) values (?, ?, 'legs', 60, 7, 420, 'manual', ?, 'sam')",
        [client_id, day, notes],
    )
    con.execute(
        "insert into done_session_history (done_session_id, client_id, session_date, session_type, notes, change, "
        "reason, changed_by) select done_session_id, client_id, session_date, session_type, notes, 'corrected', "
        "?, 'sam' from done_sessions where client_id = ?",
        [notes, client_id],
    )
    load_state.refresh(con, [client_id])


def test_a_clients_sessions_are_exported_and_erased_without_a_trace(two_trainers, tmp_path):
    _manual(two_trainers, "c2", dt.date(2026, 11, 18), SECRET)
    _manual(two_trainers, "c3", dt.date(2026, 11, 18), "keep me")
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_client(two_trainers, OWNER, "c2")))
    assert SECRET in archive.read("done_sessions.csv").decode()
    assert SECRET in archive.read("done_session_history.csv").decode()
    assert "keep me" not in archive.read("done_sessions.csv").decode()
    two_trainers.execute("checkpoint")
    path = tmp_path / "legday.duckdb"
    assert SECRET.encode() in path.read_bytes()
    counts = privacy.delete_client(two_trainers, acting("olga"), "c2")
    assert counts["done_sessions"] == 1 and counts["done_session_history"] == 1
    assert two_trainers.execute("select count(*) from done_sessions").fetchone()[0] == 1
    two_trainers.close()
    assert not [file.name for file in tmp_path.rglob("*") if file.is_file() and SECRET.encode() in file.read_bytes()]


def test_export_sessions_writes_the_canonical_columns_and_imports_again(two_trainers, tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app
    from pipelines.ingest import ingest_file

    _manual(two_trainers, "c2", dt.date(2026, 11, 18), "=SUM(A1)")
    two_trainers.close()
    out = tmp_path / "sessions.csv"
    result = CliRunner().invoke(app, ["export", "sessions", "--out", str(out), "--client", "c2"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("client_id,date,time,type,minutes,rpe,load,external_id,notes,rpe_estimated,original_type,"
                        "source,counted,matched_by")
    assert lines[1] == "c2,2026-11-18,,legs,60,7,420,,'=SUM(A1),false,,manual,true,"
    from pipelines import db

    con = db.connect()
    again = ingest_file(con, OWNER, out, file_name="sessions.csv", mapping="sessions")
    assert again.accepted == 1 and again.quarantined == 0
    counted = con.execute("select source, counted, matched_by from counted_sessions order by source").fetchall()
    assert counted == [("import", False, "manual"), ("manual", True, None)]  # the round trip counts once

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


def test_a_trainer_adds_corrects_and_removes_a_session_with_the_reason_kept(two_trainers):
    import pytest

    from pipelines import done_sessions
    from pipelines.access import AccessDenied, Viewer
    from tests.helpers.load_state_check import is_fresh
    from tests.helpers.metrics_fixtures import add_checkins, day

    con = two_trainers
    sam, olga = Viewer("sam", "Sam", False), Viewer("olga", "Olga", True)
    add_checkins(con, "c2", {day("2026-11-16"): {}})
    with pytest.raises(AccessDenied):
        done_sessions.add_session(con, sam, "c1", day=day("2026-11-18"), session_type="legs", minutes=60, rpe=7)
    with pytest.raises(done_sessions.DoneSessionError, match="has not come yet"):
        done_sessions.add_session(con, sam, "c2", day=day("2026-11-21"), session_type="legs", minutes=60, rpe=7)
    first = done_sessions.add_session(con, sam, "c2", day=day("2026-11-18"), session_type="legs", minutes=60, rpe=7)
    done_sessions.add_session(con, sam, "c2", day=day("2026-11-18"), session_type="cardio", minutes=30)  # RPE est.
    load = "select load, sessions, load_estimated from client_day_load where client_id = 'c2' and day = '2026-11-18'"
    assert con.execute(load).fetchone() == (570.0, 2, True)  # 420 + 30 x the cardio default 5
    with pytest.raises(done_sessions.DoneSessionError, match="say why"):
        done_sessions.correct_session(con, sam, first, reason=" ", day=day("2026-11-18"), session_type="legs",
                                      minutes=45, rpe=7)
    done_sessions.correct_session(con, sam, first, reason="the client stopped early", day=day("2026-11-18"),
                                  session_type="legs", minutes=45, rpe=7)
    assert con.execute(load).fetchone() == (465.0, 2, True)
    done_sessions.remove_session(con, olga, first, reason="logged twice")
    assert con.execute(load).fetchone() == (150.0, 1, True)
    history = con.execute("select minutes, change, reason, changed_by from done_session_history order by changed_at").fetchall()
    assert history == [(60, "corrected", "the client stopped early", "sam"), (45, "removed", "logged twice", "olga")]
    shown = done_sessions.client_sessions(con, sam, "c2", day("2026-11-18"), day("2026-11-18"))
    assert [(row["session_type"], row["removed_at"] is not None, row["counted"]) for row in shown] == [
        ("legs", True, False), ("cardio", False, True)]
    actions = [a for (a,) in con.execute("select action from audit_log where action like 'done_session.%'").fetchall()]
    assert sorted(actions) == ["done_session.add", "done_session.add", "done_session.correct", "done_session.remove"]
    assert is_fresh(con)


def test_the_client_page_lists_a_days_sessions_and_adds_one(demo_db):
    from pipelines import db
    from tests.helpers.dashboard_fixtures import app_as
    from tests.test_dashboard import SAM

    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    con.close()
    at = app_as(SAM, client=client_id)
    at.run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    assert "Training sessions" in [h.value for h in at.subheader]
    add = next(b for b in at.button if b.label == "Add session")
    add.click().run()
    assert not at.exception
    assert any("give the minutes or the load" in e.value for e in at.error), "minutes are never made up"
    at.number_input(key="add-minutes").set_value(45)
    next(b for b in at.button if b.label == "Add session").click().run()
    assert not at.exception
    con = db.connect()
    added = con.execute("select source, minutes, rpe_estimated from done_sessions where created_by = 'sam'").fetchall()
    con.close()
    assert added == [("manual", 45, True)]

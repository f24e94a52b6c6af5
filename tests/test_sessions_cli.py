"""`legday session add|done` and `legday today` (as of 2026-11-20)."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from pipelines import db
from pipelines.cli import app
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, session

runner = CliRunner()


def _database(tmp_path) -> str:
    path = tmp_path / "cli.duckdb"
    con = db.connect(path)
    add_client(con, "ana", name="Ana Álvarez")
    add_checkins(con, "ana", {day("2026-10-20") + dt.timedelta(days=offset): session("upper", 40, 5) for offset in range(31)})
    add_client(con, "bo", name="Bo Berg")
    add_checkins(con, "bo", {day("2026-11-18"): session("legs", 60, 7), day("2026-11-20"): {"soreness_quads": 5}})
    con.close()
    return str(path)


def _legday(path: str, *args: str):
    return runner.invoke(app, ["--db", path, *args])


def test_session_add_prints_the_projection_and_a_suggestion(tmp_path):
    path = _database(tmp_path)
    added = _legday(path, "session", "add", "ana", "--date", "2026-11-20", "--type", "upper",
                    "--minutes", "120", "--rpe", "8", "--time", "18:30", "--notes", "bring the bands")
    assert added.exit_code == 0, added.output
    lines = added.output.splitlines()
    assert lines[0] == "session 1: upper for ana on 2026-11-20, 120 min at RPE 8"
    assert lines[1].startswith("On 2026-11-20: ACWR 0.81 -> 1.55 (weighted)")
    assert "warning: Training jumped: this week's load is 1.5× their usual, ACWR 1.55" in lines
    assert lines[-1].startswith("suggestion: At RPE ")


def test_session_add_refuses_bad_input_with_one_line(tmp_path):
    path = _database(tmp_path)
    bad_date = _legday(path, "session", "add", "ana", "--date", "20/11/2026", "--type", "legs", "--minutes", "30", "--rpe", "5")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output
    bad_type = _legday(path, "session", "add", "ana", "--date", "2026-11-21", "--type", "swim", "--minutes", "30", "--rpe", "5")
    assert bad_type.exit_code == 1 and "session type must be one of" in bad_type.output
    unknown = _legday(path, "session", "add", "zed", "--date", "2026-11-21", "--type", "legs", "--minutes", "30", "--rpe", "5")
    assert unknown.exit_code == 1 and "unknown client 'zed'" in unknown.output
    assert _legday(path, "session", "add", "ana", "--date", "2026-11-21").exit_code == 2


def test_session_done_counts_the_load(tmp_path):
    path = _database(tmp_path)
    assert _legday(path, "session", "add", "bo", "--date", "2026-11-20", "--type", "cardio", "--minutes", "30", "--rpe", "5").exit_code == 0
    assert _legday(path, "session", "add", "bo", "--date", "2026-11-21", "--type", "legs", "--minutes", "30", "--rpe", "5").exit_code == 0
    done = _legday(path, "session", "done", "1", "--minutes", "40", "--rpe", "6")
    assert done.exit_code == 0 and done.output.strip() == "session 1 done: 40 min at RPE 6"
    early = _legday(path, "session", "done", "2", "--minutes", "40", "--rpe", "6")
    assert early.exit_code == 1 and "has not come yet" in early.output
    missing = _legday(path, "session", "done", "9", "--minutes", "40", "--rpe", "6")
    assert missing.exit_code == 1 and "unknown session 9" in missing.output
    con = db.connect(path)
    assert con.execute("select load from daily_load where client_id = 'bo' and day = '2026-11-20'").fetchone() == (240.0,)
    con.close()


def test_today_lists_today_and_tomorrow_in_time_order(tmp_path):
    path = _database(tmp_path)
    for client, when, kind, time in [("ana", "2026-11-21", "upper", "07:00"), ("bo", "2026-11-20", "mobility", "17:00"),
                                     ("ana", "2026-11-20", "cardio", "08:30"), ("bo", "2026-11-22", "legs", "09:00")]:
        added = _legday(path, "session", "add", client, "--date", when, "--type", kind, "--minutes", "30", "--rpe", "4", "--time", time)
        assert added.exit_code == 0, added.output
    listed = _legday(path, "today", "--json")
    assert listed.exit_code == 0, listed.output
    got = json.loads(listed.output)
    assert [(row["session_date"], row["start_time"], row["client_id"]) for row in got] == [
        ("2026-11-20", "08:30:00", "ana"), ("2026-11-20", "17:00:00", "bo"), ("2026-11-21", "07:00:00", "ana")]
    bo = got[1]
    # quads 5/10 two days after leg day: normal DOMS, not a flag
    assert (bo["status"], bo["reasons"], bo["days_since_legs"], bo["next_intensity"]) == ("ready", [], 2, None)
    table = _legday(path, "today", "--trainer", "tina")
    assert table.exit_code == 0 and "today 08:30" in table.output and "Bo Berg" in table.output
    assert "No sessions planned" in _legday(path, "today", "--trainer", "nobody").output

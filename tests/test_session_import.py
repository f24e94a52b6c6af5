"""Importing done sessions from files (docs/done-sessions.md "Importing sessions"): the
canonical sessions file and the shipped Strava and Garmin Connect mappings, through the
ingest path (one transaction, hash + mapping idempotency, quarantine with line and reason)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.ingest import ingest_file
from pipelines.ingest.outcome import IngestRefused, UnknownMapping
from pipelines.settings import get_settings
from tests.helpers.load_state_check import is_fresh
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, rows, session
from tests.helpers.viewers import OWNER

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
runner = CliRunner()
STORED = (
    "select session_date, start_time, session_type, original_type, minutes, rpe, rpe_estimated, load, source, "
    "external_id from done_sessions where client_id = $client order by session_date, start_time"
)


def _daily(con, client_id: str) -> dict[dt.date, tuple]:
    got = rows(con, "select day, load, sessions, load_estimated from client_day_load where client_id = $c and load > 0",
               {"c": client_id})
    return {r["day"]: (r["load"], r["sessions"], r["load_estimated"]) for r in got}


@pytest.fixture
def clients(con):
    for client_id in ("c001", "c002"):
        add_client(con, client_id)
        add_checkins(con, client_id, {day("2026-11-09"): {}})
    return con


def test_the_canonical_file_adds_sessions_load_only_rows_and_estimates(clients):
    con = clients
    result = ingest_file(con, OWNER, SAMPLES / "sessions.csv", file_name="sessions.csv", mapping="sessions")
    assert (result.accepted, result.quarantined) == (4, 0)
    assert _daily(con, "c001") == {day("2026-11-16"): (600.0, 2, False), day("2026-11-17"): (350.0, 1, False)}
    stored = rows(con, STORED, {"client": "c002"})
    assert stored == [{
        "session_date": day("2026-11-17"), "start_time": None, "session_type": "mobility", "original_type": None,
        "minutes": 20, "rpe": 2, "rpe_estimated": True, "load": 40.0, "source": "import", "external_id": None,
    }]
    assert _daily(con, "c002") == {day("2026-11-17"): (40.0, 1, True)}
    assert is_fresh(con)



def test_the_same_activity_twice_in_a_file_keeps_the_first(clients):
    """Same client and external id on a later line: held back naming the line kept, after
    the row's other problems; another client's activity with that id is not the same."""
    con = clients
    text = (
        "client_id,date,type,minutes,rpe,external_id\n"
        "c001,2026-11-16,legs,45,7,a1\n"           # line 1: stored
        "c002,2026-11-16,legs,45,7,a1\n"           # line 2: another client's a1, stored
        "c001,2026-11-16,legs,45,7,a1\n"           # line 3: the same as line 1
        "c001,2026-11-16,legs,45,12,a1\n"          # line 4: RPE out of range and the same as line 1
        "c001,2026-11-17,cardio,30,5,\n"           # line 5: no id, stored
    )
    result = ingest_file(con, OWNER, text.encode(), file_name="export.csv", mapping="sessions")
    assert (result.accepted, result.quarantined) == (3, 2)
    held = rows(con, "select line_number, field, rule, reason from quarantine order by line_number")
    assert held == [
        {"line_number": 3, "field": "external_id", "rule": "duplicate",
         "reason": "the same activity (a1) as line 1, which is kept"},
        {"line_number": 4, "field": "rpe", "rule": "out_of_range",
         "reason": "rpe must be between 0 and 10, got 12; the same activity (a1) as line 1, which is kept"},
    ]
    assert is_fresh(con)

def test_bad_rows_are_held_back_with_line_and_reason(clients):
    con = clients
    text = (
        "client_id,date,type,minutes,rpe,load\n"
        "c001,2026-11-16,legs,45 min,7,\n"          # line 1: stored
        "nobody,2026-11-16,legs,45,7,\n"            # line 2: unknown client
        "c001,2026-12-25,legs,45,7,\n"              # line 3: after today
        "c001,2026-11-16,cardio,,,\n"               # line 4: neither minutes nor load
        "c001,2026-11-16,cardio,a while,6,\n"       # line 5: unreadable duration
        "c001,2026-11-16,cardio,30,11,\n"           # line 6: RPE out of range
        "c001,2026-11-16,,30,5,\n"                  # line 7: no type
    )
    result = ingest_file(con, OWNER, text.encode(), file_name="week.csv", mapping="sessions")
    assert (result.accepted, result.quarantined) == (1, 6)
    held = rows(con, "select line_number, field, rule, reason from quarantine order by line_number")
    assert [(r["line_number"], r["field"], r["rule"]) for r in held] == [
        (2, "client_id", "unknown_client"), (3, "session_date", "future_date"), (4, "minutes", "required"),
        (5, "minutes", "unreadable"), (6, "rpe", "out_of_range"), (7, "session_type", "required"),
    ]
    assert held[3]["reason"] == "minutes 'a while' could not be read as a duration"
    assert rows(con, "select minutes, rpe, load from done_sessions where source = 'import'") == [
        {"minutes": 45, "rpe": 7, "load": 315.0}]


def test_a_strava_export_maps_types_keeps_unknown_ones_and_estimates_missing_rpe(clients, monkeypatch):
    monkeypatch.setenv("LEGDAY_TIMEZONE", "America/Los_Angeles")
    monkeypatch.setenv("LEGDAY_DEFAULT_RPE", '{"other": 4}')
    get_settings.cache_clear()
    con = clients
    result = ingest_file(con, OWNER, SAMPLES / "strava_activities.csv", file_name="activities.csv",
                         mapping="strava_activities", client="c001")
    assert (result.accepted, result.quarantined) == (5, 0)
    assert result.warnings == []
    stored = rows(con, STORED, {"client": "c001"})
    assert [(r["session_date"], r["start_time"], r["session_type"], r["original_type"], r["minutes"], r["rpe"],
             r["rpe_estimated"], r["external_id"]) for r in stored] == [
        # 06:32 UTC on the 10th is 22:32 on the 9th in Los Angeles
        (day("2026-11-09"), dt.time(22, 32, 11), "cardio", "Run", 45, 6, False, "10960001"),
        (day("2026-11-11"), dt.time(9, 5, 40), "other", "Rock Climbing", 90, 4, True, "10960002"),
        (day("2026-11-11"), dt.time(23, 0, 2), "cardio", "Ride", 60, 5, True, "10960003"),
        (day("2026-11-13"), dt.time(10, 15), "other", "Weight Training", 55, 8, False, "10960004"),
        (day("2026-11-14"), dt.time(0, 40), "cardio", "Virtual Ride", 30, 3, False, "10960005"),
    ]
    assert _daily(con, "c001")[day("2026-11-11")] == (660.0, 2, True)


def test_the_same_export_again_changes_nothing_and_a_changed_one_updates(clients):
    con = clients
    data = (SAMPLES / "strava_activities.csv").read_bytes()
    first = ingest_file(con, OWNER, data, file_name="activities.csv", mapping="strava_activities", client="c001")
    before = rows(con, "select * from done_sessions order by all")
    again = ingest_file(con, OWNER, data, file_name="activities.csv", mapping="strava_activities", client="c001")
    assert again.already_ingested and again.run_id == first.run_id
    assert rows(con, "select * from done_sessions order by all") == before
    edited = data.replace(b"Morning Run,Run,,2710", b"Morning Run,Run,,3600")
    changed = ingest_file(con, OWNER, edited, file_name="activities.csv", mapping="strava_activities", client="c001")
    assert (changed.accepted, changed.updated, changed.unchanged) == (0, 1, 4)
    assert rows(con, "select minutes from done_sessions where external_id = '10960001'") == [{"minutes": 60}]
    assert rows(con, "select minutes, change from done_session_history") == [{"minutes": 45, "change": "import changed"}]
    assert is_fresh(con)


def test_a_garmin_export_reads_clock_durations(clients):
    con = clients
    result = ingest_file(con, OWNER, SAMPLES / "garmin_activities.csv", file_name="Activities.csv",
                         mapping="garmin_activities", client="c002")
    assert (result.accepted, result.quarantined) == (4, 0)
    stored = rows(con, STORED, {"client": "c002"})
    assert [(r["session_type"], r["original_type"], r["minutes"], r["rpe"], r["rpe_estimated"]) for r in stored] == [
        ("cardio", "Running", 48, 5, True),
        ("other", "Strength Training", 55, 5, True),
        ("cardio", "Indoor Cycling", 63, 5, True),
        ("mobility", "Yoga", 30, 2, True),
    ]


def test_a_check_in_session_and_the_imported_activity_count_once(clients):
    con = clients
    add_checkins(con, "c001", {day("2026-11-10"): session("cardio", 45, 7)})  # the run, as the client felt it
    ingest_file(con, OWNER, SAMPLES / "strava_activities.csv", file_name="activities.csv",
                mapping="strava_activities", client="c001")
    assert _daily(con, "c001")[day("2026-11-10")] == (315.0, 1, False)  # not 315 + the run's 270
    assert rows(con, "select matched_by from counted_sessions where external_id = '10960001'") == [
        {"matched_by": "check-in"}]


def test_a_session_file_without_the_required_columns_is_refused(clients, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"record": "sessions", "fields": {"session_date": {"column": "Day"}}}')
    with pytest.raises(UnknownMapping, match="session_type"):
        ingest_file(clients, OWNER, b"x\n", file_name="x.csv", mapping=str(bad))
    with pytest.raises(IngestRefused, match="missing required column"):
        ingest_file(clients, OWNER, b"date,type,minutes\n2026-11-10,legs,30\n", file_name="x.csv", mapping="sessions")


def test_the_cli_imports_sessions_by_mapping_or_alias(clients, tmp_path):
    clients.close()
    first = runner.invoke(app, ["ingest", str(SAMPLES / "garmin_activities.csv"), "--mapping", "garmin_activities",
                                "--client", "c002"])
    assert first.exit_code == 0, first.output
    assert "4 accepted" in first.output
    second = runner.invoke(app, ["session", "import", str(SAMPLES / "sessions.csv")])
    assert second.exit_code == 0, second.output
    assert "4 accepted" in second.output


KILL_CHILD = """
import sys
from pathlib import Path
from pipelines import db
from pipelines.ingest import ingest_file
con = db.connect(sys.argv[1])
print("started", flush=True)
ingest_file(con, Path(sys.argv[2]), file_name="sessions.csv", mapping="sessions")
print("finished", flush=True)
"""


@pytest.mark.slow
def test_sigkill_during_a_session_import_leaves_all_or_nothing(tmp_path):
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    import duckdb

    from pipelines import db, people

    rows_count, clients_count = 100_000, 100
    data = tmp_path / "sessions.csv"
    duckdb.execute(
        f"copy (select 'k' || (i % {clients_count}) as client_id, date '2026-11-20' - (i // 300)::int as date, "  # noqa: S608
        "['legs', 'cardio', 'upper'][i % 3 + 1] as type, 30 + i % 60 as minutes, i % 10 as rpe, "
        f"'a' || i as external_id from range({rows_count}) as numbers(i)) to '{data}' (header)"
    )
    rng = random.Random(20261121)
    for attempt in range(3):
        path = tmp_path / f"crash{attempt}.duckdb"
        con = db.connect(path)
        people.add_trainer(con, OWNER, "t", "Trainer", "trainer-pass-1")
        people.import_clients(con, OWNER, "client_id,name,trainer_id,since\n" + "".join(
            f"k{i},K {i},t,\n" for i in range(clients_count)))
        con.close()
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(path), str(data)], stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parents[1], env={**os.environ, "LEGDAY_MAX_FILE_MB": "100"},
        )
        assert child.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.05, 2.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        con = db.connect(path)
        stored = con.execute("select count(*) from done_sessions").fetchone()[0]
        runs = con.execute("select count(*), coalesce(sum(accepted), 0) from ingest_runs").fetchone()
        con.close()
        assert (stored, runs) in [(0, (0, 0)), (rows_count, (1, rows_count))]


def test_the_docs_table_of_default_rpe_is_the_settings_one():
    from pipelines.vocabulary import DEFAULT_RPE

    text = (Path(__file__).resolve().parents[1] / "docs" / "done-sessions.md").read_text(encoding="utf-8")
    header, _, values = text.split("\n| type | legs", 1)[1].splitlines()[:3]
    kinds = ["legs", *(cell.strip() for cell in header.split("|") if cell.strip())]
    rpes = [int(cell) for cell in values.split("|")[2:] if cell.strip()]
    assert dict(zip(kinds, rpes, strict=True)) == DEFAULT_RPE

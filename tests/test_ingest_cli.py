"""`legday ingest` and `legday quarantine`: summaries, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app
from tests.helpers.ingest_fixtures import checkin, csv_bytes

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_ingest_prints_a_summary_and_exits_0_with_quarantined_rows(two_trainers, tmp_path):
    path = write(tmp_path, "week.csv", csv_bytes([checkin(), checkin(client_id="ghost")]))
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "week.csv: 1 accepted, 0 updated, 0 unchanged, 1 quarantined (see legday quarantine list --run 1)"
    )
    listed = runner.invoke(app, ["quarantine", "list", "--run", "1"])
    assert listed.exit_code == 0
    assert listed.stdout.strip() == (
        "run 1 week.csv line 2: client ghost, client_id unknown_client: client_id 'ghost' is not a known client"
    )


def test_answers_left_empty_are_counted_in_the_summary_and_listed(two_trainers, tmp_path):
    path = write(tmp_path, "week.csv", csv_bytes([checkin(water_liters="6 glasses", session_rpe="5-6")]))
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.stdout.strip() == (
        "week.csv: 1 accepted, 0 updated, 0 unchanged, 0 quarantined; "
        "1 stored with an answer left empty (see legday quarantine list --run 1)"
    )
    listed = runner.invoke(app, ["quarantine", "list"])
    assert listed.stdout.strip().splitlines() == [
        "no quarantined rows",
        "stored with an answer left empty:",
        "run 1 week.csv line 1: client c2 on 2026-11-19, water_liters left empty (unreadable): "
        "water_liters '6 glasses' could not be read as litres",
        "run 1 week.csv line 1: client c2 on 2026-11-19, session_rpe left empty (not_whole): "
        "session_rpe '5-6' reads as 5.5, not a whole number",
    ]
    stored = two_trainers.execute("select water_liters, session_rpe, session_minutes from check_ins").fetchone()
    assert stored == (None, None, 60)


def test_ingest_json_summary(two_trainers, tmp_path):
    path = write(tmp_path, "week.csv", csv_bytes([checkin(), checkin(mood="9")]))
    result = runner.invoke(app, ["ingest", str(path), "--json"])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert {key: summary[key] for key in ("file", "accepted", "updated", "unchanged", "quarantined")} == {
        "file": "week.csv", "accepted": 1, "updated": 0, "unchanged": 0, "quarantined": 1,
    }
    assert summary["already_ingested"] is False and summary["encoding"] == "utf-8" and summary["run_id"] == 1
    again = json.loads(runner.invoke(app, ["ingest", str(path), "--json"]).stdout)
    assert again["already_ingested"] is True and again["accepted"] == 0


def test_refused_file_exits_1_with_one_line_naming_file_line_and_rule(two_trainers, tmp_path):
    good = csv_bytes([checkin()]).decode()
    path = write(tmp_path, "broken.csv", (good + "c2,2026-11-18,1\n").encode())
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1
    assert result.stderr == "legday: broken.csv: line 2 is malformed: it does not have the header's 18 values\n"
    assert two_trainers.execute("select count(*) from ingest_runs").fetchone() == (0,)


def test_one_refused_file_does_not_stop_the_others(two_trainers, tmp_path):
    bad = write(tmp_path, "empty.csv", b"")
    good = write(tmp_path, "good.csv", csv_bytes([checkin()]))
    result = runner.invoke(app, ["ingest", str(bad), str(good), "--json"])
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert files[0]["accepted"] == 1 and files[1] == {"file": "empty.csv", "refused": "empty.csv: the file is empty"}


def test_usage_errors_exit_2(two_trainers, tmp_path):
    path = write(tmp_path, "week.csv", csv_bytes([checkin()]))
    assert runner.invoke(app, ["ingest", str(path), "--mapping", "typeform"]).exit_code == 2
    assert runner.invoke(app, ["ingest", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2


def test_form_export_walkthrough_with_retry(con, tmp_path):
    steps = [
        (["trainer", "add", "sam", "--name", "Sam Rivera", "--password-stdin"], "trainer-pass-1\n"),
        (["client", "import", str(SAMPLES / "clients.csv")], None),
        (["ingest", str(SAMPLES / "form_export.csv"), "--mapping", "google_forms"], None),
    ]
    outputs = []
    for args, stdin in steps:
        result = runner.invoke(app, args, input=stdin)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout.strip())
    assert outputs[-1] == (
        "form_export.csv: 11 accepted, 0 updated, 0 unchanged, 1 quarantined (see legday quarantine list --run 1)"
    )
    assert "line 12: client zoe, client_id unknown_client" in runner.invoke(app, ["quarantine", "list"]).stdout
    assert runner.invoke(app, ["client", "add", "zoe", "--name", "Zoe", "--trainer", "sam"]).exit_code == 0
    retried = runner.invoke(app, ["quarantine", "retry"])
    assert retried.stdout.strip() == (
        "retried 1 quarantined rows: 1 stored (1 accepted, 0 updated, 0 unchanged), 0 still quarantined"
    )
    assert runner.invoke(app, ["quarantine", "list"]).stdout.strip() == "no quarantined rows"


def test_a_database_held_by_another_process_gives_one_clear_line(tmp_path, monkeypatch):
    db_path = tmp_path / "held.duckdb"
    path = write(tmp_path, "week.csv", csv_bytes([checkin()]))
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db_path)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "0.3")
        from pipelines.settings import get_settings

        get_settings.cache_clear()
        started = time.monotonic()
        result = runner.invoke(app, ["--db", str(db_path), "ingest", str(path)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is in use by another process" in result.stderr
    assert time.monotonic() - started < 10

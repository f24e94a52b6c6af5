"""CSV export: golden bytes, formula neutralisation, atomic writes, the CLI commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines import export, files
from pipelines.cli import app
from tests.helpers.metrics_fixtures import add_checkins, day, session
from tests.helpers.viewers import OWNER

runner = CliRunner()


def test_golden_csv():
    frame = pd.DataFrame({
        "client_id": ["c1", "c2"],
        "day": pd.to_datetime(["2026-11-19", "2026-11-20"]),
        "recorded_at": pd.to_datetime(["2026-11-19 07:30:00", "2026-11-20 00:00:00"]),
        "acwr": [1.25, np.nan],
        "delta": [-3, 4],
        "ok": [True, False],
        "reasons": [np.array(["Pain reported on 2026-11-19", "Leg day today"]), np.array([], dtype=object)],
        "notes": ["Álvarez, \"quoted\"", None],
    })
    assert export.to_csv_bytes(frame).decode("utf-8") == (
        "client_id,day,recorded_at,acwr,delta,ok,reasons,notes\r\n"
        'c1,2026-11-19,2026-11-19 07:30:00,1.25,-3,true,Pain reported on 2026-11-19; Leg day today,"Álvarez, ""quoted"""\r\n'
        "c2,2026-11-20,2026-11-20,,4,false,,\r\n"
    )


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text):
    frame = pd.DataFrame({"notes": [text], "value": [-1.5]})
    header, row = csv.reader(io.StringIO(export.to_csv_bytes(frame).decode(), newline=""))
    assert row == ["'" + text, "-1.5"]  # the number stays a (negative) number


def test_failed_export_leaves_no_file(tmp_path, monkeypatch):
    out = tmp_path / "roster.csv"

    def broken(_frame):
        raise OSError("disk full")

    monkeypatch.setattr(export, "to_csv_bytes", broken)
    with pytest.raises(OSError):
        export.write_csv_atomic(pd.DataFrame({"a": [1]}), out)
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_leaves_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "roster.csv"
    monkeypatch.setattr(files.os, "replace", lambda *_: (_ for _ in ()).throw(OSError("rename failed")))
    with pytest.raises(OSError):
        export.write_csv_atomic(pd.DataFrame({"a": [1]}), out)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def exported(two_trainers):
    con = two_trainers
    add_checkins(con, "c1", {day("2026-11-19"): {"pain": True, "notes": "=HYPERLINK(\"x\")"}})
    add_checkins(con, "c2", {day("2026-11-20"): session("legs", 60, 7)})
    con.execute(
        "insert into plans (client_id, revision, next_intensity, created_by) values ('c2', 1, 'light', 'sam'), ('c2', 2, 'rest', 'sam')"
    )
    con.execute(
        "insert into plan_items (plan_id, position, action_id, title, timing) "
        "select plan_id, 1, 'walk', 'Gentle walk', 'today' from plans where revision = 2"
    )
    con.close()
    return two_trainers


def test_cli_roster_json(exported):
    result = runner.invoke(app, ["roster", "--json", "--trainer", "sam"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["client_id"], r["status"]) for r in rows] == [("c2", "caution"), ("c3", "no data")]
    assert rows[0]["reasons"] == ["Leg day today"] and rows[0]["last_checkin"] == "2026-11-20"


def test_cli_roster_table_fits_a_screen(exported):
    result = runner.invoke(app, ["roster"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Ana Álvarez" in result.output and "rest" in result.output and "yesterday" in result.output
    assert max(len(line) for line in lines) <= 100 and len(lines) < 20


def test_cli_export_checkins_metrics_plans(exported, tmp_path):
    out = tmp_path / "checkins.csv"
    result = runner.invoke(app, ["export", "checkins", "--out", str(out), "--client", "c1"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("client_id,checkin_date,") and "'=HYPERLINK" in text and "2026-11-19" in text
    assert len(text.splitlines()) == 2

    metrics_out = tmp_path / "metrics.csv"
    assert runner.invoke(app, ["export", "metrics", "--out", str(metrics_out), "--trainer", "sam"]).exit_code == 0
    metrics_rows = pd.read_csv(metrics_out)
    assert metrics_rows["client_id"].unique().tolist() == ["c2"] and "acwr_ewma" in metrics_rows.columns

    plans_out = tmp_path / "plans.csv"
    assert runner.invoke(app, ["export", "plans", "--out", str(plans_out)]).exit_code == 0
    plans = pd.read_csv(plans_out)
    assert plans[["client_id", "revision", "title"]].values.tolist() == [["c2", 2, "Gentle walk"]]


def test_cli_export_refuses_unknown_kind_and_writes_nothing(exported, tmp_path):
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["export", "everything", "--out", str(out)])
    assert result.exit_code == 2 and "unknown export" in result.output
    assert not out.exists()
    missing_dir = tmp_path / "nope" / "x.csv"
    result = runner.invoke(app, ["export", "roster", "--out", str(missing_dir)])
    assert result.exit_code == 1 and not missing_dir.exists()


def test_cli_thresholds(exported):
    assert runner.invoke(app, ["thresholds", "set", "rest_soreness", "8"]).exit_code == 0
    listed = runner.invoke(app, ["thresholds", "list"], env={"COLUMNS": "200"})
    assert "rest_soreness" in listed.output and " 8 " in listed.output
    refused = runner.invoke(app, ["thresholds", "set", "bogus", "1"])
    assert refused.exit_code == 1 and "unknown threshold" in refused.output
    assert runner.invoke(app, ["thresholds", "set", "rest_soreness", "nan"]).exit_code == 1


def test_export_roster_for_one_client(exported):
    from pipelines import db

    con = db.connect()
    frame = export.export_frame(con, OWNER, "roster", client_id="c1")
    assert frame["client_id"].tolist() == ["c1"]
    assert export.to_csv_bytes(frame).decode().count("\r\n") == 2
    header, first = (line.split(",") for line in export.to_csv_bytes(frame).decode().splitlines())
    assert header[:2] == ["as_of", "client_id"] and first[0] == "2026-11-20"  # the day "today" means
    assert dt.date.fromisoformat(first[header.index("last_checkin")]) == day("2026-11-19")
    con.close()


"""Thresholds: the checks across thresholds (table-driven), the preview of whose status a
value would change today, the CLI and the Thresholds page; the glossary names every rule;
the one-line verdict a card or the CLI shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines import db, metrics, sql_layers
from pipelines.cli import app
from tests.helpers.dashboard_fixtures import OWNER, app_as, shown
from tests.helpers.metrics_fixtures import add_checkins, add_client, day

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"

# name, value, the error's words (None: accepted) -- against the default thresholds
CASES = [
    ("acwr_spike", 1.4, None),
    ("acwr_spike", 1.3, "acwr_spike must be above acwr_rising (1.3)"),
    ("acwr_spike", 0.5, "acwr_spike must be above acwr_rising (1.3)"),
    ("acwr_rising", 1.5, "acwr_rising must be below acwr_spike (1.5)"),
    ("acwr_rising", 1.2, None),
    ("wellness_z_high", -1.5, "wellness_z_high must be below wellness_z_warn (-1.5)"),
    ("wellness_z_warn", -2.5, "wellness_z_warn must be above wellness_z_high (-2)"),
    ("wellness_z_warn", 0.5, "wellness_z_warn must be between -100 and 0 (got 0.5)"),
    ("rest_soreness", 4, "rest_soreness must be above caution_soreness (4)"),
    ("caution_soreness", 7, "caution_soreness must be below rest_soreness (7)"),
    ("rest_soreness", 11, "rest_soreness must be between 1 and 10 (got 11)"),
    ("rest_soreness", 7.5, "rest_soreness must be a whole number (got 7.5)"),
    ("stale_checkin_days", 3, "stale_checkin_days must be above missed_checkin_days (3)"),
    ("missed_checkin_days", 7, "missed_checkin_days must be below stale_checkin_days (7)"),
    ("stale_checkin_days", 14, None),
    ("caution_days_since_legs", 2, None),
    ("doms_window_days", -1, "doms_window_days must be between 0 and 14 (got -1)"),
    ("short_sleep_hours", "six", "short_sleep_hours: 'six' is not a number"),
    ("short_sleep_hours", "nan", "short_sleep_hours: nan is not a finite number"),
    ("no_such", 1, "unknown threshold 'no_such'"),
]


@pytest.mark.parametrize(("name", "value", "error"), CASES, ids=[f"{n}={v}" for n, v, _ in CASES])
def test_checks_across_thresholds(con, name, value, error):
    before = metrics.thresholds(con)
    if error is None:
        metrics.set_threshold(con, OWNER, name, value)
        assert metrics.thresholds(con).set_index("name").loc[name, "value"] == float(value)
        return
    with pytest.raises(metrics.ThresholdError, match=re.escape(error)):
        metrics.set_threshold(con, OWNER, name, value)
    assert metrics.thresholds(con).equals(before)  # nothing stored


def test_every_threshold_has_a_range():
    con = db.connect()
    names = set(metrics.thresholds(con)["name"])
    con.close()
    assert names == set(metrics.THRESHOLD_RANGES)


@pytest.fixture
def practice(con):
    """As of 2026-11-20: sore 5/10 today without a leg day (caution), sore 5/10 two days
    after leg day (ready: DOMS), a leg day yesterday (ready), and another trainer's client."""
    add_client(con, "sore", name="Sid Sore")
    add_checkins(con, "sore", {day("2026-11-20"): {"soreness_quads": 5}})
    add_client(con, "doms", name="Dot Doms")
    add_checkins(con, "doms", {day("2026-11-18"): {"session_type": "legs", "session_minutes": 60, "session_rpe": 7},
                               day("2026-11-20"): {"soreness_quads": 5}})
    add_client(con, "legs", name="Leo Legs")
    add_checkins(con, "legs", {day("2026-11-19"): {"session_type": "legs", "session_minutes": 60, "session_rpe": 7}})
    add_client(con, "other", trainer_id="olga", name="Ola Other")
    add_checkins(con, "other", {day("2026-11-20"): {"soreness_quads": 5}})
    return con


def test_preview_says_whose_status_would_change_and_stores_nothing(practice):
    con = practice
    changes = metrics.threshold_preview(con, OWNER, "caution_soreness", 6)
    assert changes.to_dict("records") == [
        {"client_id": "other", "name": "Ola Other", "status": "caution", "status_then": "ready"},
        {"client_id": "sore", "name": "Sid Sore", "status": "caution", "status_then": "ready"},
    ]
    assert metrics.change_summary(changes) == "2 clients would change status today"
    assert metrics.threshold_preview(con, OWNER, "caution_soreness", 6, "tina")["client_id"].tolist() == ["sore"]
    doms = metrics.threshold_preview(con, OWNER, "doms_window_days", 1)
    assert doms["client_id"].tolist() == ["doms"] and doms["status_then"].tolist() == ["caution"]
    legs = metrics.threshold_preview(con, OWNER, "caution_days_since_legs", 2)
    assert legs["client_id"].tolist() == ["legs"]
    assert metrics.change_summary(metrics.threshold_preview(con, OWNER, "acwr_spike", 1.6)) == (
        "no client would change status today")
    assert metrics.thresholds(con).set_index("name").loc["caution_soreness", "value"] == 4
    assert metrics.roster(con, OWNER).set_index("client_id").loc["sore", "status"] == "caution"
    with pytest.raises(metrics.ThresholdError, match="acwr_spike must be above acwr_rising"):
        metrics.threshold_preview(con, OWNER, "acwr_spike", 0.5)


def test_cli_set_says_whose_status_changes_and_refuses_a_spike_below_rising(practice):
    practice.close()
    runner = CliRunner()
    dry = runner.invoke(app, ["thresholds", "set", "caution_soreness", "6", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "with caution_soreness = 6, 2 clients would change status today",
        "  Ola Other (other): caution -> ready",
        "  Sid Sore (sore): caution -> ready",
        "nothing saved (--dry-run)",
    ]
    refused = runner.invoke(app, ["thresholds", "set", "acwr_spike", "0.5"])
    assert refused.exit_code == 1
    assert "acwr_spike must be above acwr_rising (1.3)" in refused.output
    negative = runner.invoke(app, ["thresholds", "set", "wellness_z_warn", "-1.2"])
    assert negative.exit_code == 0, negative.output
    assert negative.output.splitlines()[-1] == "threshold wellness_z_warn = -1.2"
    con = db.connect()
    assert metrics.thresholds(con).set_index("name").loc["caution_soreness", "value"] == 4
    con.close()


def test_thresholds_page_previews_refuses_and_saves(practice):
    practice.close()
    at = app_as(OWNER).run()
    at.switch_page("screens/thresholds.py").run()
    assert not at.exception
    at.selectbox[0].set_value("caution_soreness").run()
    at.number_input[0].set_value(6.0).run()
    assert [e.value for e in at.info] == ["With caution_soreness = 6, 2 clients would change status today."]
    assert set(at.dataframe[1].value["name"]) == {"Sid Sore", "Ola Other"}
    at.selectbox[0].set_value("acwr_spike").run()
    at.number_input[0].set_value(0.5).run()
    assert [shown(e.value) for e in at.error] == [
        "threshold acwr_spike must be above acwr_rising (1.3): LOAD_SPIKE must start above where "
        "LOAD_RISING starts (got 0.5)"]
    assert not [b for b in at.button if b.label.startswith("Save")]
    at.selectbox[0].set_value("caution_soreness").run()
    at.number_input[0].set_value(6.0).run()
    next(b for b in at.button if b.label == "Save caution_soreness = 6").click().run()
    assert not at.exception
    con = db.connect()
    assert metrics.thresholds(con).set_index("name").loc["caution_soreness", "value"] == 6
    con.close()


def test_glossary_names_every_rule_that_can_decide():
    text = GLOSSARY.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([A-Z_]+) \| ([^|]+?) \|", text, flags=re.MULTILINE))
    assert rows == metrics.RULE_NAMES
    flag_codes = set(re.findall(r"'code': '([A-Z_]+)'", sql_layers.read("views", "risk_flags")))
    rules = set(re.findall(r"'([A-Z_]+)'", sql_layers.read("views", "recovery_status")))
    rules |= set(re.findall(r"then '([A-Z_]+)'", sql_layers.read("views", "roster")))
    assert (flag_codes - {"UNDER_FUELED"}) | rules == set(metrics.RULE_NAMES)


@pytest.mark.parametrize(
    ("row", "line"),
    [
        ({"reasons": ["Quads 5/10 sore yesterday"], "status_note": "From the check-in yesterday",
          "status_source": "last check-in", "last_checkin": day("2026-11-19"), "days_since_checkin": 1},
         "Quads 5/10 sore yesterday"),
        ({"reasons": ["Training rising: this week's load is 1.3× their usual, ACWR 1.33 (on Tue 17 Nov, 3 days ago)"],
          "status_note": "From the check-in on Tue 17 Nov, 3 days ago", "status_source": "last check-in",
          "last_checkin": day("2026-11-17"), "days_since_checkin": 3},
         "Training rising: this week's load is 1.3× their usual, ACWR 1.33 (on Tue 17 Nov, 3 days ago)"),
        ({"reasons": ["No check-in for 9 days (last on Wed 11 Nov)", "Pain reported on Wed 11 Nov, 9 days ago"],
          "status_note": "Last check-in on Wed 11 Nov, 9 days ago: too old to act on (it said rest)",
          "status_source": "stale", "last_checkin": day("2026-11-11"), "days_since_checkin": 9},
         "No check-in for 9 days (last on Wed 11 Nov) · "
         "Last check-in on Wed 11 Nov, 9 days ago: too old to act on (it said rest)"),
        ({"reasons": [], "status_note": None, "status_source": "today", "last_checkin": day("2026-11-20"),
          "days_since_checkin": 0}, ""),
    ],
    ids=["dated yesterday", "dated 3 days ago", "stale keeps its note", "ready today"],
)
def test_verdict_is_one_line_that_says_when(row, line):
    assert metrics.verdict(row) == line

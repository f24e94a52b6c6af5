"""The roster rule (docs/design.md "Recovery status"): the worse of the as-of day and
the latest check-in day, the trainer's override until the next check-in, missed
check-ins marked, clients without check-ins last; and the query functions around it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import db, metrics, people
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, session
from tests.helpers.viewers import OWNER

LEGS = session("legs", 60, 7)


def _override(con, client_id: str, status: str, reason: str, at: str) -> None:
    con.execute(
        "insert into status_overrides (client_id, status, reason, created_by, created_at) values (?, ?, ?, 'tina', ?)",
        [client_id, status, reason, dt.datetime.fromisoformat(at)],
    )


def _recorded_at(con, client_id: str, when: str, at: str) -> None:
    """Check-ins are stored the morning of their day unless a test says otherwise."""
    con.execute("update check_ins set recorded_at = checkin_date + interval 7 hours where client_id = ?", [client_id])
    con.execute(
        "update check_ins set recorded_at = ? where client_id = ? and checkin_date = ?",
        [dt.datetime.fromisoformat(at), client_id, day(when)],
    )


@pytest.fixture
def roster_clients(con):
    """As of 2026-11-20: sore yesterday (rest), fine today, missed, no data, inactive."""
    add_client(con, "sore", name="Sam Sore")
    add_checkins(con, "sore", {day("2026-11-18"): LEGS, day("2026-11-19"): {"soreness_quads": 8}})
    add_client(con, "fine", name="Fay Fine")
    add_checkins(con, "fine", {day("2026-11-20"): {"soreness_calves": 1}})
    add_client(con, "calm", name="Cal Calm")
    add_checkins(con, "calm", {day("2026-11-20"): {"soreness_calves": 4, "mood": 3}})
    add_client(con, "gone", name="Gus Gone")
    add_checkins(con, "gone", {day("2026-11-17"): {"soreness_hamstrings": 5}})
    add_client(con, "late", name="Lia Late")
    add_checkins(con, "late", {day("2026-11-18"): {}})
    add_client(con, "new", name="Ned New")
    add_client(con, "left", name="Lou Left", trainer_id="other")
    add_checkins(con, "left", {day("2026-11-20"): {}})
    people.set_client_active(con, OWNER, "left", False)
    return con


def test_roster_order_statuses_and_sources(roster_clients):
    frame = metrics.roster(roster_clients, OWNER)
    got = frame[["client_id", "status", "status_source", "last_checkin", "days_since_checkin"]].to_dict("records")
    assert [(r["client_id"], r["status"], r["status_source"]) for r in got[:-1]] == [
        ("sore", "rest", "last check-in"),      # quads 8/10 yesterday: rest until the next check-in
        ("calm", "caution", "today"),           # readiness 55 (wellness 18: mood 3, calves 4)
        ("gone", "caution", "last check-in"),   # readiness 56 (wellness 19: hamstrings 5/10, 3 days ago)
        ("fine", "ready", "today"),             # readiness 93 both: then by name
        ("late", "ready", "last check-in"),
    ]
    assert (got[-1]["client_id"], got[-1]["status"]) == ("new", "no data")
    assert pd.isna(got[-1]["last_checkin"]) and pd.isna(got[-1]["status_source"])
    sore = frame.iloc[0]
    assert list(sore["reasons"]) == ["Quads 8/10 sore yesterday"]  # leg day the day before: no reason alone
    assert (sore["rule"], sore["status_note"]) == ("REST_SORENESS", "From the check-in yesterday")
    assert (sore["max_soreness"], sore["days_since_legs"], sore["doms_phase"]) == (8, 2, "peak window 24–72 h")
    assert sore["readiness"] == round((16 + 2 - 5) / 20 * 33)  # the rest band, 0-33
    assert frame.iloc[-1]["reasons"].tolist() == ["No check-ins yet"]


def test_roster_readiness_sorts_within_a_status(con):
    for client, mood in [("a", 4), ("b", 1), ("c", 2)]:
        add_client(con, client)
        add_checkins(con, client, {day("2026-11-20"): {"mood": mood}})
    frame = metrics.roster(con, OWNER)
    assert frame["client_id"].tolist() == ["b", "c", "a"]
    assert frame["readiness"].tolist() == [67 + round(13 / 20 * 33), 67 + round(14 / 20 * 33), 67 + round(16 / 20 * 33)]


def test_missed_checkins_from_three_days(roster_clients):
    frame = metrics.roster(roster_clients, OWNER).set_index("client_id")
    assert bool(frame.loc["gone", "missed_checkins"]) is True
    assert "MISSED_CHECKINS" in list(frame.loc["gone", "top_flags"])
    assert list(frame.loc["gone", "reasons"])[-1] == "No check-in for 3 days (last on Tue 17 Nov)"
    assert bool(frame.loc["late", "missed_checkins"]) is False  # 2 days: boundary not reached
    assert list(frame.loc["late", "top_flags"]) == []
    assert frame.loc["late", "status"] == "ready"  # info never changes the status


def test_inactive_clients_are_left_out_and_trainer_filter(roster_clients):
    assert "left" not in metrics.roster(roster_clients, OWNER)["client_id"].tolist()
    assert metrics.roster(roster_clients, OWNER, "other").empty
    assert len(metrics.roster(roster_clients, OWNER, "tina")) == 6


def test_override_wins_until_the_next_check_in(roster_clients):
    con = roster_clients
    _recorded_at(con, "sore", "2026-11-19", "2026-11-19 08:00:00")
    _override(con, "sore", "ready", "Checked in person, legs feel fine", "2026-11-19 18:00:00")
    row = metrics.client_status(con, OWNER, "sore")
    assert (row["status"], row["status_source"], row["override_reason"]) == (
        "ready", "override", "Checked in person, legs feel fine")
    assert row["reasons"][0] == "Override by tina: Checked in person, legs feel fine"

    add_checkins(con, "sore", {day("2026-11-20"): {"soreness_quads": 3}})
    _recorded_at(con, "sore", "2026-11-20", "2026-11-20 07:00:00")
    row = metrics.client_status(con, OWNER, "sore")
    assert (row["status"], row["status_source"], row["override_reason"]) == ("ready", "today", None)


def test_cleared_override_and_override_of_a_client_without_check_ins(roster_clients):
    con = roster_clients
    _override(con, "new", "rest", "Knee surgery", "2026-11-19 10:00:00")
    assert metrics.client_status(con, OWNER, "new")["status"] == "rest"
    con.execute("update status_overrides set cleared_at = timestamp '2026-11-19 11:00:00'")
    assert metrics.client_status(con, OWNER, "new")["status"] == "no data"


def test_today_worse_than_latest_check_in_day(con):
    add_client(con, "t")
    add_checkins(con, "t", {day("2026-11-19"): {}, day("2026-11-20"): {"pain": True}})
    row = metrics.client_status(con, OWNER, "t")
    assert (row["status"], row["status_source"], row["top_flags"].tolist()) == ("rest", "today", ["PAIN_REPORTED"])


def test_latest_days_beat_history_and_as_of_in_the_past(con):
    add_client(con, "h")
    add_checkins(con, "h", {day("2026-11-01"): {"pain": True}, day("2026-11-05"): {}, day("2026-11-21"): {"pain": True}})
    db.set_as_of(con, day("2026-11-10"))
    row = metrics.client_status(con, OWNER, "h")
    assert (row["status"], row["last_checkin"].date(), row["days_since_checkin"]) == ("ready", day("2026-11-05"), 5)


def test_client_days_flags_status_and_thresholds(con):
    add_client(con, "x")
    add_checkins(con, "x", {day("2026-11-17"): LEGS, day("2026-11-19"): {"pain": True, "sleep_hours": 5.0}})
    days = metrics.client_days(con, OWNER, "x", start=day("2026-11-18"))
    assert days["day"].dt.date.tolist() == [day("2026-11-18"), day("2026-11-19"), day("2026-11-20")]
    assert days["has_checkin"].tolist() == [False, True, False]
    assert days["status"].tolist() == ["ready", "rest", "ready"]  # leg day yesterday alone: ready
    assert days.loc[1, "load"] == 0 and days.loc[1, "days_since_legs"] == 2
    for column in ["acwr", "ewma_chronic", "strain", "baseline_sd", "water_liters", "session_rpe", "readiness"]:
        assert column in days.columns
    assert metrics.client_flags(con, OWNER, "x", day("2026-11-19")).to_dict("records") == [
        {"code": "PAIN_REPORTED", "severity": "high", "reason": "Pain reported yesterday"}
    ]
    assert metrics.client_status(con, OWNER, "nobody") is None
    assert len(metrics.checkins(con, OWNER, ["x"], start=day("2026-11-18"))) == 1


def test_set_threshold_refuses_unknown_names_and_non_finite_values(con):
    metrics.set_threshold(con, OWNER, "rest_soreness", 8)
    assert metrics.thresholds(con).set_index("name").loc["rest_soreness", "value"] == 8
    for name, value in [("no_such", 1), ("rest_soreness", float("nan")), ("rest_soreness", "inf"), ("rest_soreness", "x")]:
        with pytest.raises(ValueError):
            metrics.set_threshold(con, OWNER, name, value)
    assert metrics.thresholds(con).set_index("name").loc["rest_soreness", "value"] == 8


@pytest.mark.parametrize(
    ("as_of", "status", "source", "note", "reasons"),
    [
        ("2026-11-08", "rest", "today", None,
         ["Pain reported today", "Quads 8/10 sore today", "Leg day today"]),
        ("2026-11-09", "rest", "last check-in", "From the check-in yesterday",
         ["Pain reported yesterday", "Quads 8/10 sore yesterday", "Leg day yesterday"]),
        ("2026-11-11", "rest", "last check-in", "From the check-in on Sun 8 Nov, 3 days ago",
         ["Pain reported on Sun 8 Nov, 3 days ago", "Quads 8/10 sore on Sun 8 Nov, 3 days ago",
          "Leg day on Sun 8 Nov, 3 days ago", "No check-in for 3 days (last on Sun 8 Nov)"]),
        ("2026-11-20", "stale", "stale", "Last check-in on Sun 8 Nov, 12 days ago: too old to act on (it said rest)",
         ["No check-in for 12 days (last on Sun 8 Nov)", "Pain reported on Sun 8 Nov, 12 days ago",
          "Quads 8/10 sore on Sun 8 Nov, 12 days ago", "Leg day on Sun 8 Nov, 12 days ago"]),
    ],
    ids=["same day", "1 day later", "3 days later", "12 days later"],
)
def test_one_check_in_read_later_says_when(con, as_of, status, source, note, reasons):
    """The same check-in (leg day, quads 8/10, pain on Sunday 8 November) read 0, 1, 3
    and 12 days later: every reason names its day relative to the as-of date, the status
    says which check-in it comes from, and from stale_checkin_days (7) on it is stale,
    with the old reasons (the pain report among them) kept after the stale one."""
    add_client(con, "o")
    add_checkins(con, "o", {day("2026-11-08"): {**LEGS, "pain": True, "soreness_quads": 8}})
    db.set_as_of(con, day(as_of))
    row = metrics.client_status(con, OWNER, "o")
    assert (row["status"], row["status_source"], row["status_note"], list(row["reasons"])) == (
        status, source, note, reasons)
    assert row["last_status"] == "rest"
    if status == "stale":
        assert row["rule"] == "STALE" and pd.isna(row["readiness"])


def test_stale_sorts_after_caution_and_its_threshold(con):
    add_client(con, "old", name="Old Olive")
    add_checkins(con, "old", {day("2026-11-13"): {}})   # 7 days before the as-of date
    add_client(con, "sore", name="Sore Sid")
    add_checkins(con, "sore", {day("2026-11-20"): {"soreness_quads": 5}})
    add_client(con, "fine", name="Fine Fay")
    add_checkins(con, "fine", {day("2026-11-20"): {}})
    frame = metrics.roster(con, OWNER)
    assert list(zip(frame["client_id"], frame["status"], strict=True)) == [
        ("sore", "caution"), ("old", "stale"), ("fine", "ready")]
    metrics.set_threshold(con, OWNER, "stale_checkin_days", 8)
    assert metrics.client_status(con, OWNER, "old")["status"] == "ready"

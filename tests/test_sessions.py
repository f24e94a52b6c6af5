"""Planned sessions: the no-double-counting rule, the write paths keeping the load state
fresh, the schedule, and golden cases for the projection (as of 2026-11-20)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import db, demo, sessions
from tests.helpers.load_state_check import is_fresh
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, rows, series, session
from tests.helpers.viewers import OWNER, acting

UPPER = session("upper", 40, 5)  # 200 AU


def _steady(con, client_id: str = "s", last: str = "2026-11-19", **last_day) -> None:
    """40 days of the same 200 AU session up to `last`, so both EWMAs sit at exactly 200."""
    first = day(last) - dt.timedelta(days=39)
    given = series(first.isoformat(), [UPPER] * 40, lambda fields: fields)
    given[day(last)] = {**UPPER, **last_day}
    add_client(con, client_id)
    add_checkins(con, client_id, given)


def _done(con, client_id: str, when: str, kind: str, minutes: int, rpe: int) -> int:
    session_id = sessions.add_session(
        con, acting("tina"), client_id, day=when, session_type=kind, minutes=minutes, rpe=rpe
    )
    sessions.mark_done(con, acting("tina"), session_id, actual_minutes=minutes, actual_rpe=rpe)
    return session_id


def _day_load(con, client_id: str) -> list[dict]:
    return rows(con, "select day, session_type, session_minutes, session_rpe, load from daily_load "
                     "where client_id = $c order by day", {"c": client_id})


def test_a_session_counts_once_per_day(con):
    add_client(con, "d")
    add_checkins(con, "d", {
        day("2026-11-10"): UPPER,                       # reported by the client: the check-in counts
        day("2026-11-12"): {},                          # check-in with no session: the done session counts
        day("2026-11-15"): {},
    })
    _done(con, "d", "2026-11-10", "legs", 60, 8)
    _done(con, "d", "2026-11-12", "legs", 60, 8)
    _done(con, "d", "2026-11-13", "legs", 30, 8)        # no check-in: two done sessions add up
    _done(con, "d", "2026-11-13", "mobility", 20, 3)
    _done(con, "d", "2026-11-17", "cardio", 45, 4)      # after the last check-in: extends the calendar
    _done(con, "d", "2026-11-01", "legs", 60, 9)        # before the first check-in: outside the calendar
    sessions.add_session(con, acting("tina"), "d", day="2026-11-15", session_type="legs", minutes=60, rpe=9)
    got = {r["day"]: (r["session_type"], r["session_minutes"], r["session_rpe"], r["load"]) for r in _day_load(con, "d")}
    assert got[day("2026-11-10")] == ("upper", 40, 5, 200.0)
    assert got[day("2026-11-12")] == ("legs", 60, 8, 480.0)
    assert got[day("2026-11-13")] == ("legs", 50, 6, 300.0)       # 240 + 60 AU over 50 min
    assert got[day("2026-11-15")] == ("none", 0, 0, 0.0)          # planned, not done: no load
    assert got[day("2026-11-17")] == ("cardio", 45, 4, 180.0)
    assert got[day("2026-11-01")] == ("legs", 60, 9, 540.0)
    assert got[day("2026-11-02")] == (None, None, None, 0.0)      # no check-in, no session: wellness empty
    assert min(got) == day("2026-11-01") and len(got) == 20       # first session to the as-of date
    sources = rows(con, "select day, source, sessions from day_sessions where client_id = 'd' order by day")
    assert [(r["source"], r["sessions"]) for r in sources if r["day"] >= day("2026-11-10")] == [
        ("check-in", 1), ("planned", 1), ("planned", 2), ("planned", 1)]
    soreness = rows(con, "select day, days_since_legs from soreness where client_id = 'd' and day >= '2026-11-12' order by day")
    assert [r["days_since_legs"] for r in soreness][:4] == [0, 0, 1, 2]
    assert is_fresh(con)


def test_a_client_with_sessions_but_no_check_in_has_no_calendar(con):
    add_client(con, "n")
    _done(con, "n", "2026-11-18", "legs", 60, 8)
    assert _day_load(con, "n") == []
    assert con.execute("select count(*) from client_day_load where client_id = 'n'").fetchone()[0] == 0


def test_every_write_keeps_the_load_state_fresh(con):
    _steady(con, last="2026-11-15")
    session_id = _done(con, "s", "2026-11-18", "legs", 60, 8)
    assert is_fresh(con) and _day_load(con, "s")[-3]["load"] == 480.0
    sessions.mark_done(con, acting("tina"), session_id, actual_minutes=30, actual_rpe=6)
    assert is_fresh(con) and _day_load(con, "s")[-3]["load"] == 180.0
    sessions.update_session(con, acting("tina"), session_id, day="2026-11-19", session_type="upper")
    loads = _day_load(con, "s")
    assert (loads[-3]["load"], loads[-2]["load"], loads[-2]["session_type"]) == (0.0, 180.0, "upper")
    assert is_fresh(con)
    sessions.delete_session(con, acting("tina"), session_id)
    assert is_fresh(con) and max(r["day"] for r in rows(con, "select day from client_day_load")) == day("2026-11-15") + dt.timedelta(days=29)
    actions = [a for (a,) in con.execute("select action from audit_log where action like 'session.%' order by logged_at").fetchall()]
    assert actions == ["session.add", "session.done", "session.done", "session.update", "session.delete"]


def test_writes_refuse_bad_input_and_write_nothing(con):
    _steady(con)
    with pytest.raises(sessions.SessionError, match="session type must be one of"):
        sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="none", minutes=30, rpe=5)
    with pytest.raises(sessions.SessionError, match="between 0 and 600"):
        sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="legs", minutes=601, rpe=5)
    with pytest.raises(sessions.SessionError, match="whole number"):
        sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="legs", minutes=30, rpe=5.5)
    with pytest.raises(sessions.SessionError, match="unknown client"):
        sessions.add_session(con, acting("t"), "nobody", day="2026-11-21", session_type="legs", minutes=30, rpe=5)
    with pytest.raises(sessions.SessionError, match="HH:MM"):
        sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="legs", minutes=30, rpe=5, start_time="9h")
    with pytest.raises(sessions.SessionError, match="2000"):
        sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="legs", minutes=30, rpe=5, notes="x" * 2001)
    future = sessions.add_session(con, acting("t"), "s", day="2026-11-21", session_type="legs", minutes=30, rpe=5)
    with pytest.raises(sessions.SessionError, match="has not come yet"):
        sessions.mark_done(con, acting("t"), future, actual_minutes=30, actual_rpe=5)
    with pytest.raises(sessions.SessionError, match="unknown session 999"):
        sessions.delete_session(con, acting("t"), 999)
    assert con.execute("select count(*), count(*) filter (where done) from sessions").fetchone() == (1, 0)


def test_sessions_between_in_time_order_with_status_and_plan(two_trainers):
    con = two_trainers
    add_checkins(con, "c1", {day("2026-11-18"): session("legs", 60, 7), day("2026-11-20"): {"soreness_quads": 5}})
    add_checkins(con, "c2", {day("2026-11-20"): {}})
    sessions.add_session(con, acting("sam"), "c2", day="2026-11-21", session_type="upper", minutes=45, rpe=6)
    sessions.add_session(con, acting("olga"), "c1", day="2026-11-20", session_type="mobility", minutes=30, rpe=3,
                         start_time="17:00")
    sessions.add_session(con, acting("sam"), "c2", day="2026-11-20", session_type="cardio", minutes=30, rpe=5,
                         start_time="08:15")
    sessions.add_session(con, acting("sam"), "c3", day="2026-11-22", session_type="legs", minutes=45, rpe=6)
    con.execute("insert into plans (client_id, revision, next_intensity, created_by) values "
                "('c1', 1, 'normal', 'olga'), ('c1', 2, 'light', 'olga')")
    frame = sessions.sessions_between(con, OWNER, day("2026-11-20"), day("2026-11-21"))
    assert list(zip(frame["client_id"], frame["session_type"], strict=True)) == [
        ("c2", "cardio"), ("c1", "mobility"), ("c2", "upper")]
    c1 = frame.iloc[1]
    # quads 5/10 two days after leg day: normal DOMS, not a flag
    assert (c1["name"], c1["status"], c1["days_since_legs"], c1["next_intensity"]) == ("Ana Álvarez", "ready", 2, "light")
    assert list(c1["reasons"]) == []
    assert sessions.sessions_between(con, OWNER, day("2026-11-20"), day("2026-11-22"), "sam")["client_id"].tolist() == ["c2", "c2", "c3"]


# Golden projections. History: 200 AU every day to 2026-11-19, so both EWMAs are 200;
# on 2026-11-20 without a session E_acute = 0.75 x 200 = 150, E_chronic = 27/29 x 200.
WITHOUT_ACWR = 150 / (27 / 29 * 200)


def test_projection_that_tips_acwr_over_the_spike_threshold(con):
    _steady(con)
    got = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="upper", minutes=120, rpe=8)
    with_session, without = got["with"], got["without"]
    assert without["acwr_ewma"] == pytest.approx(WITHOUT_ACWR)                       # 0.81
    assert with_session["load"] == 960
    assert with_session["ewma_acute"] == pytest.approx(0.25 * 960 + 150)             # 390
    assert with_session["ewma_chronic"] == pytest.approx(2 / 29 * 960 + 27 / 29 * 200)
    assert with_session["acwr_ewma"] == pytest.approx(390 / (2 / 29 * 960 + 27 / 29 * 200))  # 1.545
    assert with_session["acute_load"] == pytest.approx((6 * 200 + 960) / 7)
    assert with_session["chronic_load"] == pytest.approx((27 * 200 + 960) / 28)
    assert with_session["monotony"] == pytest.approx(((6 * 200 + 960) / 7) / ((6 * 200**2 + 960**2) / 7 - ((6 * 200 + 960) / 7) ** 2) ** 0.5)
    assert without["acute_load"] == pytest.approx(1200 / 7) and without["monotony"] > 2  # a rest day after a flat week
    assert [flag["code"] for flag in without["flags"]] == ["HIGH_MONOTONY"]
    assert [flag["code"] for flag in got["warnings"]] == ["LOAD_SPIKE"]
    assert got["warnings"][0]["reason"] == "Training jumped: this week's load is 1.5× their usual, ACWR 1.55"
    suggestion = got["suggestion"]
    assert suggestion["session_type"] == "upper" and suggestion["minutes"] * suggestion["rpe"] < 960
    assert suggestion["text"] == (
        f"At RPE {suggestion['rpe']} for {suggestion['minutes']} min ACWR stays at {suggestion['acwr_ewma']:.2f}")
    again = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="upper",
                                     minutes=suggestion["minutes"], rpe=suggestion["rpe"])
    assert again["warnings"] == [] and again["with"]["acwr_ewma"] <= 1.3


def test_projection_that_stays_below_the_thresholds(con):
    _steady(con)
    got = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="upper", minutes=90, rpe=9)
    assert got["with"]["acwr_ewma"] == pytest.approx((0.25 * 810 + 150) / (2 / 29 * 810 + 27 / 29 * 200))  # 1.456
    assert [flag["code"] for flag in got["warnings"]] == ["LOAD_RISING"]
    flat = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="upper", minutes=40, rpe=5)
    assert flat["with"]["acwr_ewma"] == pytest.approx(1.0)
    assert flat["with"]["monotony"] is None                                  # seven identical loads: SD 0
    assert flat["with"]["flags"] == [] and flat["warnings"] == [] and flat["suggestion"] is None
    assert flat["note"] is None


def test_projection_of_legs_the_day_after_legs(con):
    _steady(con, session_type="legs")  # legs yesterday, still 40 min at RPE 5
    got = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="legs", minutes=40, rpe=5)
    assert got["with"]["acwr_ewma"] == pytest.approx(1.0)
    assert got["warnings"] == [{
        "code": "LEGS_TOO_SOON", "severity": "warn",
        "reason": "Legs trained again today, only 1 day after the previous leg day (Thu 19 Nov)",
    }]
    assert got["suggestion"]["session_type"] == "mobility"
    assert (got["suggestion"]["minutes"], got["suggestion"]["rpe"]) == (40, 3)
    assert got["suggestion"]["text"].startswith("Mobility instead: at RPE 3 for 40 min ACWR stays at")
    two_days_later = sessions.project_session(con, OWNER, "s", day="2026-11-21", session_type="legs", minutes=40, rpe=5)
    assert "Legs trained again tomorrow, only 2 days after the previous leg day (Thu 19 Nov)" in [
        flag["reason"] for flag in two_days_later["warnings"]]
    three_days_later = sessions.project_session(con, OWNER, "s", day="2026-11-22", session_type="legs", minutes=40, rpe=5)
    assert "LEGS_TOO_SOON" not in [flag["code"] for flag in three_days_later["warnings"]]


def test_a_check_in_with_a_session_makes_the_plan_count_for_nothing(con):
    _steady(con, last="2026-11-20")
    got = sessions.project_session(con, OWNER, "s", day="2026-11-20", session_type="legs", minutes=90, rpe=9)
    assert got["with"]["load"] == got["without"]["load"] == 200 and got["warnings"] == []
    assert "check-in already reports a session" in got["note"]


def _snapshot(con) -> tuple:
    tables = [name for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall()]
    return (
        {name: con.execute(f'select count(*) from "{name}"').fetchone()[0] for name in tables},  # noqa: S608
        con.execute("select * from client_day_load order by all").fetchall(),
        con.execute("select * from client_recent_load order by all").fetchall(),
        con.execute("select * from sessions order by all").fetchall(),
        con.execute("select * exclude (created_at) from done_sessions order by all").fetchall(),
        db.as_of(con),
        con.execute("select getvariable('legday_words_day')").fetchone()[0],
    )


def test_projection_leaves_the_database_unchanged(con):
    _steady(con)
    session_id = _done(con, "s", "2026-11-20", "cardio", 20, 3)
    sessions.add_session(con, acting("tina"), "s", day="2026-11-21", session_type="legs", minutes=60, rpe=8)
    before = _snapshot(con)
    got = sessions.project_session(con, OWNER, "s", day="2026-11-23", session_type="upper", minutes=150, rpe=10)
    assert got["warnings"] and got["suggestion"]  # the suggestion search ran its probes too
    assert _snapshot(con) == before
    assert sessions.add_session(con, acting("t"), "s", day="2026-11-22", session_type="upper", minutes=10, rpe=2) == session_id + 2


def test_a_probe_inside_a_transaction_reads_it_and_leaves_it_as_it_was(con):
    """The demo sizes its heavy leg session inside its one transaction: the probe must see
    that transaction's rows and, with no savepoint in DuckDB, undo itself there."""
    _steady(con)
    _done(con, "s", "2026-11-20", "cardio", 20, 3)
    committed = sessions.projected_day(con, OWNER, "s", dt.date(2026, 11, 21), ("legs", 90, 9))
    with db.transaction(con):
        _done(con, "s", "2026-11-20", "upper", 30, 5)  # uncommitted: only this transaction sees it
        before = _snapshot(con)
        inside = sessions.projected_day(con, OWNER, "s", dt.date(2026, 11, 21), ("legs", 90, 9))
        assert _snapshot(con) == before
    assert is_fresh(con)
    assert inside["load"] == committed["load"] and inside["acwr_ewma"] > committed["acwr_ewma"]


def test_projection_refuses_the_past_and_clients_without_check_ins(con):
    _steady(con)
    with pytest.raises(sessions.SessionError, match="has passed"):
        sessions.project_session(con, OWNER, "s", day="2026-11-19", session_type="legs", minutes=40, rpe=5)
    add_client(con, "empty")
    with pytest.raises(sessions.SessionError, match="no check-ins yet"):
        sessions.project_session(con, OWNER, "empty", day="2026-11-20", session_type="legs", minutes=40, rpe=5)


def test_demo_plans_a_heavy_leg_session_for_a_client_still_sore(con):
    counts = demo.build_demo(con)
    as_of = db.as_of(con)
    planned = sessions.sessions_between(con, OWNER, as_of, as_of + dt.timedelta(days=1))
    today = planned[planned["session_date"].dt.date == as_of]
    assert counts["sessions"] == len(planned) == 5 and len(today) == 3
    heavy = today.iloc[0]
    assert (heavy["client_id"], heavy["session_type"], heavy["days_since_legs"]) == (counts["roles"]["sore"], "legs", 2)
    # sore 2 days after a hard leg day is normal DOMS: ready on the roster; the risk is the
    # planned session's, which the projection (and the Today page) shows
    assert heavy["status"] == "ready" and list(heavy["reasons"]) == []
    plan = {"day": as_of, "minutes": int(heavy["planned_minutes"]), "rpe": int(heavy["planned_rpe"])}
    projected = sessions.project_session(con, OWNER, heavy["client_id"], session_type="legs", **plan)
    assert 1.5 <= projected["with"]["acwr_ewma"] < 1.7
    assert {flag["code"] for flag in projected["warnings"]} == {"LOAD_SPIKE", "LEGS_TOO_SOON"}
    assert projected["suggestion"]["session_type"] == "mobility"
    mobility = sessions.project_session(con, OWNER, heavy["client_id"], session_type="mobility", **{**plan, "rpe": 3})
    assert mobility["warnings"] == []

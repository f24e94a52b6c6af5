"""Golden cases for done sessions as rows (docs/done-sessions.md): a day's load is the sum
of its counted sessions, wherever they were logged, and one session logged twice counts once.

Each case writes check-ins (tests/helpers/metrics_fixtures.py) and done_sessions rows
straight into the tables, refreshes the load state, and compares the rows to `expect`.
"""

from __future__ import annotations

from pipelines import db, load_state
from tests.helpers.load_state_check import is_fresh
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, rows, series, session

DAILY = (
    "select day, has_checkin, session_type, session_minutes, session_rpe, load, sessions, load_estimated "
    "from client_day_load where client_id = $client and day between $first and $last order by day"
)
WELLNESS = "select day, wellness from wellness where client_id = $client and day = $day"
COUNTED = (
    "select session_type, source, counted, matched_by from counted_sessions "
    "where client_id = $client order by session_date, done_session_id"
)


def given_sessions(con, client_id: str, sessions: list[dict]) -> None:
    """Done sessions (session_date, session_type, source and any other columns) for one client."""
    with db.transaction(con):
        for fields in sessions:
            record = {"client_id": client_id, **fields}
            columns = ", ".join(record)
            marks = ", ".join(f"${name}" for name in record)
            con.execute(f"insert into done_sessions ({columns}) values ({marks})", record)  # noqa: S608 - our names
        load_state.refresh(con, [client_id])


def done(when: str, kind: str, minutes: int | None, rpe: int | None, source: str = "import", **extra) -> dict:
    load = extra.pop("load", None if minutes is None or rpe is None else minutes * rpe)
    return {"session_date": day(when), "session_type": kind, "minutes": minutes, "rpe": rpe, "load": load,
            "source": source, **extra}


def daily(con, client_id: str, first: str, last: str) -> list[dict]:
    return rows(con, DAILY, {"client": client_id, "first": day(first), "last": day(last)})


def test_two_sessions_on_one_day_add_up(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): session("upper", 40, 5)})  # 200 AU
    given_sessions(con, "a", [done("2026-11-10", "cardio", 30, 4, "manual")])  # 120 AU
    expect_rows(daily(con, "a", "2026-11-10", "2026-11-10"), [
        {"session_type": "upper", "session_minutes": 70, "session_rpe": 5, "load": 320.0, "sessions": 2,
         "load_estimated": False},
    ])
    assert is_fresh(con)


def test_a_load_only_day_counts_its_load(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): {}})
    given_sessions(con, "a", [done("2026-11-11", "other", None, None, load=350.0, original_type="Team practice")])
    expect_rows(daily(con, "a", "2026-11-11", "2026-11-11"), [
        {"has_checkin": False, "session_type": "other", "session_minutes": None, "session_rpe": None,
         "load": 350.0, "sessions": 1},
    ])


def test_a_session_day_without_a_check_in_leaves_wellness_empty(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): {}, day("2026-11-14"): {}})
    given_sessions(con, "a", [done("2026-11-12", "legs", 60, 7)])
    expect_rows(daily(con, "a", "2026-11-12", "2026-11-12"), [
        {"has_checkin": False, "session_type": "legs", "load": 420.0, "sessions": 1},
    ])
    assert rows(con, WELLNESS, {"client": "a", "day": day("2026-11-12")})[0]["wellness"] is None
    soreness = rows(con, "select days_since_legs from soreness where client_id = 'a' and day = '2026-11-14'")
    assert soreness == [{"days_since_legs": 2}]


def test_a_check_in_session_and_the_same_imported_activity_count_once(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): session("cardio", 45, 6)})  # 270 AU, the client's own report
    given_sessions(con, "a", [
        done("2026-11-10", "cardio", 47, None, rpe_estimated=False, external_id="strava-1"),  # the same run
        done("2026-11-10", "mobility", 20, 2, external_id="strava-2"),                      # another activity
    ])
    expect_rows(daily(con, "a", "2026-11-10", "2026-11-10"), [
        {"session_type": "cardio", "session_minutes": 65, "load": 310.0, "sessions": 2},
    ])
    expect_rows(rows(con, COUNTED, {"client": "a"}), [
        {"session_type": "cardio", "source": "check-in", "counted": True, "matched_by": None},
        {"session_type": "cardio", "source": "import", "counted": False, "matched_by": "check-in"},
        {"session_type": "mobility", "source": "import", "counted": True, "matched_by": None},
    ])


def test_a_planned_session_counts_once_beside_a_check_in_or_an_import(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): session("legs", 60, 7), day("2026-11-11"): {}})
    given_sessions(con, "a", [
        done("2026-11-10", "upper", 45, 6, "planned"),   # the check-in reports the day's session
        done("2026-11-11", "legs", 50, 8, "planned"),    # no session in the check-in: counts ...
        done("2026-11-11", "legs", 52, None, load=None),  # ... and the watch's record of it does not
    ])
    expect_rows(daily(con, "a", "2026-11-10", "2026-11-11"), [
        {"load": 420.0, "sessions": 1}, {"session_type": "legs", "load": 400.0, "sessions": 1},
    ])


def test_an_estimated_rpe_is_flagged(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): {}})
    given_sessions(con, "a", [done("2026-11-10", "cardio", 40, 5, rpe_estimated=True)])
    expect_rows(daily(con, "a", "2026-11-10", "2026-11-10"), [{"load": 200.0, "load_estimated": True}])


def test_separate_wellness_and_session_files_give_the_sum_of_session_loads(con):
    """The PMData shape: a wellness report most days without its session, a session-RPE
    log with up to three sessions a day and days without a wellness report."""
    add_client(con, "p")
    add_checkins(con, "p", series("2026-10-01", [{} if n % 4 else None for n in range(40)], lambda fields: fields))
    logged = []
    for n in range(40):
        for k in range(n % 3 + (n % 5 == 0)):
            logged.append(done(f"2026-10-{n + 1:02d}" if n < 31 else f"2026-11-{n - 30:02d}",
                               ("cardio", "upper", "legs")[k], 20 + 10 * k, 3 + k, external_id=f"p-{n}-{k}"))
    given_sessions(con, "p", logged)
    expected = {}
    for fields in logged:
        expected[fields["session_date"]] = expected.get(fields["session_date"], 0) + fields["load"]
    stored = {r["day"]: r["load"] for r in daily(con, "p", "2026-10-01", "2026-11-09")}
    assert {d: load for d, load in stored.items() if load} == expected
    assert is_fresh(con)


def test_a_check_in_stored_again_replaces_its_session_row(con):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): session("legs", 60, 7)})
    add_checkins(con, "a", {day("2026-11-10"): session("upper", 30, 5)})
    got = rows(con, "select session_type, minutes, rpe, source from done_sessions where client_id = 'a'")
    assert got == [{"session_type": "upper", "minutes": 30, "rpe": 5, "source": "check-in"}]
    history = rows(con, "select session_type, change from done_session_history where client_id = 'a'")
    assert history == [{"session_type": "legs", "change": "check-in changed"}]
    add_checkins(con, "a", {day("2026-11-10"): session("none", 0, 0)})
    assert rows(con, "select count(*) as n from done_sessions where client_id = 'a'") == [{"n": 0}]
    assert daily(con, "a", "2026-11-10", "2026-11-10")[0]["load"] == 0.0


def test_a_removed_check_in_session_stays_removed(con):
    add_client(con, "a")
    add_checkins(con, "a", {day("2026-11-10"): session("legs", 60, 7)})
    con.execute("update done_sessions set removed_at = current_timestamp where client_id = 'a'")
    load_state.refresh(con, ["a"])
    load_state.refresh(con, ["a"])
    assert rows(con, "select count(*) as n from done_sessions where client_id = 'a'") == [{"n": 1}]
    assert daily(con, "a", "2026-11-10", "2026-11-10")[0]["load"] == 0.0
    assert daily(con, "a", "2026-11-10", "2026-11-10")[0]["session_type"] == "none"

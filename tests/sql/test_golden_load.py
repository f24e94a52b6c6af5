"""daily_load and load_metrics golden cases (docs/design.md "Metrics")."""

from __future__ import annotations

import datetime as dt
import math
import random

from pipelines import db
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, rows, series, session

LOAD_QUERY = "select * from load_metrics where client_id = $client order by day"
DAILY_QUERY = "select * from daily_load where client_id = $client order by day"


def test_daily_load_extends_to_the_as_of_date_with_decaying_ewmas(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {
        day("2026-11-10"): session("legs", 60, 5),   # load 300
        day("2026-11-12"): session("upper", 40, 5),  # load 200
    })
    db.set_as_of(con, day("2026-11-14"))
    # EWMA: E_t = 0.25 L_t + 0.75 E_(t-1); chronic lambda 2/29, seeded with the first load.
    expect_rows(rows(con, DAILY_QUERY, {"client": "a"}), [
        {"day": day("2026-11-10"), "load": 300.0, "has_checkin": True, "session_type": "legs",
         "ewma_acute": 300.0, "ewma_chronic": 300.0},
        {"day": day("2026-11-11"), "load": 0.0, "has_checkin": False, "session_type": None,
         "ewma_acute": 225.0, "ewma_chronic": 8100 / 29},
        {"day": day("2026-11-12"), "load": 200.0, "has_checkin": True, "session_minutes": 40,
         "ewma_acute": 218.75, "ewma_chronic": 230300 / 841},
        {"day": day("2026-11-13"), "load": 0.0, "has_checkin": False,
         "ewma_acute": 164.0625, "ewma_chronic": 230300 / 841 * 27 / 29},
        {"day": day("2026-11-14"), "load": 0.0, "has_checkin": False,
         "ewma_acute": 123.046875, "ewma_chronic": 230300 / 841 * (27 / 29) ** 2},
    ])


def test_daily_load_ignores_check_ins_after_the_as_of_date(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", {
        day("2026-11-10"): session("legs", 60, 5),
        day("2026-11-12"): session("upper", 40, 5),
        day("2026-11-16"): session("legs", 60, 10),
    })
    db.set_as_of(con, day("2026-11-13"))
    got = rows(con, DAILY_QUERY, {"client": "a"})
    assert [r["day"] for r in got] == [day("2026-11-1" + str(d)) for d in range(4)]
    assert math.isclose(got[-1]["ewma_acute"], 164.0625)


def _steady_then_rest_then_gap() -> dict:
    """Days 0-20 load 100 (upper 20 min x RPE 5), 21-24 rest-day check-ins, 25-27 no
    check-in (a gap), 28-29 load 400 (legs 40 min x RPE 10). Day 0 = 2026-10-01."""
    upper = session("upper", 20, 5)
    rest = session("none", 0, 0)
    legs = session("legs", 40, 10)
    plan = [upper] * 21 + [rest] * 4 + [None] * 3 + [legs, legs]
    return series("2026-10-01", plan, lambda fields: fields)


def test_load_metrics_golden_series(con, expect_rows):
    add_client(con, "a")
    add_checkins(con, "a", _steady_then_rest_then_gap())
    db.set_as_of(con, day("2026-10-30"))  # day 29
    got = rows(con, LOAD_QUERY, {"client": "a"})
    assert len(got) == 30
    expect_rows([got[0], got[6], got[20], got[26], got[27], got[28], got[29]], [
        # the first days: means of the days that exist, ratios NULL, monotony NULL < day 6
        {"load": 100.0, "acute_load": 100.0, "chronic_load": 100.0, "acwr": None,
         "acwr_ewma": None, "weekly_load": 100.0, "monotony": None, "strain": None},
        # a steady week: SD 0, so monotony and strain are NULL
        {"acute_load": 100.0, "weekly_load": 700.0, "monotony": None, "strain": None, "acwr": None},
        {"acute_load": 100.0, "chronic_load": 100.0, "monotony": None, "acwr": None},
        # day 26 (still < 27): window days 20-26 = [100, 0 x 6]
        {"acute_load": 100 / 7, "weekly_load": 100.0, "acwr": None, "acwr_ewma": None},
        # day 27: a week of zeros (rest days + gap): monotony NULL, ratios start
        {"acute_load": 0.0, "chronic_load": 75.0, "acwr": 0.0, "weekly_load": 0.0,
         "monotony": None, "strain": None},
        # day 28: [0 x 6, 400]; chronic days 1-28 = 20 x 100 + 400
        {"acute_load": 400 / 7, "chronic_load": 2400 / 28, "acwr": 2 / 3,
         "monotony": 1 / math.sqrt(6), "strain": 400 / math.sqrt(6)},
        # day 29: [0 x 5, 400, 400]; chronic days 2-29 = 19 x 100 + 800
        {"acute_load": 800 / 7, "chronic_load": 2700 / 28, "acwr": 32 / 27,
         "monotony": math.sqrt(2 / 5), "strain": 800 * math.sqrt(2 / 5)},
    ])
    assert got[27]["acwr_ewma"] == got[27]["ewma_acute"] / got[27]["ewma_chronic"]
    assert [r["acwr_ewma"] is None for r in got] == [True] * 27 + [False] * 3


def _python_ewma(loads: list[float], span: int) -> list[float]:
    smoothing = 2 / (span + 1)
    values, previous = [], None
    for load in loads:
        previous = load if previous is None else smoothing * load + (1 - smoothing) * previous
        values.append(previous)
    return values


def test_ewma_over_five_years_matches_the_plain_recursion(con):
    add_client(con, "a")
    generator = random.Random(3)
    first = day("2021-11-21")
    days = 5 * 365 + 1
    given = {}
    for offset in range(days):
        if generator.random() < 0.15:
            continue  # no check-in that day
        kind = generator.choice(["none", "legs", "upper", "cardio"])
        given[first + dt.timedelta(days=offset)] = (
            session("none", 0, 0) if kind == "none" else session(kind, generator.randint(10, 600), generator.randint(0, 10))
        )
    add_checkins(con, "a", given)
    got = rows(con, DAILY_QUERY, {"client": "a"})
    loads = [r["load"] for r in got]
    assert len(got) == (day("2026-11-20") - min(given)).days + 1
    for column, span in [("ewma_acute", 7), ("ewma_chronic", 28)]:
        expected = _python_ewma(loads, span)
        for r, value in zip(got, expected, strict=True):
            assert math.isclose(r[column], value, rel_tol=1e-9, abs_tol=1e-9), (r["day"], column)

"""wellness and soreness golden cases (docs/design.md "Metrics")."""

from __future__ import annotations

import math
import statistics

from pipelines import db
from tests.helpers.metrics_fixtures import add_checkins, add_client, day, rows, series, session


def test_wellness_drop_after_ten_steady_days(con, expect_rows):
    add_client(con, "w")
    # days 0-9: 4+4+4+mood+5 with mood 3, 4, 3, 4 ... -> 20, 21, 20, 21 ...; day 10 drops
    steady = [{"mood": 3 if offset % 2 == 0 else 4} for offset in range(10)]
    drop = {"sleep_quality": 2, "energy": 2, "stress": 2, "mood": 2, "soreness_glutes": 5}
    add_checkins(con, "w", series("2026-11-01", [*steady, drop], lambda fields: fields))
    db.set_as_of(con, day("2026-11-12"))
    got = rows(con, "select * from wellness where client_id = 'w' order by day")
    assert len(got) == 12
    earlier = [20, 21] * 5 + [11]
    expect_rows([got[0], got[6], got[7], got[10], got[11]], [
        {"soreness_item": 5, "wellness": 20, "wellness_z": None, "baseline_checkins": 0},
        # only 6 earlier check-ins: no z yet
        {"wellness": 20, "baseline_checkins": 6, "wellness_z": None},
        # 7 earlier (four 20s, three 21s): mean 20 + 3/7, population SD sqrt(12)/7
        {"wellness": 21, "baseline_mean": 20 + 3 / 7, "baseline_sd": math.sqrt(12) / 7,
         "wellness_z": 4 / math.sqrt(12)},
        # soreness 5 -> item 5 - floor(2.5) = 3; wellness 2+2+2+2+3 = 11; baseline 20.5 +- 0.5
        {"soreness_item": 3, "wellness": 11, "baseline_mean": 20.5, "baseline_sd": 0.5,
         "wellness_z": -19.0},
        # no check-in: the day's own values NULL, the baseline of the 28 days before filled
        {"wellness": None, "soreness_item": None, "wellness_z": None, "mood": None,
         "baseline_checkins": 11, "baseline_mean": statistics.fmean(earlier),
         "baseline_sd": statistics.pstdev(earlier)},
    ])


def test_soreness_item_maps_zero_to_ten_onto_five_to_one(con):
    add_client(con, "s")
    add_checkins(con, "s", series("2026-11-01", list(range(11)), lambda sore: {"soreness_calves": sore}))
    got = rows(con, "select soreness_item from wellness where client_id = 's' and day <= '2026-11-11' order by day")
    assert [r["soreness_item"] for r in got] == [5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1]


def test_flat_baseline_gives_no_z(con):
    add_client(con, "f")
    add_checkins(con, "f", series("2026-11-01", [{}] * 9, lambda fields: fields))
    got = rows(con, "select wellness, baseline_sd, wellness_z from wellness where client_id = 'f' and day = '2026-11-09'")
    assert got == [{"wellness": 21, "baseline_sd": 0.0, "wellness_z": None}]


def test_soreness_after_legs_two_days_in_a_row(con, expect_rows):
    add_client(con, "l")
    legs = session("legs", 60, 7)
    add_checkins(con, "l", {
        day("2026-11-01"): {"soreness_quads": 2},
        day("2026-11-02"): legs,
        day("2026-11-03"): {**session("full_body", 45, 6), "soreness_quads": 5, "soreness_glutes": 5},
        day("2026-11-05"): {"soreness_hamstrings": 8},
        day("2026-11-07"): {"soreness_calves": 1},
        day("2026-11-10"): {},
    })
    db.set_as_of(con, day("2026-11-10"))
    got = rows(con, "select * from soreness where client_id = 'l' order by day")
    expect_rows(got, [
        {"day": day("2026-11-01"), "max_soreness": 2, "days_since_legs": None, "doms_phase": None},
        {"day": day("2026-11-02"), "max_soreness": 0, "days_since_legs": 0, "doms_phase": "just trained"},
        {"day": day("2026-11-03"), "max_soreness": 5, "sorest_muscles": "quads, glutes",
         "days_since_legs": 0, "doms_phase": "just trained"},
        {"day": day("2026-11-04"), "max_soreness": None, "soreness_quads": None,
         "days_since_legs": 1, "doms_phase": "peak window 24–72 h"},
        {"day": day("2026-11-05"), "max_soreness": 8, "sorest_muscles": "hamstrings",
         "days_since_legs": 2, "doms_phase": "peak window 24–72 h"},
        {"day": day("2026-11-06"), "days_since_legs": 3, "doms_phase": "peak window 24–72 h"},
        {"day": day("2026-11-07"), "max_soreness": 1, "days_since_legs": 4, "doms_phase": "should be fading"},
        {"day": day("2026-11-08"), "days_since_legs": 5, "doms_phase": "should be fading"},
        {"day": day("2026-11-09"), "days_since_legs": 6, "doms_phase": "past 5 days"},
        {"day": day("2026-11-10"), "max_soreness": 0, "days_since_legs": 7, "doms_phase": "past 5 days"},
    ])

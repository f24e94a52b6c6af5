"""The table of mapping options: a field's mapping entry, an answer, and what it stores.

Each case is (field, entry, answer, expected): `entry` is the field's entry in a
mapping whose other fields are the canonical columns; `expected` is a value, EMPTY,
Note(rule) or Held(rule) as in answer_cases. The cases run with LEGDAY_TIMEZONE
Europe/London and the default 04:00 day boundary, on 2026-11-20.
tests/test_mappings.py runs every case; docs/ingestion.md's mapping table is checked
against the same code and this table.
"""

from __future__ import annotations

from tests.helpers.answer_cases import EMPTY, Held, Note

TRAINED = {"column": "Trained?", "values": {"Leg day": "legs", "Rest": "none"}}
STRICT_TRAINED = TRAINED | {"strict": True}
FRESH = {"column": "Fresh?", "values": {"Great": 5, "OK": 3, "Tired": 1}, "strict": True}
MEAL = {"column": "Meal?", "values": {"Yes": True, "No": False}, "strict": True}
MOOD = {"column": "Mood", "values": {"😀": 5, "🙂": 4, "😐": 3, "🙁": 2, "😞": 1}, "strict": True}


def scale(low: float, high: float, to_low: float, to_high: float, rounding: str) -> dict:
    return {"from": [low, high], "to": [to_low, to_high], "round": rounding}


QUADS = {"column": "Quads 1-5", "scale": scale(1, 5, 0, 10, "nearest")}
QUADS_DOWN = {"column": "Quads 1-5", "scale": scale(1, 5, 0, 10, "down")}
QUADS_UP = {"column": "Quads 1-5", "scale": scale(1, 5, 0, 10, "up")}
QUADS_EXACT = {"column": "Quads 1-5", "scale": scale(1, 5, 0, 10, "none")}
STRESSED = {"column": "How stressed? (5 = very)", "scale": scale(1, 5, 5, 1, "none")}
ENERGY_TEN = {"column": "Energy 1-10", "scale": scale(1, 10, 1, 5, "nearest")}
BORG = {"column": "Borg RPE", "scale": scale(6, 20, 0, 10, "nearest")}
DAY_FIRST = {"column": "Date", "dates": "day_first"}
MONTH_FIRST = {"column": "Date", "dates": "month_first"}
DATE = {"column": "Date"}
STAMP_DAY_FIRST = {"column": "Timestamp", "parse": "timestamp_date", "dates": "day_first"}
STAMP = {"column": "Timestamp", "parse": "timestamp_date"}
STAMP_NEW_YORK = STAMP | {"timezone": "America/New_York"}
STAMP_LABELLED = STAMP_NEW_YORK | {"formats": ["%Y/%m/%d %I:%M:%S %p"]}
GLASSES = {"column": "Water", "glass_liters": 0.25, "bottle_liters": 0.5}
SQL = "'; drop table check_ins; --"
QUOTED = {"column": 'It\'s "legs"?', "values": {SQL: "legs"}, "strict": True}

CASES: list[tuple[str, dict, str, object]] = [
    # a constant: one value for the whole file, no column
    ("session_type", {"value": "legs"}, "", "legs"),
    ("client_id", {"value": "c2"}, "", "c2"),
    ("checkin_date", {"value": "2026-11-18"}, "", "2026-11-18"),
    # values: listed answers translate; unlisted ones go to the interpreter
    ("session_type", TRAINED, "Leg day", "legs"),
    ("session_type", TRAINED, " leg DAY ", "legs"),
    ("session_type", TRAINED, "Rest", "none"),
    ("session_type", TRAINED, "Upper body", "upper"),
    ("session_type", TRAINED, "Pilates", Note("unreadable")),
    # strict values: an unlisted answer is not passed through
    ("session_type", STRICT_TRAINED, "Leg day", "legs"),
    ("session_type", STRICT_TRAINED, "Upper body", Note("not_listed")),
    ("session_type", STRICT_TRAINED, "Pilates", Note("not_listed")),
    ("session_type", STRICT_TRAINED, "", "none"),
    ("energy", FRESH, "Great", 5),
    ("energy", FRESH, "tired", 1),
    ("energy", FRESH, "Meh", Held("not_listed")),
    ("energy", FRESH, "4", Held("not_listed")),
    ("energy", FRESH, "N/A", Held("required")),
    ("ate_recovery_meal", MEAL, "Yes", True),
    ("ate_recovery_meal", MEAL, "No", False),
    ("ate_recovery_meal", MEAL, "Sort of", Note("not_listed")),
    ("ate_recovery_meal", MEAL, "", EMPTY),
    ("mood", MOOD, "😀", 5),
    ("mood", MOOD, "🙁", 2),
    ("mood", MOOD, "🤔", Held("not_listed")),
    # SQL metacharacters in a mapping's column, values and answers are text
    ("session_type", STRICT_TRAINED, "legs' or 1=1 --", Note("not_listed")),
    ("session_type", QUOTED, SQL, "legs"),
    ("session_type", QUOTED, "legs", Note("not_listed")),
    # a linear rescale, rounded as stated
    ("soreness_quads", QUADS, "1", 0),
    ("soreness_quads", QUADS, "2", 3),
    ("soreness_quads", QUADS, "3", 5),
    ("soreness_quads", QUADS, "4", 8),
    ("soreness_quads", QUADS, "5", 10),
    ("soreness_quads", QUADS, "4/5", 8),
    ("soreness_quads", QUADS, "4 - sore", 8),
    ("soreness_quads", QUADS, "none", Held("out_of_scale")),
    ("soreness_quads", QUADS, "6", Held("out_of_scale")),
    ("soreness_quads", QUADS, "lots", Held("unreadable")),
    ("soreness_quads", QUADS, "", Held("required")),
    ("soreness_quads", QUADS_DOWN, "2", 2),
    ("soreness_quads", QUADS_DOWN, "4", 7),
    ("soreness_quads", QUADS_UP, "2", 3),
    ("soreness_quads", QUADS_UP, "4", 8),
    ("soreness_quads", QUADS_EXACT, "3", 5),
    ("soreness_quads", QUADS_EXACT, "2", Held("not_whole")),
    ("energy", ENERGY_TEN, "10", 5),
    ("energy", ENERGY_TEN, "1", 1),
    ("energy", ENERGY_TEN, "7", 4),
    ("energy", ENERGY_TEN, "5", 3),
    ("energy", ENERGY_TEN, "11", Held("out_of_scale")),
    ("session_rpe", BORG, "13", 5),
    ("session_rpe", BORG, "20", 10),
    ("session_rpe", BORG, "6", 0),
    ("session_rpe", BORG, "", EMPTY),
    ("session_rpe", BORG, "25", Note("out_of_scale")),
    # a reversed scale
    ("stress", STRESSED, "1", 5),
    ("stress", STRESSED, "2", 4),
    ("stress", STRESSED, "5", 1),
    ("stress", STRESSED, "0", Held("out_of_scale")),
    # numeric dates: the order the mapping states, or only when it cannot matter
    ("checkin_date", DAY_FIRST, "03/11/2026", "2026-11-03"),
    ("checkin_date", DAY_FIRST, "3.11.2026", "2026-11-03"),
    ("checkin_date", DAY_FIRST, "3-11-2026", "2026-11-03"),
    ("checkin_date", DAY_FIRST, "2026-11-03", "2026-11-03"),
    ("checkin_date", DAY_FIRST, "31/11/2026", Held("invalid_date")),
    ("checkin_date", DAY_FIRST, "11/13/2026", Held("invalid_date")),
    ("checkin_date", MONTH_FIRST, "11/03/2026", "2026-11-03"),
    ("checkin_date", MONTH_FIRST, "03/11/2026", "2026-03-11"),
    ("checkin_date", DATE, "03/11/2026", Held("ambiguous_date")),
    ("checkin_date", DATE, "13/11/2026", "2026-11-13"),
    ("checkin_date", DATE, "11/13/2026", "2026-11-13"),
    ("checkin_date", DATE, "11/11/2026", "2026-11-11"),
    ("checkin_date", DATE, "2026-11-03", "2026-11-03"),
    ("checkin_date", STAMP_DAY_FIRST, "03/11/2026 07:42:10", "2026-11-03"),
    ("checkin_date", STAMP_DAY_FIRST, "03/11/2026 00:20:00", "2026-11-02"),
    # the same file's 11/19/2026 can only be month-first, so the whole file is read so
    ("checkin_date", STAMP, "03/11/2026 07:42:10", "2026-03-11"),
    ("checkin_date", STAMP, "11/19/2026 7:42:10", "2026-11-19"),
    # a time zone for timestamps without a label (the practice is in London)
    ("checkin_date", STAMP, "11/19/2026 23:30", "2026-11-19"),
    ("checkin_date", STAMP_NEW_YORK, "11/19/2026 23:30", "2026-11-20"),
    ("checkin_date", STAMP_NEW_YORK, "11/19/2026 20:00", "2026-11-19"),
    ("checkin_date", STAMP_LABELLED, "2026/11/19 11:30:00 PM GMT+1", "2026-11-19"),
    # glasses and bottles
    ("water_liters", GLASSES, "6 glasses", 1.5),
    ("water_liters", GLASSES, "3 bottles", 1.5),
    ("water_liters", {"column": "Water"}, "6 glasses", Note("unreadable")),
]

# Mappings that are refused, and the words the refusal must contain: (field, entry, words).
BAD_ENTRIES: list[tuple[str, dict, str]] = [
    ("energy", {"column": "E", "scale": scale(1, 5, 1, 10, "nearest")}, "energy is 1 to 5"),
    ("energy", {"column": "E", "scale": {"from": [1, 5], "to": [1, 5]}}, "round: Field required"),
    ("energy", {"column": "E", "scale": scale(1, 5, 1, 5, "half")}, "'nearest', 'down', 'up' or 'none'"),
    ("energy", {"column": "E", "scale": scale(3, 3, 1, 5, "none")}, "the two ends of the scale are the same"),
    ("sleep_hours", {"column": "S", "scale": scale(1, 5, 1, 5, "none")}, "\"scale\" is for scores"),
    ("session_type", {"column": "T", "strict": True}, "\"strict\" needs a \"values\" table"),
    ("session_type", {"column": "T", "strcit": True}, "session_type.strcit: Extra inputs are not permitted"),
    ("checkin_date", {"column": "D", "dates": "dmy"}, "'day_first' or 'month_first'"),
    ("checkin_date", {"column": "D", "parse": "timestamp_date", "timezone": "Mars/Base"}, "'Mars/Base' is not a time zone"),
    ("checkin_date", {"column": "D", "timezone": "Europe/London"}, "\"timezone\" is for a timestamp"),
    ("mood", {"column": "M", "dates": "day_first"}, "\"dates\" is for checkin_date"),
    ("mood", {"column": "M", "value": "3"}, "has both a \"column\" and a \"value\""),
    ("mood", {"value": "3"}, "a \"value\" is for client_id, checkin_date, session_type (an answer is never made up)"),
    ("mood", {}, "needs a \"column\""),
    ("mood", {"column": "M", "glass_liters": 0.25}, "glass and bottle sizes are for water_liters"),
    ("sleep", {"column": "S"}, "'sleep' is not a check-in field"),
]

"""The file validation (SQL) and the form model (pydantic) agree on one table of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from pipelines.checkin_form import CheckInForm
from pipelines.ingest import ingest_file
from tests.helpers.ingest_fixtures import checkin, csv_bytes

AS_OF = dt.date(2026, 11, 20)

# (overrides of a valid row, expected (field, rule) or None when valid).
# Client rules (unknown, inactive, start date) are outside the form: its client
# comes from the link; tests/test_ingest_store.py covers them for submissions.
CASES = [
    ({}, None),
    ({"soreness_quads": "7.0"}, None),
    ({"soreness_quads": " 7 "}, None),
    ({"soreness_quads": "+7"}, None),
    ({"soreness_quads": "7,0"}, None),
    ({"soreness_quads": "7.5"}, ("soreness_quads", "not_a_whole_number")),
    ({"soreness_quads": "7."}, ("soreness_quads", "not_a_whole_number")),
    ({"soreness_quads": "1e1"}, ("soreness_quads", "not_a_whole_number")),
    ({"soreness_quads": "-1"}, ("soreness_quads", "out_of_range")),
    ({"soreness_quads": "11"}, ("soreness_quads", "out_of_range")),
    ({"soreness_quads": "seven"}, ("soreness_quads", "not_a_whole_number")),
    ({"soreness_quads": ""}, ("soreness_quads", "required")),
    ({"soreness_calves": "\t"}, ("soreness_calves", "required")),
    ({"sleep_hours": "7.25"}, None),
    ({"sleep_hours": ".5"}, None),
    ({"sleep_hours": "6,5"}, None),
    ({"sleep_hours": "24.1"}, ("sleep_hours", "out_of_range")),
    ({"sleep_hours": "inf"}, ("sleep_hours", "not_a_number")),
    ({"sleep_hours": "nan"}, ("sleep_hours", "not_a_number")),
    ({"sleep_quality": "0"}, ("sleep_quality", "out_of_range")),
    ({"mood": "5"}, None),
    ({"mood": "6"}, ("mood", "out_of_range")),
    ({"water_liters": ""}, None),
    ({"water_liters": "15"}, None),
    ({"water_liters": "15.5"}, ("water_liters", "out_of_range")),
    ({"ate_recovery_meal": "Y"}, None),
    ({"ate_recovery_meal": "no"}, None),
    ({"ate_recovery_meal": "0"}, None),
    ({"ate_recovery_meal": "TRUE"}, None),
    ({"ate_recovery_meal": "nope"}, ("ate_recovery_meal", "not_a_boolean")),
    ({"pain": "1"}, None),
    ({"pain": "yes please"}, ("pain", "not_a_boolean")),
    ({"session_type": "Full Body"}, None),
    ({"session_type": "active-recovery"}, None),
    ({"session_type": "", "session_minutes": "", "session_rpe": ""}, None),
    ({"session_type": "NONE", "session_minutes": "0", "session_rpe": "0"}, None),
    ({"session_type": "yoga"}, ("session_type", "invalid_choice")),
    ({"session_type": "none", "session_minutes": "20", "session_rpe": "0"}, ("session_minutes", "not_zero_without_session")),
    ({"session_type": "none", "session_minutes": "0", "session_rpe": "3"}, ("session_rpe", "not_zero_without_session")),
    ({"session_type": "none", "session_minutes": "700", "session_rpe": ""}, ("session_minutes", "not_zero_without_session")),
    ({"session_minutes": "600"}, None),
    ({"session_minutes": "601"}, ("session_minutes", "out_of_range")),
    ({"session_rpe": "10.0"}, None),
    ({"session_rpe": "11"}, ("session_rpe", "out_of_range")),
    ({"checkin_date": "2026-11-20"}, None),
    ({"checkin_date": " 2026-11-19 "}, None),
    ({"checkin_date": "2026-11-19T23:30:00"}, None),
    ({"checkin_date": "2026-11-19T23:30:00Z"}, None),
    ({"checkin_date": "2026-11-19 06:00+01:00"}, None),
    ({"checkin_date": "2026-11-21"}, ("checkin_date", "future_date")),
    ({"checkin_date": "2026-02-30"}, ("checkin_date", "invalid_date")),
    ({"checkin_date": "03/04/2026"}, ("checkin_date", "invalid_date")),
    ({"checkin_date": "2026/11/19"}, ("checkin_date", "invalid_date")),
    ({"checkin_date": "2026-1-19"}, ("checkin_date", "invalid_date")),
    ({"checkin_date": "2026-11-19 later"}, ("checkin_date", "invalid_date")),
    ({"checkin_date": ""}, ("checkin_date", "required")),
    ({"notes": "x" * 2000}, None),
    ({"notes": "x" * 2001}, ("notes", "too_long")),
    ({"notes": "e\u0301" * 2000}, None),
]


def file_outcome(con, row: dict) -> tuple[str, str] | None:
    ingest_file(con, csv_bytes([row]), file_name="case.csv")
    found = con.execute("select field, rule from quarantine").fetchone()
    return tuple(found) if found else None


def form_outcome(row: dict) -> tuple[str, str] | None:
    values = {name: value for name, value in row.items() if name != "client_id"}
    try:
        CheckInForm.model_validate(values, context={"today": AS_OF})
    except ValidationError as invalid:
        first = invalid.errors()[0]
        return (first["loc"][0], first["type"])
    return None


@pytest.mark.parametrize(("overrides", "expected"), CASES, ids=[repr(case[0])[:60] for case in CASES])
def test_file_validation_and_form_model_agree(two_trainers, overrides, expected):
    row = checkin(**overrides)
    assert file_outcome(two_trainers, row) == expected
    assert form_outcome(row) == expected

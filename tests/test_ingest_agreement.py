"""The file validation (SQL) and the form model agree on dates, notes and held-back rows.

Every other answer is in tests/helpers/answer_cases.py, run through every format and the
model by tests/test_answers.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from pipelines.checkin_form import CheckInForm
from pipelines.ingest import ingest_file
from tests.helpers.ingest_fixtures import checkin, csv_bytes
from tests.helpers.viewers import OWNER

AS_OF = dt.date(2026, 11, 20)

# (overrides of a valid row, expected (field, rule) or None when valid).
# Client rules (unknown, inactive, start date) are outside the form: its client
# comes from the link; tests/test_ingest_store.py covers them for submissions.
CASES = [
    ({}, None),
    ({"soreness_quads": "+7"}, ("soreness_quads", "unreadable")),
    ({"soreness_quads": "7."}, ("soreness_quads", "unreadable")),
    ({"mood": "6"}, ("mood", "out_of_range")),
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
    ingest_file(con, OWNER, csv_bytes([row]), file_name="case.csv")
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

"""Every human answer of tests/helpers/answer_cases.py is read the same way by every way in.

CSV, JSON Lines, the Google Forms mapping and the web form's model each get the
whole table; each answer must store the value it means, be stored empty (with a
field note when it could not be read), or hold its check-in back.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from pydantic import ValidationError

from pipelines.checkin_form import CheckInForm
from pipelines.ingest import ingest_file
from tests.helpers.answer_cases import CASES, REST_DAY_CASES, Held, Note
from tests.helpers.ingest_fixtures import checkin, csv_bytes, google_forms_bytes
from tests.helpers.viewers import OWNER

AS_OF = dt.date(2026, 11, 20)
ALL_CASES = [(field, answer, expected, False) for field, answer, expected in CASES] + [
    (field, answer, expected, True) for field, answer, expected in REST_DAY_CASES
]


def test_the_table_covers_every_field_with_at_least_150_answers():
    fields = {case[0] for case in ALL_CASES}
    assert len(ALL_CASES) >= 150
    assert fields >= {
        "sleep_hours", "soreness_quads", "soreness_hamstrings", "soreness_glutes", "soreness_calves",
        "sleep_quality", "energy", "stress", "mood", "water_liters", "ate_recovery_meal", "pain",
        "session_type", "session_minutes", "session_rpe", "notes",
    }


def case_row(index: int, field: str, answer: str, rest_day: bool) -> dict[str, str]:
    base = {"session_type": "none", "session_minutes": "", "session_rpe": ""} if rest_day else {}
    return checkin(client_id=f"p{index:03d}", **(base | {field: answer}))


ROWS = [case_row(index, field, answer, rest) for index, (field, answer, _, rest) in enumerate(ALL_CASES)]


def add_case_clients(con) -> None:
    con.execute(
        "insert into clients (client_id, name, trainer_id) "
        "select 'p' || lpad(i::text, 3, '0'), 'Case ' || i, 'sam' from range(?) as t (i)",
        [len(ROWS)],
    )


def file_bytes(kind: str) -> bytes:
    if kind == "csv":
        return csv_bytes(ROWS)
    if kind == "jsonl":
        return "".join(json.dumps(row) + "\n" for row in ROWS).encode("utf-8")
    return google_forms_bytes(ROWS)


def file_outcomes(con, kind: str) -> list[object]:
    add_case_clients(con)
    ingest_file(
        con, OWNER, file_bytes(kind), file_name=f"cases.{kind}", mapping="google_forms" if kind == "google_forms" else None
    )
    held = {
        client: (field, rule)
        for client, field, rule in con.execute("select client_id, field, rule from quarantine").fetchall()
    }
    notes = {
        (client, field): rule
        for client, field, rule in con.execute("select client_id, field, rule from answer_notes").fetchall()
    }
    outcomes = []
    for index, (field, _, _, _) in enumerate(ALL_CASES):
        client = f"p{index:03d}"
        if client in held:
            outcomes.append(("held", *held[client]))
        elif (client, field) in notes:
            outcomes.append(("note", field, notes[(client, field)]))
        else:
            value = con.execute(
                f"select {field} from check_ins where client_id = ?", [client]  # noqa: S608 - field from the table
            ).fetchone()
            outcomes.append(("value", value[0]) if value else ("missing",))
    return outcomes


def expected_outcome(field: str, expected: object) -> tuple:
    if isinstance(expected, Held):
        return ("held", field, expected.rule)
    if isinstance(expected, Note):
        return ("note", field, expected.rule)
    return ("value", expected)


def same(found: tuple, wanted: tuple) -> bool:
    if found[0] == "value" == wanted[0] and isinstance(wanted[1], float) and found[1] is not None:
        return math.isclose(found[1], wanted[1])
    return found == wanted


def mismatches(outcomes: list[tuple]) -> list[str]:
    wrong = []
    for (field, answer, expected, rest), found in zip(ALL_CASES, outcomes, strict=True):
        wanted = expected_outcome(field, expected)
        if not same(found, wanted):
            wrong.append(f"{field} {answer!r}{' (rest day)' if rest else ''}: got {found}, want {wanted}")
    return wrong


@pytest.mark.parametrize("kind", ["csv", "jsonl", "google_forms"])
def test_every_answer_is_read_as_meant_in_every_file_format(two_trainers, kind):
    assert mismatches(file_outcomes(two_trainers, kind)) == []


def form_outcome(row: dict, field: str) -> tuple:
    answers = {name: value for name, value in row.items() if name != "client_id"}
    try:
        form = CheckInForm.model_validate(answers, context={"today": AS_OF})
    except ValidationError as invalid:
        errors = {error["loc"][0]: error["type"] for error in invalid.errors()}
        kind = "note" if field in CheckInForm.model_fields and field not in REQUIRED else "held"
        return (kind, field, errors[field]) if field in errors else ("other", errors)
    return ("value", getattr(form, field))


REQUIRED = {
    "sleep_hours", "soreness_quads", "soreness_hamstrings", "soreness_glutes", "soreness_calves",
    "sleep_quality", "energy", "stress", "mood",
}


@pytest.mark.slow  # one validation per answer: about a second each on a busy machine
def test_every_answer_is_read_the_same_by_the_web_form_model():
    outcomes = [form_outcome(row, case[0]) for row, case in zip(ROWS, ALL_CASES, strict=True)]
    assert mismatches(outcomes) == []

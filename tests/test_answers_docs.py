"""docs/ingestion.md's answer table is what the interpreter does (each row is run)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from pipelines.ingest.answers import read_answers
from tests.helpers.answer_cases import CASES, REST_DAY_CASES, Held, Note
from tests.helpers.ingest_fixtures import checkin

DOCS = Path(__file__).resolve().parent.parent / "docs" / "ingestion.md"
REQUIRED = {"sleep_hours", "soreness_quads", "soreness_hamstrings", "soreness_glutes", "soreness_calves",
            "sleep_quality", "energy", "stress", "mood"}


def docs_rows() -> list[tuple[str, str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- answers-table -->")[1].split("<!-- /answers-table -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        field, answer, stored = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((field, answer.strip("`"), stored))
    return rows


def stored_as(field: str, answer: str) -> str:
    reading = read_answers(checkin(**{field: answer}), dt.date(2026, 11, 20))
    for found in reading.problems:
        if found["field"] == field:
            return f"held back: {found['rule']}"
    for found in reading.notes:
        if found["field"] == field:
            return f"note: {found['rule']}"
    value = reading.values[field]
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_every_docs_row_is_what_the_interpreter_stores():
    rows = docs_rows()
    assert len(rows) >= 40
    assert [(field, answer, stored_as(field, answer)) for field, answer, _ in rows] == rows


def test_every_docs_row_agrees_with_the_test_table():
    table = {(field, answer): expected for field, answer, expected in CASES + REST_DAY_CASES}
    for field, answer, stored in docs_rows():
        if (field, answer) not in table:
            continue
        expected = table[(field, answer)]
        if isinstance(expected, Held):
            assert stored == f"held back: {expected.rule}"
        elif isinstance(expected, Note):
            assert stored == f"note: {expected.rule}"
        elif expected is None:
            assert stored == "empty"
        elif isinstance(expected, bool):
            assert stored == str(expected).lower()
        elif isinstance(expected, float | int):
            assert math.isclose(float(stored), expected)
        else:
            assert stored == expected
    assert REQUIRED.issuperset(field for field, _, stored in docs_rows() if stored.startswith("held back"))


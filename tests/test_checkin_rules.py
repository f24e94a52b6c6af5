"""The check-in rules are said once (checkin_rules(), sql/macros/checkin_rules.sql): the
ingest validation, the form's model and the CHECK constraints of check_ins all agree
with it, and one whitespace set is trimmed from answers and header names alike."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipelines import db
from pipelines.checkin_form import KIND_TYPES, CheckInForm
from pipelines.ingest import ingest_file
from pipelines.ingest.fields import RULES, WHITESPACE, normalise_name
from pipelines.ingest.store import load_interpreter
from tests.helpers.ingest_fixtures import checkin
from tests.helpers.viewers import OWNER

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def parsers():
    con = duckdb.connect()
    db.migrate(con)
    load_interpreter(con)
    yield con
    con.close()


def test_check_constraints_are_the_rules(parsers):
    checks = {
        row[0] for row in parsers.execute(
            "select constraint_text from duckdb_constraints() where table_name = 'check_ins' and constraint_type = 'CHECK'"
        ).fetchall()
    }
    nullable = dict(parsers.execute(
        "select column_name, is_nullable from duckdb_columns() where table_name = 'check_ins'"
    ).fetchall())
    for rule in RULES.values():
        if rule.field == "notes":
            assert f"CHECK((length(notes) <= {rule.high}))" in checks
        elif rule.low is not None:
            assert f"CHECK(({rule.field} BETWEEN {rule.low} AND {rule.high}))" in checks, rule.field
        if rule.required:
            assert not nullable[rule.field], rule.field


def test_the_form_model_is_the_rules():
    fields = CheckInForm.model_fields
    assert list(fields) == [field for field in RULES if field != "client_id"]
    for name, info in fields.items():
        rule = RULES[name]
        assert info.is_required() == rule.required, name
        expected = KIND_TYPES[rule.kind] if rule.required else KIND_TYPES[rule.kind] | None
        assert info.annotation == expected, name


@pytest.mark.parametrize("space", list(WHITESPACE), ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
def test_one_whitespace_set_for_answers_and_headers(parsers, space):
    """`7` and `c01` with the character around them read as 7 and c01, as a header
    named with it reads as the bare name."""
    row = parsers.execute(
        "select ingest_text($v), ingest_blank($s), answer_score($n, false), ingest_day($d)",
        {"v": f"{space}c01{space}", "s": space * 2, "n": f"7{space}", "d": f"{space}2026-11-19{space}"},
    ).fetchone()
    assert row == ("c01", True, 7, dt.date(2026, 11, 19))
    assert normalise_name(f"{space}Mood{space}") == "mood"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*WHITESPACE, "a", "B", "-", "\u2003"]), max_size=6))
def test_random_text_trims_alike_in_sql_and_python(text):
    con = _scratch()
    trimmed = con.execute("select coalesce(ingest_text($v), '')", {"v": text}).fetchone()[0]
    assert trimmed == text.strip(WHITESPACE)


_SCRATCH: list[duckdb.DuckDBPyConnection] = []


def _scratch() -> duckdb.DuckDBPyConnection:
    if not _SCRATCH:
        con = duckdb.connect()
        db.migrate(con)
        load_interpreter(con)
        _SCRATCH.append(con)
    return _SCRATCH[0]


def _file_verdict(con, field: str, answer: str) -> tuple[str, str] | None:
    """The (field, rule) a file import holds the row back or notes an answer for, or None."""
    for table in ("answer_notes", "quarantine", "check_ins", "ingest_runs"):
        con.execute(f"delete from {table}")  # noqa: S608 - our table names
    body = json.dumps(checkin(**{field: answer})).encode()  # JSON carries any string as it is
    ingest_file(con, OWNER, body, file_name="case.jsonl")
    held = con.execute("select field, rule from quarantine").fetchone()
    if held:
        return tuple(held)
    notes = con.execute("select field, rule from answer_notes").fetchone()
    return tuple(notes) if notes else None


def _form_verdict(field: str, answer: str) -> tuple[str, str] | None:
    values = {name: value for name, value in checkin(**{field: answer}).items() if name != "client_id"}
    try:
        CheckInForm.model_validate(values, context={"today": AS_OF})
    except ValidationError as invalid:
        first = invalid.errors()[0]
        return (first["loc"][0], first["type"])
    return None


ANSWER_CHARACTERS = [*WHITESPACE, *"0123456789.,-/ ", "h", "m", "½", "n", "o", "y", "e", "s", "\u2003"]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["soreness_quads", "sleep_hours", "mood", "water_liters", "session_rpe", "ate_recovery_meal"]),
    answer=st.text(alphabet=st.sampled_from(ANSWER_CHARACTERS), max_size=6),
)
def test_random_answers_get_one_verdict_from_a_file_and_the_form(two_trainers, field, answer):
    """A random answer, imported in a file and sent through the web form's model, is
    accepted by both or refused by both for the same field and rule."""
    assert _file_verdict(two_trainers, field, answer) == _form_verdict(field, answer)


def test_the_design_table_states_the_rules():
    """docs/design.md "The check-in record": each field's range and whether it is required."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "design.md").read_text(encoding="utf-8")
    table = text.split("## The check-in record", 1)[1].split("\n\n", 3)[2]
    for line in table.splitlines()[2:]:
        names, kind, required = (cell.strip() for cell in line.strip("|").split("|"))
        for name in names.split(", "):
            rule = RULES[name]
            assert required.startswith("yes") == rule.required, name
            if rule.low is not None:
                assert f"{rule.low}–{rule.high}" in kind, name
                assert ("whole number" in kind) == bool(rule.whole), name
            elif rule.high is not None:
                assert f"at most {rule.high} characters" in kind, name

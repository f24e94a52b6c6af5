"""The vocabulary is said once: pipelines/vocabulary.py and sql/macros/vocabulary.sql agree,
the CHECK constraints of the migrations allow exactly those words, every label table
covers them, and no other source file restates the session types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import checkin_form, formatting
from pipelines import plans, vocabulary
from pipelines.commands.metrics import STATUS_STYLES
from pipelines.ingest.fields import FIELDS

ROOT = Path(__file__).resolve().parents[1]

SQL_AGREES = {
    "session_types()": vocabulary.SESSION_TYPES,
    "checkin_session_types()": vocabulary.CHECKIN_SESSION_TYPES,
    "leg_session_types()": vocabulary.LEG_SESSION_TYPES,
    "leg_heavy_order()": vocabulary.LEG_HEAVY_ORDER,
    "done_session_types()": vocabulary.DONE_SESSION_TYPES,
    "done_session_sources()": vocabulary.DONE_SESSION_SOURCES,
    "statuses()": vocabulary.STATUSES,
    "roster_order()": vocabulary.ROSTER_ORDER,
    "muscles()": vocabulary.MUSCLES,
}

# (table, column) of every CHECK constraint that lists vocabulary words -> the words.
CHECKED_COLUMNS = {
    ("check_ins", "session_type"): vocabulary.CHECKIN_SESSION_TYPES,
    ("sessions", "session_type"): vocabulary.SESSION_TYPES,
    ("done_sessions", "session_type"): vocabulary.DONE_SESSION_TYPES,
    ("done_sessions", "source"): vocabulary.DONE_SESSION_SOURCES,
    ("status_overrides", "status"): vocabulary.STATUSES,
    ("plans", "next_intensity"): vocabulary.INTENSITIES,
}


@pytest.mark.parametrize("macro", SQL_AGREES)
def test_sql_macros_say_what_python_says(con, macro):
    assert tuple(con.execute(f"select {macro}").fetchone()[0]) == SQL_AGREES[macro]


def test_is_leg_session_counts_the_leg_types_only(con):
    counted = con.execute(
        "select list_filter(checkin_session_types(), lambda kind: is_leg_session(kind))"
    ).fetchone()[0]
    assert tuple(counted) == vocabulary.LEG_SESSION_TYPES


def test_migration_checks_allow_exactly_the_vocabulary(con):
    """Applied migrations keep their CHECK lists as written; they must still agree."""
    found = {}
    checks = con.execute(
        "select table_name, expression from duckdb_constraints() where constraint_type = 'CHECK'"
    ).fetchall()
    for table, expression in checks:
        for column, words in re.findall(r"\(\"?(\w+)\"? IN \(([^)]*)\)\)", expression):
            found[(table, column)] = tuple(re.findall(r"'([^']*)'", words))
    found.pop(("ingest_runs", "source"))  # how a run arrived (csv, form, ...): not words of the data
    assert found == CHECKED_COLUMNS


def test_the_lists_are_consistent():
    assert sorted(vocabulary.LEG_HEAVY_ORDER) == sorted(vocabulary.DONE_SESSION_TYPES)
    assert set(vocabulary.LEG_SESSION_TYPES) <= set(vocabulary.SESSION_TYPES)
    assert vocabulary.LEG_HEAVY_ORDER[: len(vocabulary.LEG_SESSION_TYPES)] == vocabulary.LEG_SESSION_TYPES
    assert set(vocabulary.SORENESS_FIELDS) <= set(FIELDS)


def test_every_label_table_covers_the_vocabulary():
    assert tuple(vocabulary.SESSION_LABELS) == vocabulary.CHECKIN_SESSION_TYPES
    assert tuple(vocabulary.DONE_SESSION_LABELS) == vocabulary.DONE_SESSION_TYPES
    assert tuple(checkin_form.MUSCLES) == vocabulary.SORENESS_FIELDS
    assert set(formatting.STATUS_BADGES) == set(vocabulary.ROSTER_ORDER)
    assert set(formatting.STATUS_BADGE_COLOURS) == set(vocabulary.ROSTER_ORDER)
    assert set(formatting.STATUS_CELL_COLOURS) == set(vocabulary.ROSTER_ORDER)
    assert set(STATUS_STYLES) == set(vocabulary.ROSTER_ORDER)
    assert set(plans.DEFAULT_INTENSITY) == set(plans.DEFAULT_FOCUS) == set(plans.PLAN_STATUSES)
    assert set(plans.DEFAULT_INTENSITY.values()) <= set(vocabulary.INTENSITIES)


def test_no_other_source_lists_the_session_types():
    """Only the vocabulary and the migrations (whose CHECKs cannot call a macro) spell them."""
    sources = [
        *(ROOT / "pipelines").rglob("*.py"),
        *(ROOT / "dashboard").rglob("*.py"),
        *(path for path in (ROOT / "sql").rglob("*.sql") if path.parent.name != "schema"),
    ]
    allowed = {ROOT / "pipelines" / "vocabulary.py", ROOT / "sql" / "macros" / "vocabulary.sql"}
    restating = [
        str(path.relative_to(ROOT))
        for path in sources
        if path not in allowed and re.search(r"""['"]full_body['"]""", path.read_text())
    ]
    assert not restating

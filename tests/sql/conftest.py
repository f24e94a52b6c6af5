"""Golden cases for the metric views: small hand-computed given/expect tables.

Each test inserts its `given` check-ins straight into check_ins (plus the load state)
and compares the view's rows to its `expect` table, column by column, floats to 1e-9.
"""

from __future__ import annotations

import math

import pytest


def assert_rows(actual: list[dict], expect: list[dict]) -> None:
    """Every expected row matches the actual row at the same position on the listed columns."""
    assert len(actual) == len(expect), f"{len(actual)} rows, expected {len(expect)}"
    for number, (got, want) in enumerate(zip(actual, expect, strict=True)):
        for column, value in want.items():
            if isinstance(value, float) and got[column] is not None:
                assert math.isclose(got[column], value, rel_tol=1e-9, abs_tol=1e-9), (
                    f"row {number} {column}: {got[column]} != {value}"
                )
            else:
                assert got[column] == value, f"row {number} {column}: {got[column]!r} != {value!r}"


@pytest.fixture
def expect_rows():
    return assert_rows

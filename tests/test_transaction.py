"""db.transaction is re-entrant: a write called inside another joins its transaction."""

from __future__ import annotations

import pytest

from pipelines import audit, db


def _rows(con) -> int:
    return con.execute("select count(*) from audit_log").fetchone()[0]


def test_a_nested_block_joins_the_outer_one_and_the_outer_one_decides(con):
    with db.transaction(con):
        audit.record(con, "sam", "test.first", "c1")
        with db.transaction(con):
            audit.record(con, "sam", "test.second", "c1")
    assert _rows(con) == 2
    with pytest.raises(RuntimeError), db.transaction(con):
        audit.record(con, "sam", "test.third", "c1")
        raise RuntimeError("a later step fails")
    assert _rows(con) == 2  # the joined audit row went with the outer rollback


def test_an_audit_row_alone_is_its_own_transaction(con):
    audit.record(con, None, "test.alone", "c1")
    con.execute("begin transaction")  # nothing was left open
    con.execute("rollback")
    assert _rows(con) == 1

"""Is client_day_load equal to a fresh computation? Floats are compared to double rounding:
a parallel window may add a client's EWMA terms in another order, which moves the last bit."""

from __future__ import annotations

import math

from pipelines import load_state


def stored_rows(con) -> list[tuple]:
    return con.execute("select * from client_day_load order by client_id, day").fetchall()


def _same_value(mine, theirs) -> bool:
    if isinstance(mine, float) and isinstance(theirs, float):
        return math.isclose(mine, theirs, rel_tol=1e-12, abs_tol=1e-9)
    return mine == theirs


def same_rows(mine: list[tuple], theirs: list[tuple]) -> bool:
    return len(mine) == len(theirs) and all(
        len(row) == len(other) and all(map(_same_value, row, other))
        for row, other in zip(mine, theirs, strict=True)
    )


def is_fresh(con) -> bool:
    """Stored rows equal a full rebuild (done in a transaction that is rolled back)."""
    stored = stored_rows(con)
    con.execute("begin transaction")
    try:
        load_state.refresh(con)
        fresh = stored_rows(con)
    finally:
        con.execute("rollback")
    return same_rows(stored, fresh)

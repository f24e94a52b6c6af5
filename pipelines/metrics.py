"""Read-side queries over the metric views, shared by the CLI and the dashboard.

The definitions live in sql/views/ (documented in docs/metrics.md); this module only
selects from them with bound parameters and writes thresholds.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import duckdb

from pipelines import db
from pipelines.errors import LegdayError

if TYPE_CHECKING:
    import pandas as pd

CLIENT_DAYS_QUERY = """
select
    client_id, day, load, acute_load, chronic_load, acwr, ewma_acute, ewma_chronic,
    acwr_ewma, weekly_load, monotony, strain,
    soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves, max_soreness,
    days_since_legs, doms_phase, wellness, wellness_z, baseline_mean, baseline_sd,
    sleep_hours, water_liters, session_type, session_minutes, session_rpe, pain,
    has_checkin, status, readiness, reasons
from recovery_status_rows(false)
where list_contains($client_ids, client_id)
    and ($start is null or day >= $start)
    and ($end is null or day <= $end)
order by client_id, day
"""


class ThresholdError(LegdayError, ValueError):
    """An unknown threshold name or a value that is not a finite number."""


def _roster_result(con: duckdb.DuckDBPyConnection, trainer_id: str | None) -> duckdb.DuckDBPyConnection:
    return db.cursor(con).execute(
        "select * from roster where $trainer_id is null or trainer_id = $trainer_id",
        {"trainer_id": trainer_id},
    )


def roster(con: duckdb.DuckDBPyConnection, trainer_id: str | None = None) -> pd.DataFrame:
    """The roster view, for one trainer's clients (None = every trainer's)."""
    return _roster_result(con, trainer_id).df()


def roster_rows(con: duckdb.DuckDBPyConnection, trainer_id: str | None = None) -> list[dict]:
    """`roster` as plain rows: the CLI prints them without loading pandas."""
    result = _roster_result(con, trainer_id)
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def client_days(
    con: duckdb.DuckDBPyConnection,
    client_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """One row per calendar day of a client with every metric, its status and reasons."""
    return clients_days(con, [client_id], start, end)


def clients_days(
    con: duckdb.DuckDBPyConnection,
    client_ids: list[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """client_days for several clients, ordered by client and day."""
    return db.cursor(con).execute(
        CLIENT_DAYS_QUERY, {"client_ids": list(client_ids), "start": start, "end": end}
    ).df()


def client_flags(con: duckdb.DuckDBPyConnection, client_id: str, day: dt.date) -> pd.DataFrame:
    """The flags raised for a client on a day, most severe first."""
    return db.cursor(con).execute(
        "select code, severity, reason from risk_flags where client_id = $client_id and day = $day",
        {"client_id": client_id, "day": day},
    ).df()


def client_status(con: duckdb.DuckDBPyConnection, client_id: str) -> dict | None:
    """The client's roster row (None for an unknown or inactive client)."""
    rows = db.cursor(con).execute(
        "select * from roster where client_id = $client_id", {"client_id": client_id}
    ).df()
    return None if rows.empty else rows.iloc[0].to_dict()


def checkins(
    con: duckdb.DuckDBPyConnection,
    client_ids: list[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """The stored check-ins (canonical fields), oldest first."""
    return db.cursor(con).execute(
        """
        select * exclude (run_id, recorded_at)
        from check_ins
        where ($client_ids is null or list_contains($client_ids, client_id))
            and ($start is null or checkin_date >= $start)
            and ($end is null or checkin_date <= $end)
        order by client_id, checkin_date
        """,
        {"client_ids": client_ids, "start": start, "end": end},
    ).df()


def thresholds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return db.cursor(con).execute(
        "select name, value, default_value, description from thresholds order by name"
    ).df()


def threshold_values(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Every threshold's current value by name (what the views use right now)."""
    return dict(db.cursor(con).execute("select name, value from thresholds").fetchall())


def set_threshold(con: duckdb.DuckDBPyConnection, name: str, value: float) -> None:
    """Change one threshold; refuses unknown names and values that are not finite numbers."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ThresholdError(f"threshold {name}: {value!r} is not a number") from None
    if not math.isfinite(value):
        raise ThresholdError(f"threshold {name}: {value} is not a finite number")
    with db.transaction(con):
        known = con.execute("select count(*) from thresholds where name = ?", [name]).fetchone()[0]
        if not known:
            raise ThresholdError(f"unknown threshold {name!r}; `legday thresholds list` shows the names")
        con.execute("update thresholds set value = ? where name = ?", [value, name])

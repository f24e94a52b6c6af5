"""Read-side queries over the metric views, shared by the CLI and the dashboard.

The definitions live in sql/views/ (documented in docs/metrics.md); this module only
selects from them with bound parameters and writes thresholds.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import duckdb

from pipelines import access, audit, db
from pipelines.access import Viewer
from pipelines.errors import LegdayError

if TYPE_CHECKING:
    import pandas as pd

# The plain name of each rule that can decide a status (recovery_status.rule, roster.rule);
# docs/glossary.md explains each (a test keeps both in step).
RULE_NAMES = {
    "PAIN_REPORTED": "Pain",
    "LOAD_SPIKE": "Training jumped",
    "WELLNESS_DROP": "Feeling worse",
    "REST_SORENESS": "Very sore",
    "PERSISTENT_SORENESS": "Still sore",
    "LEGS_TOO_SOON": "Legs too soon",
    "LOAD_RISING": "Training rising",
    "HIGH_MONOTONY": "No easy days",
    "SHORT_SLEEP": "Short sleep",
    "SORENESS": "Sore",
    "LEG_DAY": "Leg day today",
    "STALE": "No recent check-in",
    "OVERRIDE": "Your call",
    "NO_CHECKINS": "No check-ins",
}


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (a list or array is never missing), without pandas."""
    if isinstance(value, list | tuple) or hasattr(value, "__len__") and not isinstance(value, str):
        return False
    try:
        return value is None or bool(value != value)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def _reason_lines(row) -> tuple[list[str], list[str]]:
    reasons = row["reasons"]
    reasons = [] if _missing(reasons) else list(reasons)
    note = row.get("status_note")
    return [str(reason) for reason in reasons], [note] if isinstance(note, str) and note else []


def verdict(row) -> str:
    """A roster row in one line: the reason that decided, then where the status comes
    from when that is not today's data ('From the check-in on Sat 28 Nov, 3 days ago')."""
    reasons, note = _reason_lines(row)
    last, age = row.get("last_checkin"), row.get("days_since_checkin")
    named = not _missing(last) and ("yesterday" if age == 1 else f"{last:%a} {last.day} ")
    if row.get("status_source") == "last check-in" and reasons and named and named in reasons[0]:
        note = []  # the reason already names the check-in's day
    return " · ".join([*reasons[:1], *note])


def all_reasons(row) -> str:
    """Every reason of a roster row, the deciding one first, then the status note."""
    reasons, note = _reason_lines(row)
    return " · ".join([*reasons, *note])


CLIENT_DAYS_QUERY = """
select
    client_id, day, load, acute_load, chronic_load, acwr, ewma_acute, ewma_chronic,
    acwr_ewma, weekly_load, monotony, strain,
    soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves, max_soreness,
    days_since_legs, doms_phase, wellness, wellness_z, baseline_mean, baseline_sd,
    sleep_hours, water_liters, session_type, session_minutes, session_rpe, pain,
    has_checkin, status, rule, readiness, reasons
from recovery_status_rows(false)
where list_contains($client_ids, client_id)
    and ($start is null or day >= $start)
    and ($end is null or day <= $end)
order by client_id, day
"""


class ThresholdError(LegdayError, ValueError):
    """A threshold value refused: an unknown name, not a finite number, out of its range,
    or out of order with its paired threshold (check_threshold names the rule)."""


def _roster_result(con: duckdb.DuckDBPyConnection, trainer_id: str | None) -> duckdb.DuckDBPyConnection:
    return _roster_on(db.cursor(con), trainer_id)


def _roster_on(cursor: duckdb.DuckDBPyConnection, trainer_id: str | None) -> duckdb.DuckDBPyConnection:
    """The roster query run on this very cursor (inside its open transaction, if any)."""
    return cursor.execute(
        "select * from roster where $trainer_id is null or trainer_id = $trainer_id",
        {"trainer_id": trainer_id},
    )


def roster(con: duckdb.DuckDBPyConnection, viewer: Viewer, trainer_id: str | None = None) -> pd.DataFrame:
    """The roster view of the viewer's clients, or of one trainer's (access.trainer_filter)."""
    return _roster_result(con, access.trainer_filter(viewer, trainer_id)).df()


def roster_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, trainer_id: str | None = None) -> list[dict]:
    """`roster` as plain rows: the CLI prints them without loading pandas."""
    result = _roster_result(con, access.trainer_filter(viewer, trainer_id))
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def client_days(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """One row per calendar day of a client with every metric, its status and reasons."""
    return clients_days(con, viewer, [client_id], start, end)


def clients_days(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_ids: list[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """client_days for several clients, ordered by client and day."""
    access.require_clients(con, viewer, client_ids)
    return db.cursor(con).execute(
        CLIENT_DAYS_QUERY, {"client_ids": list(client_ids), "start": start, "end": end}
    ).df()


def client_flags(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, day: dt.date) -> pd.DataFrame:
    """The flags raised for a client on a day, most severe first."""
    access.require_client(con, viewer, client_id)
    return db.cursor(con).execute(
        "select code, severity, reason from risk_flags where client_id = $client_id and day = $day",
        {"client_id": client_id, "day": day},
    ).df()


def client_status(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> dict | None:
    """The client's roster row (None for an inactive client, and for an unknown one asked
    by an owner; anyone else gets access.AccessDenied for it)."""
    try:
        access.require_client(con, viewer, client_id, LookupError)
    except LookupError:
        return None
    rows = db.cursor(con).execute(
        "select * from roster where client_id = $client_id", {"client_id": client_id}
    ).df()
    return None if rows.empty else rows.iloc[0].to_dict()


def checkins(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_ids: list[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """The stored check-ins (canonical fields) of the clients (None = every client the
    viewer sees), oldest first."""
    if client_ids is None and not viewer.is_owner:
        client_ids = sorted(access.visible_client_ids(con, viewer))
    elif client_ids is not None:
        access.require_clients(con, viewer, client_ids)
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


# What each threshold may hold: (lowest, highest, whole numbers only).
THRESHOLD_RANGES = {
    "acwr_spike": (0, 10, False),
    "acwr_rising": (0, 10, False),
    "monotony_high": (0, 100, False),
    "wellness_z_warn": (-100, 0, False),
    "wellness_z_high": (-100, 0, False),
    "persistent_soreness": (1, 10, True),
    "persistent_days_after_legs": (0, 28, True),
    "legs_too_soon_days": (0, 14, True),
    "short_sleep_hours": (0, 24, False),
    "min_water_liters": (0, 15, False),
    "missed_checkin_days": (1, 365, True),
    "stale_checkin_days": (1, 365, True),
    "rest_soreness": (1, 10, True),
    "caution_soreness": (1, 10, True),
    "caution_days_since_legs": (0, 14, True),
    "doms_window_days": (0, 14, True),
}

# Pairs that must stay in order, (higher, lower, why): the flag of the first is the stronger one.
THRESHOLD_ORDER = [
    ("acwr_spike", "acwr_rising", "LOAD_SPIKE must start above where LOAD_RISING starts"),
    ("wellness_z_warn", "wellness_z_high", "the high WELLNESS_DROP needs a deeper drop than the warn"),
    ("rest_soreness", "caution_soreness", "rest needs more soreness than caution"),
    ("stale_checkin_days", "missed_checkin_days", "a client is marked as missing check-ins before going stale"),
]


def _threshold_value(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ThresholdError(f"threshold {name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ThresholdError(f"threshold {name}: {value} is not a finite number")
    return number


def check_threshold(values: dict[str, float], name: str, value) -> float:
    """The value as a number when `name` may take it given the other current `values`;
    ThresholdError naming the broken rule otherwise (range, whole days, the order of
    paired thresholds such as acwr_spike above acwr_rising)."""
    if name not in values:
        raise ThresholdError(f"unknown threshold {name!r}; `legday thresholds list` shows the names")
    number = _threshold_value(name, value)
    low, high, whole = THRESHOLD_RANGES.get(name, (-math.inf, math.inf, False))
    if whole and number != int(number):
        raise ThresholdError(f"threshold {name} must be a whole number (got {number:g})")
    if not low <= number <= high:
        raise ThresholdError(f"threshold {name} must be between {low:g} and {high:g} (got {number:g})")
    candidate = {**values, name: number}
    for higher, lower, why in THRESHOLD_ORDER:
        if name in (higher, lower) and not candidate[higher] > candidate[lower]:
            other = lower if name == higher else higher
            relation = "above" if name == higher else "below"
            raise ThresholdError(
                f"threshold {name} must be {relation} {other} ({candidate[other]:g}): {why} (got {number:g})"
            )
    return number


def set_threshold(con: duckdb.DuckDBPyConnection, viewer: Viewer, name: str, value: float) -> None:
    """Change one threshold after check_threshold (owners only); a refused value changes nothing."""
    access.require_owner(viewer)
    with db.transaction(con):
        values = threshold_values(con)
        number = check_threshold(values, name, value)
        con.execute("update thresholds set value = ? where name = ?", [number, name])
        audit.record(con, viewer.trainer_id, "threshold.set", f"{name} {values[name]:g} -> {number:g}")


def threshold_preview(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, name: str, value, trainer_id: str | None = None
) -> pd.DataFrame:
    """For an owner: the clients (of `trainer_id`, None = all) whose roster status would change today
    with `name` = `value`: client_id, name, status (now) and status_then. The roster is
    read with the value written inside a transaction that is always rolled back, so the
    answer comes from the views themselves and nothing is stored."""
    access.require_owner(viewer)
    cursor = db.cursor(con)
    try:
        now = _roster_on(cursor, trainer_id).df()[["client_id", "name", "status"]]
        cursor.execute("begin transaction")
        try:
            number = check_threshold(threshold_values(cursor), name, value)
            cursor.execute("update thresholds set value = ? where name = ?", [number, name])
            then = _roster_on(cursor, trainer_id).df()[["client_id", "status"]]
        finally:
            cursor.execute("rollback")
    finally:
        cursor.close()
    both = now.merge(then, on="client_id", suffixes=("", "_then"))
    return both[both["status"] != both["status_then"]].reset_index(drop=True)


def change_summary(changes: pd.DataFrame) -> str:
    """'3 clients would change status today' (or 'no client would ...') for a preview."""
    count = len(changes)
    if count == 0:
        return "no client would change status today"
    return f"{count} client{'s' if count != 1 else ''} would change status today"

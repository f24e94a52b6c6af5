"""CSV exports shared by `legday export` and the dashboard's download buttons.

CSV: a header, ISO dates, dot decimals, UTF-8, lists joined with "; ". An empty value
is an empty cell (never `<NA>`, `None` or `nan`); floats are rounded to what they mean
(`decimals`: loads whole, ratios and the rest two decimals, a whole value without ".0"). A text cell a
spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
single quote; numeric columns are written as numbers, negative ones included.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines import access, db, metrics
from pipelines.access import Viewer
from pipelines.errors import LegdayError
from pipelines.files import write_atomic

EXPORTS = ("roster", "checkins", "metrics", "plans", "sessions")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CURRENT_PLANS_QUERY = """
select
    current_plans.client_id,
    current_plans.revision,
    current_plans.status_at_save,
    current_plans.next_intensity,
    current_plans.next_focus,
    current_plans.notes,
    current_plans.created_by,
    current_plans.created_at,
    plan_items.position,
    plan_items.action_id,
    plan_items.title,
    plan_items.timing,
    plan_items.done
from current_plans
left join plan_items on plan_items.plan_id = current_plans.plan_id
where list_contains($client_ids, current_plans.client_id)
order by current_plans.client_id, plan_items.position
"""


# Done sessions not removed, in the columns of the canonical sessions file (so the export
# imports again with --mapping sessions) and then what legday knows about each one.
SESSIONS_QUERY = """
select
    client_id,
    session_date as date,
    start_time as time,
    session_type as type,
    minutes,
    rpe,
    load,
    external_id,
    notes,
    rpe_estimated,
    original_type,
    source,
    counted,
    matched_by
from counted_sessions
where list_contains($client_ids, client_id)
order by client_id, session_date, start_time nulls last, done_session_id
"""


class ExportError(LegdayError, ValueError):
    """An export legday does not know."""


def decimals(column: str) -> int:
    """How many decimals a float column means: loads (and strain, a load) are whole numbers;
    ratios, z-scores, hours and litres have two."""
    name = column.lower()
    return 0 if "load" in name or name in ("strain", "ewma_acute", "ewma_chronic") else 2


def _cell(value, places: int = 2) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, np.ndarray | list | tuple):
        return "; ".join(_cell(item, places) for item in value)
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        rounded = round(float(value), places)
        return str(int(rounded)) if places == 0 or rounded.is_integer() else repr(rounded)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, pd.Timestamp | dt.datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; also quotes a lone CR
    writer.writerow([_cell(str(column)) for column in df.columns])
    places = [decimals(str(column)) for column in df.columns]
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_cell(value, digits) for value, digits in zip(row, places, strict=True)])
    return buffer.getvalue().encode("utf-8")


def write_csv_atomic(df: pd.DataFrame, out: Path) -> None:
    """Write to a temporary file next to `out`, then rename: a failure leaves nothing."""
    write_atomic(Path(out), to_csv_bytes(df))


def _client_ids(con: duckdb.DuckDBPyConnection, trainer_id: str | None, client_id: str | None) -> list[str]:
    return [
        row[0]
        for row in db.cursor(con).execute(
            """
            select client_id from clients
            where ($trainer_id is null or trainer_id = $trainer_id)
                and ($client_id is null or client_id = $client_id)
            order by client_id
            """,
            {"trainer_id": trainer_id, "client_id": client_id},
        ).fetchall()
    ]


def _with_as_of(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    """The as-of date as the first column: the reasons' "today" and "3 days ago" count
    from it, so the file stays true when it is read later."""
    return frame.assign(as_of=db.as_of(con))[["as_of", *frame.columns]]


def export_frame(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    what: str,
    trainer_id: str | None = None,
    client_id: str | None = None,
) -> pd.DataFrame:
    """The rows of one export of the viewer's clients, limited to a trainer's clients
    and/or one client."""
    if client_id is not None:
        access.require_client(con, viewer, client_id)
    trainer_id = access.trainer_filter(viewer, trainer_id)
    if what not in EXPORTS:
        raise ExportError(f"unknown export {what!r}; choose one of {', '.join(EXPORTS)}")
    if what == "roster":
        frame = metrics.roster(con, viewer, trainer_id)
        frame = frame if client_id is None else frame[frame["client_id"] == client_id].reset_index(drop=True)
        return _with_as_of(con, frame)
    client_ids = _client_ids(con, trainer_id, client_id)
    if what == "checkins":
        return metrics.checkins(con, viewer, client_ids)
    if what == "metrics":
        return _with_as_of(con, metrics.clients_days(con, viewer, client_ids))
    if what == "sessions":
        return db.cursor(con).execute(SESSIONS_QUERY, {"client_ids": client_ids}).df()
    return db.cursor(con).execute(CURRENT_PLANS_QUERY, {"client_ids": client_ids}).df()

"""Planned training sessions: the write paths, the schedule, and the load projection.

A session counts as load only once it is done: marking it done writes its done_sessions
row (source 'planned'), and the counted_sessions view decides whether it counts (the rule
that keeps a session from being counted twice, docs/done-sessions.md); every write that
can change what counts refreshes the client's load state in the same transaction.
`project_session` answers "what would this session do to the load?" with the views
themselves: it writes the session as done inside a transaction that is always rolled
back, so there is one definition of every number and the database is left unchanged.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

import duckdb

from pipelines import access, audit, db, load_state
from pipelines.access import Viewer
from pipelines.errors import LegdayError
from pipelines.vocabulary import LEG_SESSION_TYPES, SESSION_TYPES

if TYPE_CHECKING:
    import pandas as pd

LIGHT_TYPE = "mobility"
LIGHT_MAX_RPE = 3
MAX_MINUTES = 600
MAX_NOTES = 2000
PROJECTED_FLAGS = ("LOAD_SPIKE", "LOAD_RISING", "HIGH_MONOTONY", "LEGS_TOO_SOON")
METRICS = ("load", "acute_load", "chronic_load", "acwr", "ewma_acute", "ewma_chronic", "acwr_ewma", "monotony")
PROBE_ID = -1  # the hypothetical session's id; the sequence starts at 1

_KEEP = object()

# The schedule's days (and trainer) from the session_schedule view (sql/staging/);
# ORDER is the time order every caller shows.
SESSIONS_PLANNED_QUERY = """
select *
from session_schedule
where session_date between $start and $end
    and ($trainer_id is null or trainer_id = $trainer_id)
"""
ORDER = "order by session_date, start_time nulls last, name, session_id"

# The same with each client's roster status, reasons (with what metrics.verdict needs:
# status_note, last_checkin, status_source) and days since leg day.
SESSIONS_BETWEEN_QUERY = f"""
select
    planned.*, roster.status, roster.reasons, roster.status_note, roster.last_checkin, roster.status_source,
    roster.days_since_legs
from ({SESSIONS_PLANNED_QUERY}) as planned
left join roster on roster.client_id = planned.client_id
{ORDER}
"""  # noqa: S608 - built from constants

PROJECTED_DAY_QUERY = f"""
select
    {", ".join(METRICS)},
    load_estimated,
    list_filter(flags, lambda flag: list_contains($codes, flag.code)) as flags
from risk_flags_rows(true)
where client_id = $client_id and day = $day
"""  # noqa: S608 - column names are constants


class SessionError(LegdayError, ValueError):
    """A session that cannot be written or projected, with a message naming the problem."""


def _date(value: dt.date | str, field: str = "date") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SessionError(f"{field} {value!r} is not a date (YYYY-MM-DD)") from None


def _time(value: dt.time | str | None) -> dt.time | None:
    if value is None or isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise SessionError(f"time {value!r} is not a time of day (HH:MM)") from None


def _whole(value, field: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise SessionError(f"{field} must be a whole number (got {value!r})")
    if not 0 <= value <= high:
        raise SessionError(f"{field} must be between 0 and {high} (got {int(value)})")
    return int(value)


def _session_type(value: str) -> str:
    kind = str(value or "").strip().lower()
    if kind not in SESSION_TYPES:
        raise SessionError(f"session type must be one of {', '.join(SESSION_TYPES)} (got {value!r})")
    return kind


def _notes(value: str | None) -> str | None:
    text = unicodedata.normalize("NFC", value or "").strip()
    if len(text) > MAX_NOTES:
        raise SessionError(f"notes are longer than {MAX_NOTES} characters")
    return text or None


def _session(con: duckdb.DuckDBPyConnection, session_id: int) -> dict:
    cursor = con.execute("select * from sessions where session_id = ?", [session_id])
    row = cursor.fetchone()
    if row is None:
        raise SessionError(f"unknown session {session_id}")
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def _audit(con: duckdb.DuckDBPyConnection, viewer: Viewer, action: str, session: dict) -> None:
    audit.record(con, viewer.trainer_id, action, f"session {session['session_id']} of {session['client_id']}")


def _record_done(con: duckdb.DuckDBPyConnection, session_id: int, by: str) -> None:
    """Replace the planned session's done_sessions row by what it holds now (none when not done).
    A row a trainer corrected or removed on the client page stays as they left it (its
    earlier versions and the reason are in done_session_history): marking the plan done
    again or editing it does not undo the correction."""
    kept = con.execute(
        "select count(*) from done_sessions where source = 'planned' and planned_session_id = ? "
        "and (corrected_at is not null or removed_at is not null)",
        [session_id],
    ).fetchone()[0]
    if kept:
        return
    con.execute("delete from done_sessions where source = 'planned' and planned_session_id = ?", [session_id])
    con.execute(
        "insert into done_sessions (client_id, session_date, start_time, session_type, minutes, rpe, load, "
        "source, planned_session_id, notes, created_by, created_at) "
        "select client_id, session_date, start_time, session_type, actual_minutes, actual_rpe, "
        "actual_rpe * actual_minutes, 'planned', session_id, notes, ?, done_at "
        "from sessions where session_id = ? and done",
        [by, session_id],
    )


def add_session(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    *,
    day: dt.date | str,
    session_type: str,
    minutes: int,
    rpe: int,
    start_time: dt.time | str | None = None,
    notes: str | None = None,
) -> int:
    """Plan a session; returns its id. A planned session adds no load until it is done.
    One transaction, or part of the caller's (the demo's planned sessions)."""
    access.require_client(con, viewer, client_id, SessionError)
    access.require_trainer(viewer)
    values = [
        _date(day), _time(start_time), _session_type(session_type),
        _whole(minutes, "minutes", MAX_MINUTES), _whole(rpe, "RPE", 10), _notes(notes),
    ]
    with db.transaction(con):
        session_id = con.execute(
            "insert into sessions (client_id, session_date, start_time, session_type, planned_minutes, "
            "planned_rpe, notes, created_by) values (?, ?, ?, ?, ?, ?, ?, ?) returning session_id",
            [client_id, *values, viewer.trainer_id],
        ).fetchone()[0]
        _audit(con, viewer, "session.add", {"session_id": session_id, "client_id": client_id})
    return session_id


def update_session(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    session_id: int,
    *,
    day=_KEEP,
    session_type=_KEEP,
    minutes=_KEEP,
    rpe=_KEEP,
    start_time=_KEEP,
    notes=_KEEP,
) -> None:
    """Change a session's plan (only the fields given); a done session's load follows at once."""
    access.require_session(con, viewer, session_id, SessionError)
    access.require_trainer(viewer)
    with db.transaction(con):
        session = _session(con, session_id)
        changed = {
            "session_date": session["session_date"] if day is _KEEP else _date(day),
            "session_type": session["session_type"] if session_type is _KEEP else _session_type(session_type),
            "planned_minutes": session["planned_minutes"] if minutes is _KEEP else _whole(minutes, "minutes", MAX_MINUTES),
            "planned_rpe": session["planned_rpe"] if rpe is _KEEP else _whole(rpe, "RPE", 10),
            "start_time": session["start_time"] if start_time is _KEEP else _time(start_time),
            "notes": session["notes"] if notes is _KEEP else _notes(notes),
        }
        if session["done"] and changed["session_date"] > db.as_of(con):
            raise SessionError("a done session cannot move to a day that has not come yet")
        con.execute(
            "update sessions set session_date = $session_date, session_type = $session_type, "
            "planned_minutes = $planned_minutes, planned_rpe = $planned_rpe, start_time = $start_time, "
            "notes = $notes where session_id = $session_id",
            {**changed, "session_id": session_id},
        )
        if session["done"]:
            _record_done(con, session_id, viewer.trainer_id)
            load_state.refresh(con, [session["client_id"]])
        _audit(con, viewer, "session.update", session)


def mark_done(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, session_id: int, *, actual_minutes: int, actual_rpe: int
) -> None:
    """Record what was actually done; from now on the session counts as that day's load
    unless the client's check-in of the day reports a session (docs/sessions.md)."""
    access.require_session(con, viewer, session_id, SessionError)
    access.require_trainer(viewer)
    minutes = _whole(actual_minutes, "minutes", MAX_MINUTES)
    rpe = _whole(actual_rpe, "RPE", 10)
    with db.transaction(con):
        session = _session(con, session_id)
        if session["session_date"] > db.as_of(con):
            raise SessionError(f"session {session_id} is on {session['session_date']}, which has not come yet")
        con.execute(
            "update sessions set done = true, actual_minutes = ?, actual_rpe = ?, done_at = current_timestamp "
            "where session_id = ?",
            [minutes, rpe, session_id],
        )
        _record_done(con, session_id, viewer.trainer_id)
        load_state.refresh(con, [session["client_id"]])
        _audit(con, viewer, "session.done", session)


def delete_session(con: duckdb.DuckDBPyConnection, viewer: Viewer, session_id: int) -> None:
    """Remove a session (and its load, when it was done)."""
    access.require_session(con, viewer, session_id, SessionError)
    access.require_trainer(viewer)
    with db.transaction(con):
        session = _session(con, session_id)
        _remove(con, session_id, session["client_id"], done=session["done"])
        _audit(con, viewer, "session.delete", session)


def _remove(con: duckdb.DuckDBPyConnection, session_id: int, client_id: str, *, done: bool) -> None:
    """Delete a planned session and the done session it wrote; a done one's load goes too."""
    con.execute("delete from sessions where session_id = ?", [session_id])
    con.execute("delete from done_sessions where source = 'planned' and planned_session_id = ?", [session_id])
    if done:
        load_state.refresh(con, [client_id])


def sessions_between(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, start: dt.date, end: dt.date, trainer_id: str | None = None
) -> pd.DataFrame:
    """Sessions from start to end in time order, each with the client's name, roster
    status, reasons, status note (with last_checkin and status_source: metrics.verdict)
    and days since leg day, and the current plan's next_intensity."""
    return db.cursor(con).execute(
        SESSIONS_BETWEEN_QUERY,
        {"start": _date(start), "end": _date(end), "trainer_id": access.trainer_filter(viewer, trainer_id)},
    ).df()


def sessions_planned(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, start: dt.date, end: dt.date, trainer_id: str | None = None
) -> pd.DataFrame:
    """sessions_between without the roster columns, for a page that has the roster already
    (computing the roster view again costs as much as the roster itself)."""
    return db.cursor(con).execute(
        SESSIONS_PLANNED_QUERY + ORDER,
        {"start": _date(start), "end": _date(end), "trainer_id": access.trainer_filter(viewer, trainer_id)},
    ).df()


STATE_VERSION_QUERY = """
select
    (select count(*) || '/' || coalesce(max(recorded_at)::text, '') from check_ins where client_id = $client_id),
    (select coalesce(sum(hash(done_session_id, session_date, session_type, minutes, rpe, load, removed_at)), 0)
     from done_sessions where client_id = $client_id),
    (select sum(hash(name, value)) from thresholds)
"""


def state_version(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> tuple:
    """A cheap fingerprint of everything a projection for the client reads (their
    check-ins, their done sessions of every source, the thresholds): equal fingerprints, equal projections
    for the same as-of date, so a page may reuse one."""
    access.require_client(con, viewer, client_id, SessionError)
    return tuple(db.cursor(con).execute(STATE_VERSION_QUERY, {"client_id": client_id}).fetchone())


def projected_day(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, day: dt.date, session: tuple[str, int, int] | None
) -> dict:
    """One probe of the projection: the client's load metrics (METRICS), whether a default
    RPE went into the day's load (load_estimated), and flags among PROJECTED_FLAGS on `day`,
    with `session` = (type, minutes, RPE) written as done when given, and `session_counts`
    (False when the day's check-in reports a session, which counts instead:
    counted_sessions). The flags' reasons name days relative to the real as-of date
    ("tomorrow"). The database is left as it was: outside a transaction the probe runs on
    its own cursor (committed data only) and is rolled back; inside the caller's (the
    demo's) it runs there and is deleted again, the client's load state refreshed back,
    since DuckDB has no savepoint to roll back to."""
    access.require_client(con, viewer, client_id, SessionError)
    today = db.as_of(con)
    if db.in_transaction(con):
        words_day = con.execute("select getvariable('legday_words_day')").fetchone()[0]
        try:
            row, counts = _probe(con, client_id, day, today, session)
        finally:
            if session is not None:
                _remove(con, PROBE_ID, client_id, done=True)
            db.set_as_of(con, today)
            db.set_words_day(con, words_day)
    else:
        cursor = con.cursor()
        try:
            cursor.execute("begin transaction")
            try:
                row, counts = _probe(cursor, client_id, day, today, session)
            finally:
                cursor.execute("rollback")
        finally:
            cursor.close()
    if row is None:
        raise SessionError(f"client {client_id!r} has no check-ins yet; the load metrics start at the first one")
    return {
        **dict(zip(METRICS, row[:-2], strict=True)),
        "load_estimated": bool(row[-2]),
        "flags": list(row[-1]),
        "session_counts": bool(counts and counts[0]),
    }


def _probe(
    con: duckdb.DuckDBPyConnection, client_id: str, day: dt.date, today: dt.date, session: tuple[str, int, int] | None
) -> tuple[tuple | None, tuple | None]:
    """Write `session` as done on `day` (when given), refresh the client, read the day."""
    if session is not None:
        kind, minutes, rpe = session
        con.execute(
            "insert into sessions (session_id, client_id, session_date, session_type, planned_minutes, "
            "planned_rpe, created_by, done, actual_minutes, actual_rpe, done_at) "
            "values (?, ?, ?, ?, ?, ?, 'projection', true, ?, ?, current_timestamp)",
            [PROBE_ID, client_id, day, kind, minutes, rpe, minutes, rpe],
        )
        _record_done(con, PROBE_ID, "projection")
        load_state.refresh(con, [client_id])
    db.set_as_of(con, day)
    db.set_words_day(con, today)
    row = con.execute(
        PROJECTED_DAY_QUERY, {"client_id": client_id, "day": day, "codes": list(PROJECTED_FLAGS)}
    ).fetchone()
    counts = con.execute(
        "select counted from counted_sessions where source = 'planned' and planned_session_id = ?", [PROBE_ID]
    ).fetchone()
    return row, counts


def _new_flags(projected: dict, baseline: dict) -> list[dict]:
    before = {flag["code"] for flag in baseline["flags"]}
    return [flag for flag in projected["flags"] if flag["code"] not in before]


def _candidates(session_type: str, minutes: int, rpe: int, legs_too_soon: bool) -> list[tuple[str, int, int]]:
    """Lighter versions of the plan, heaviest load first (a light type when legs are too soon)."""
    kind = LIGHT_TYPE if legs_too_soon and session_type in LEG_SESSION_TYPES else session_type
    top_rpe = min(rpe, LIGHT_MAX_RPE) if kind == LIGHT_TYPE and kind != session_type else rpe
    lengths = sorted({length for length in (minutes, 60, 45, 30, 20) if 0 < length <= minutes}, reverse=True)
    options = {
        (kind, length, effort)
        for length in lengths
        for effort in range(top_rpe, 0, -1)
        if (kind, length, effort) != (session_type, minutes, rpe)
    }
    return sorted(options, key=lambda option: (-option[1] * option[2], -option[2]))


def _suggestion(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, day: dt.date, plan: tuple[str, int, int], new_codes: set[str],
    baseline: dict,
) -> dict:
    """The heaviest lighter session that raises none of the new flags (a binary search over
    the candidates by load, each probe the same projection); skipping it when none does."""
    options = _candidates(*plan, legs_too_soon="LEGS_TOO_SOON" in new_codes)
    low, high, found = 0, len(options) - 1, None
    while low <= high:
        middle = (low + high) // 2
        projected = projected_day(con, viewer, client_id, day, options[middle])
        if _new_flags(projected, baseline):
            low = middle + 1
        else:
            found, high = (options[middle], projected), middle - 1
    if found is None:
        return {
            "session_type": None, "minutes": 0, "rpe": 0, "acwr_ewma": baseline["acwr_ewma"],
            "text": f"Skip it: without the session ACWR is {_ratio(baseline['acwr_ewma'])}",
        }
    (kind, minutes, rpe), projected = found
    text = f"at RPE {rpe} for {minutes} min ACWR stays at {_ratio(projected['acwr_ewma'])}"
    if kind != plan[0]:
        text = f"{kind.replace('_', ' ').capitalize()} instead: {text}"
    return {
        "session_type": kind, "minutes": minutes, "rpe": rpe, "acwr_ewma": projected["acwr_ewma"],
        "text": text[0].upper() + text[1:],
    }


def _ratio(value: float | None) -> str:
    return "n/a (under 28 days of data)" if value is None else f"{value:.2f}"


def project_session(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    *,
    day: dt.date | str,
    session_type: str,
    minutes: int,
    rpe: int,
) -> dict:
    """What the session would do to the client's load on its day, next to the values
    without it: `with` and `without` hold load, acute/chronic loads, acwr, the EWMAs,
    acwr_ewma, monotony and the raised flags among PROJECTED_FLAGS; `warnings` are the
    flags only the session raises; `suggestion` (None when there are no warnings) is
    the heaviest lighter session that raises none of them; `note` says when the session
    would not count (the day's check-in reports one) and is None otherwise. Sessions planned between
    today and that day count only once done; the database is left unchanged."""
    access.require_client(con, viewer, client_id, SessionError)
    day = _date(day)
    plan = (_session_type(session_type), _whole(minutes, "minutes", MAX_MINUTES), _whole(rpe, "RPE", 10))
    if day < db.as_of(con):
        raise SessionError(f"{day} has passed; a projection looks at today or later")
    baseline = projected_day(con, viewer, client_id, day, None)
    projected = projected_day(con, viewer, client_id, day, plan)
    warnings = _new_flags(projected, baseline)
    if not projected["session_counts"]:
        note = "the day's check-in already reports a session, which counts instead (docs/sessions.md)"
    else:
        note = None
    suggestion = None
    if warnings:
        suggestion = _suggestion(con, viewer, client_id, day, plan, {flag["code"] for flag in warnings}, baseline)
    return {
        "client_id": client_id,
        "day": day,
        "session_type": plan[0],
        "minutes": plan[1],
        "rpe": plan[2],
        "with": projected,
        "without": baseline,
        "warnings": warnings,
        "suggestion": suggestion,
        "note": note,
    }

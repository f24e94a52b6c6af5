"""Done sessions on the dashboard: a client's sessions of some days, and a trainer adding,
correcting or removing one (docs/done-sessions.md). Every function takes the viewer and
checks the client is theirs; every write is one transaction with its audit row, keeps
the earlier version with the reason in done_session_history, and refreshes only that
client's load state.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import duckdb
import pandas as pd

from pipelines import audit, db, load_state
from pipelines.access import AccessDenied, Viewer, require_client, require_clients, require_session
from pipelines.errors import LegdayError
from pipelines.settings import get_settings
from pipelines.vocabulary import DONE_SESSION_LABELS, DONE_SESSION_TYPES

MAX_MINUTES = 1440
MAX_LOAD = 20000
MAX_NOTES = 2000
MAX_REASON = 500

# A client's sessions of some days, removed ones included (removed_at set), each with
# whether it counts towards the day's load and, when not, the source that counts instead.
SESSIONS_QUERY = """
select
    done_sessions.*,
    coalesce(counted_sessions.counted, false) as counted,
    counted_sessions.matched_by
from done_sessions
left join counted_sessions using (done_session_id)
where done_sessions.client_id = $client_id and done_sessions.session_date between $start and $end
order by done_sessions.session_date, done_sessions.start_time nulls last, done_sessions.done_session_id
"""

# Some clients' sessions of some days that are not removed, each with whether it counts
# (counted_sessions: the rule every load metric reads) and its day named from the as-of
# day ("yesterday", "on Sun 29 Nov, 2 days ago"), in time order.
DAYS_QUERY = """
select
    client_id, done_session_id, session_date, day_words(session_date, $today) as day_words, start_time,
    session_type, original_type, minutes, rpe, rpe_estimated, load, source, planned_session_id,
    corrected_at is not null as corrected, counted, matched_by
from counted_sessions
where list_contains($client_ids, client_id) and session_date between $start and $end
order by client_id, session_date, start_time nulls last, done_session_id
"""

_HISTORY = (
    "insert into done_session_history by name "
    "select * exclude (planned_session_id, checkin_recorded_at, run_id, line_number, created_by, created_at, "
    "corrected_at, removed_at), $change as change, $reason as reason, $by as changed_by "
    "from done_sessions where done_session_id = $id"
)


class DoneSessionError(LegdayError, ValueError):
    """A done session that cannot be written, with a message naming the problem."""


def _whole(value, field: str, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise DoneSessionError(f"{field} must be a whole number (got {value!r})")
    if not 0 <= value <= high:
        raise DoneSessionError(f"{field} must be between 0 and {high} (got {int(value)})")
    return int(value)


def _text(value: str | None, field: str, limit: int) -> str | None:
    text = unicodedata.normalize("NFC", value or "").strip()
    if len(text) > limit:
        raise DoneSessionError(f"{field} is longer than {limit} characters")
    return text or None


def _values(con, *, day, session_type, minutes, rpe, load, notes) -> dict:
    """The stored values of a session as given: load = RPE x minutes, or the load in AU;
    without an RPE, the type's default (LEGDAY_DEFAULT_RPE), flagged as estimated."""
    if not isinstance(day, dt.date):
        raise DoneSessionError(f"date {day!r} is not a date")
    if day > db.as_of(con):
        raise DoneSessionError(f"{day} has not come yet; a done session is on today or earlier")
    if session_type not in DONE_SESSION_TYPES:
        raise DoneSessionError(f"type must be one of {', '.join(DONE_SESSION_TYPES)} (got {session_type!r})")
    minutes, rpe = _whole(minutes, "minutes", MAX_MINUTES), _whole(rpe, "RPE", 10)
    if load is not None and (isinstance(load, bool) or not 0 <= float(load) <= MAX_LOAD):
        raise DoneSessionError(f"load must be between 0 and {MAX_LOAD} AU (got {load!r})")
    if minutes is None and load is None:
        raise DoneSessionError("give the minutes or the load")
    estimated = rpe is None and load is None
    if estimated:
        rpe = get_settings().session_rpe_defaults()[session_type]
    return {
        "session_date": day, "session_type": session_type, "minutes": minutes, "rpe": rpe,
        "rpe_estimated": estimated, "load": float(load) if load is not None else rpe * minutes if minutes is not None and rpe is not None else None,
        "notes": _text(notes, "notes", MAX_NOTES),
    }


def _reason(reason: str) -> str:
    text = _text(reason, "the reason", MAX_REASON)
    if not text:
        raise DoneSessionError("say why (the reason is kept with the session's history)")
    return text


def _session_client(con: duckdb.DuckDBPyConnection, viewer: Viewer, done_session_id: int) -> str:
    row = con.execute(
        "select client_id from done_sessions where done_session_id = ? and removed_at is null", [done_session_id]
    ).fetchone()
    if row is None:
        raise AccessDenied("No such session in your list.")
    return require_client(con, viewer, row[0])


def client_sessions(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, start: dt.date, end: dt.date
) -> list[dict]:
    """The client's done sessions from start to end, removed ones too, in time order."""
    require_client(con, viewer, client_id)
    cursor = db.cursor(con).execute(SESSIONS_QUERY, {"client_id": client_id, "start": start, "end": end})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def sessions_of_days(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_ids: list[str], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The clients' sessions from start to end that are not removed (DAYS_QUERY): `counted`
    says which make the day's load, the same rows every metric sums."""
    require_clients(con, viewer, client_ids)
    return db.cursor(con).execute(
        DAYS_QUERY, {"client_ids": list(client_ids), "start": start, "end": end, "today": db.as_of(con)}
    ).df()


def planned_row(con: duckdb.DuckDBPyConnection, viewer: Viewer, session_id: int) -> dict | None:
    """The done session a planned session wrote when marked done, as it stands now (a
    trainer may have corrected or removed it since); None when it has none."""
    require_session(con, viewer, session_id)
    cursor = db.cursor(con).execute(
        "select * from done_sessions where source = 'planned' and planned_session_id = ?", [session_id]
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip([column[0] for column in cursor.description], row, strict=True))


def kind_words(row) -> str:
    """'Legs', or 'Cardio (Run)' with the source's own words when they say more."""
    kind = DONE_SESSION_LABELS[row["session_type"]]
    original = row["original_type"]
    if isinstance(original, str) and original.strip().lower() != kind.lower():
        kind += f" ({original})"
    return kind


def session_words(row) -> str:
    """One session as a trainer reads it, plain words first: 'Legs 60 min at RPE 8, load
    480 AU'; without the client's RPE 'Cardio (Run) 30 min, no RPE given, load 150 AU
    estimated' (the type's default RPE, docs/done-sessions.md); a load-only record 'Other
    training (Rock Climbing), load 300 AU'."""
    words = kind_words(row)
    if not pd.isna(row["minutes"]):
        words += f" {int(row['minutes'])} min"
        if row["rpe_estimated"] or pd.isna(row["rpe"]):
            words += ", no RPE given"
        else:
            words += f" at RPE {int(row['rpe'])}"
    if pd.isna(row["load"]):
        return words + ", no load counted"
    return words + f", load {round(row['load'])} AU" + (" estimated" if row["rpe_estimated"] else "")


def day_words(sessions: pd.DataFrame) -> str:
    """A day's counted sessions in one line ('Legs 60 min at RPE 8, load 480 AU · Cardio (Run)
    …'), with the day's load when there are several ('estimated', or 'partly estimated',
    when a default RPE went into it)."""
    line = " · ".join(session_words(row) for _, row in sessions.iterrows())
    if len(sessions) > 1:
        line += f"; day's load {round(sessions['load'].fillna(0).sum())} AU"
        if sessions["rpe_estimated"].all():
            line += " estimated"
        elif sessions["rpe_estimated"].any():
            line += ", partly estimated"
    return line


def training_days(sessions: pd.DataFrame) -> list[dict]:
    """One client's counted sessions of a sessions_of_days frame, one entry a day, latest first:
    day, its words ("yesterday") and the day's line (day_words)."""
    counted = sessions[sessions["counted"]]
    return [
        {"day": day.date(), "when": group["day_words"].iloc[0], "line": day_words(group)}
        for day, group in sorted(counted.groupby("session_date"), key=lambda item: item[0], reverse=True)
    ]


def add_session(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    *,
    day: dt.date,
    session_type: str,
    minutes: int | None = None,
    rpe: int | None = None,
    load: float | None = None,
    start_time: dt.time | None = None,
    notes: str | None = None,
) -> int:
    """Record a session the client did (source manual); returns its id."""
    require_client(con, viewer, client_id)
    values = _values(con, day=day, session_type=session_type, minutes=minutes, rpe=rpe, load=load, notes=notes)
    with db.transaction(con):
        session_id = con.execute(
            "insert into done_sessions (client_id, start_time, source, created_by, session_date, session_type, "
            "minutes, rpe, rpe_estimated, load, notes) values ($client_id, $start_time, 'manual', $by, "
            "$session_date, $session_type, $minutes, $rpe, $rpe_estimated, $load, $notes) returning done_session_id",
            {"client_id": client_id, "start_time": start_time, "by": viewer.trainer_id, **values},
        ).fetchone()[0]
        audit.record(con, viewer.trainer_id, "done_session.add", f"done session {session_id} of {client_id}")
        load_state.refresh(con, [client_id])
    return session_id


def correct_session(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    done_session_id: int,
    *,
    reason: str,
    day: dt.date,
    session_type: str,
    minutes: int | None = None,
    rpe: int | None = None,
    load: float | None = None,
    notes: str | None = None,
) -> None:
    """Replace a session's values; the earlier version is kept with the reason. A check-in's
    session stays as corrected until the client stores that check-in again."""
    client_id = _session_client(con, viewer, done_session_id)
    reason = _reason(reason)
    values = _values(con, day=day, session_type=session_type, minutes=minutes, rpe=rpe, load=load, notes=notes)
    with db.transaction(con):
        con.execute(_HISTORY, {"id": done_session_id, "change": "corrected", "reason": reason, "by": viewer.trainer_id})
        con.execute(
            "update done_sessions set session_date = $session_date, session_type = $session_type, "
            "minutes = $minutes, rpe = $rpe, rpe_estimated = $rpe_estimated, load = $load, notes = $notes, "
            "corrected_at = current_timestamp where done_session_id = $id",
            {**values, "id": done_session_id},
        )
        audit.record(con, viewer.trainer_id, "done_session.correct", f"done session {done_session_id} of {client_id}")
        load_state.refresh(con, [client_id])


def remove_session(con: duckdb.DuckDBPyConnection, viewer: Viewer, done_session_id: int, *, reason: str) -> None:
    """Stop counting a session (it was not done, or was logged twice); the row and the
    reason stay in its history, and a check-in's session is not brought back."""
    client_id = _session_client(con, viewer, done_session_id)
    reason = _reason(reason)
    with db.transaction(con):
        con.execute(_HISTORY, {"id": done_session_id, "change": "removed", "reason": reason, "by": viewer.trainer_id})
        con.execute("update done_sessions set removed_at = current_timestamp where done_session_id = ?", [done_session_id])
        audit.record(con, viewer.trainer_id, "done_session.remove", f"done session {done_session_id} of {client_id}")
        load_state.refresh(con, [client_id])

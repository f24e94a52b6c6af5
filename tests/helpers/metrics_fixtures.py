"""Check-ins for the metric tests, written straight into check_ins (+ the load state)."""

from __future__ import annotations

import datetime as dt

import duckdb

from pipelines import db, load_state, people
from tests.helpers.viewers import OWNER

CHECKIN_DEFAULTS = {
    "soreness_quads": 0,
    "soreness_hamstrings": 0,
    "soreness_glutes": 0,
    "soreness_calves": 0,
    "sleep_hours": 8.0,
    "sleep_quality": 4,
    "energy": 4,
    "stress": 4,
    "mood": 4,
    "water_liters": 2.5,
    "ate_recovery_meal": True,
    "session_type": "none",
    "session_minutes": 0,
    "session_rpe": 0,
    "pain": False,
    "notes": None,
}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def session(kind: str, minutes: int, rpe: int) -> dict:
    return {"session_type": kind, "session_minutes": minutes, "session_rpe": rpe}


def add_client(con: duckdb.DuckDBPyConnection, client_id: str, trainer_id: str = "tina", name: str | None = None) -> None:
    if not con.execute("select count(*) from trainers where trainer_id = ?", [trainer_id]).fetchone()[0]:
        people.add_trainer(con, OWNER, trainer_id, trainer_id.title(), "trainer-pass-1")
    people.add_client(con, OWNER, client_id, name or client_id.upper(), trainer_id)


def add_checkins(con: duckdb.DuckDBPyConnection, client_id: str, rows: dict[dt.date | str, dict]) -> None:
    """rows: {day: fields that differ from CHECKIN_DEFAULTS}; refreshes the load state."""
    with db.transaction(con):
        for when, fields in rows.items():
            record = {**CHECKIN_DEFAULTS, **fields, "client_id": client_id, "checkin_date": when}
            columns = ", ".join(record)
            placeholders = ", ".join(f"${name}" for name in record)
            con.execute(
                f"insert or replace into check_ins ({columns}) values ({placeholders})",  # noqa: S608 - names are ours
                record,
            )
        load_state.refresh(con, [client_id])


def series(start: str, values: list, field_maker) -> dict:
    """{start + i: field_maker(value)} for consecutive days; None values are skipped (no check-in)."""
    first = day(start)
    return {
        first + dt.timedelta(days=offset): field_maker(value)
        for offset, value in enumerate(values)
        if value is not None
    }


def rows(con: duckdb.DuckDBPyConnection, query: str, params=None) -> list[dict]:
    cursor = db.cursor(con).execute(query, params or {})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

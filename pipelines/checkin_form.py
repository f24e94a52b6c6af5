"""Single check-in submissions (the client's check-in page): the pydantic model and its write.

`CheckInForm` applies the same rules as the file validation in sql/ingest/ (a test
feeds one table of cases through both). `submit_checkin` then stores the row through
the same SQL path as a file, recorded as an ingest run with source `web`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from typing import Any, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.ingest.mappings import canonical_mapping
from pipelines.ingest.staging import rows_stage
from pipelines.ingest.store import check_rows, close_run, drop_work_tables, open_run, upsert_valid
from pipelines.settings import get_settings
from pipelines.vocabulary import CHECKIN_SESSION_TYPES

_WS = "[ \t\r\n]*"
_WHITESPACE = " \t\r\n"
_WHOLE = re.compile(rf"{_WS}[+-]?[0-9]+([.,]0+)?{_WS}")
_NUMBER = re.compile(rf"{_WS}[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+){_WS}")
_TRUE = re.compile(rf"(?i){_WS}(true|yes|y|1){_WS}")
_FALSE = re.compile(rf"(?i){_WS}(false|no|n|0){_WS}")
_DAY = re.compile(
    rf"{_WS}[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
    rf"([T ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)?)?{_WS}"
)

# field: (kind, low, high, required) — the ranges of docs/design.md, as in checked_rows.sql.
RULES: dict[str, tuple[str, float, float, bool]] = {
    "soreness_quads": ("whole number", 0, 10, True),
    "soreness_hamstrings": ("whole number", 0, 10, True),
    "soreness_glutes": ("whole number", 0, 10, True),
    "soreness_calves": ("whole number", 0, 10, True),
    "sleep_hours": ("number", 0, 24, True),
    "sleep_quality": ("whole number", 1, 5, True),
    "energy": ("whole number", 1, 5, True),
    "stress": ("whole number", 1, 5, True),
    "mood": ("whole number", 1, 5, True),
    "water_liters": ("number", 0, 15, False),
    "session_minutes": ("whole number", 0, 600, False),
    "session_rpe": ("whole number", 0, 10, False),
}


class CheckInRejected(LegdayError, ValueError):
    """A submission that breaks a rule the form cannot see (client, start date)."""

    def __init__(self, field: str, rule: str, reason: str):
        super().__init__(reason)
        self.field, self.rule, self.reason = field, rule, reason


def _problem(rule: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(rule, message)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_WHITESPACE))


def _parse_number(name: str, value: Any) -> float | None:
    """The number in `value` (None when blank and optional), without the range check."""
    kind, _, _, required = RULES[name]
    if _blank(value):
        if required:
            raise _problem("required", f"{name} is empty")
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        parsed = float(value)
        valid = parsed == parsed and (kind == "number" or parsed.is_integer())
    else:
        pattern = _WHOLE if kind == "whole number" else _NUMBER
        valid = bool(pattern.fullmatch(str(value)))
        parsed = float(str(value).strip(_WHITESPACE).replace(",", ".")) if valid else 0.0
    if not valid:
        raise _problem("not_a_" + kind.replace(" ", "_"), f"{name} {value!r} is not a {kind}")
    return parsed


def _in_range(name: str, parsed: float | None, value: Any) -> float | None:
    kind, low, high, _ = RULES[name]
    if parsed is not None and not low <= parsed <= high:
        raise _problem("out_of_range", f"{name} must be between {low:g} and {high:g}, got {value}")
    if parsed is None or kind == "number":
        return parsed
    return int(parsed)


def _parse_boolean(name: str, value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value)
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if _blank(text):
        return None
    raise _problem("not_a_boolean", f"{name} {text!r} is not yes/no")


def _parse_day(value: Any, today: dt.date) -> dt.date:
    if _blank(value):
        raise _problem("required", "checkin_date is empty")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value)
        try:
            day = dt.date.fromisoformat(text.strip(_WHITESPACE)[:10]) if _DAY.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise _problem("invalid_date", f"checkin_date {text!r} is not a valid YYYY-MM-DD date")
    if day > today:
        raise _problem("future_date", f"checkin_date {day} is after today ({today})")
    return day


class CheckInForm(BaseModel):
    """One day's check-in as a client submits it (client_id comes from their link).

    Pass `context={"today": date}` to validate against another as-of date.
    """

    model_config = ConfigDict(validate_default=True, frozen=True)

    checkin_date: dt.date | None = None
    soreness_quads: int | None = None
    soreness_hamstrings: int | None = None
    soreness_glutes: int | None = None
    soreness_calves: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    energy: int | None = None
    stress: int | None = None
    mood: int | None = None
    water_liters: float | None = None
    ate_recovery_meal: bool | None = None
    session_type: str = "none"
    session_minutes: int | None = None
    session_rpe: int | None = None
    pain: bool | None = False
    notes: str | None = None

    @field_validator("checkin_date", mode="before")
    @classmethod
    def _day(cls, value: Any, info: ValidationInfo) -> dt.date:
        today = (info.context or {}).get("today") or get_settings().today()
        return _parse_day(value, today)

    @field_validator(*[name for name in RULES if name not in ("session_minutes", "session_rpe")], mode="before")
    @classmethod
    def _numbers(cls, value: Any, info: ValidationInfo) -> float | None:
        return _in_range(info.field_name, _parse_number(info.field_name, value), value)

    @field_validator("ate_recovery_meal", "pain", mode="before")
    @classmethod
    def _booleans(cls, value: Any, info: ValidationInfo) -> bool | None:
        return _parse_boolean(info.field_name, value)

    @field_validator("session_type", mode="before")
    @classmethod
    def _session_type(cls, value: Any) -> str:
        if _blank(value):
            return "none"
        choice = re.sub("[ -]+", "_", str(value).strip(_WHITESPACE).lower())
        if choice not in CHECKIN_SESSION_TYPES:
            raise _problem(
                "invalid_choice", f"session_type {value!r} is not one of {', '.join(CHECKIN_SESSION_TYPES)}"
            )
        return choice

    @field_validator("session_minutes", "session_rpe", mode="before")
    @classmethod
    def _session_load(cls, value: Any, info: ValidationInfo) -> int | None:
        parsed = _parse_number(info.field_name, value)
        if info.data.get("session_type") == "none" and parsed not in (None, 0):
            raise _problem(
                "not_zero_without_session",
                f"{info.field_name} must be 0 or empty when session_type is none, got {value}",
            )
        return _in_range(info.field_name, parsed, value)

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> str | None:
        if _blank(value):
            return None
        text = unicodedata.normalize("NFC", str(value).strip(_WHITESPACE))
        if len(text) > 2000:
            raise _problem("too_long", f"notes has {len(text)} characters; at most 2000")
        return text

    def canonical_row(self, client_id: str) -> dict[str, str | None]:
        """The submission as canonical text values, the form files have."""
        row: dict[str, str | None] = {"client_id": client_id}
        for name, value in self.model_dump().items():
            if value is None:
                row[name] = None
            elif isinstance(value, bool):
                row[name] = "true" if value else "false"
            else:
                row[name] = str(value)
        return row


def submit_checkin(
    con: duckdb.DuckDBPyConnection, client_id: str, form: CheckInForm, *, today: dt.date | None = None
) -> Literal["accepted", "updated", "unchanged"]:
    """Store one validated submission; one transaction, recorded as a `web` ingest run.

    Raises CheckInRejected when the client is unknown or inactive or the date is
    before the client's start date; nothing is written then.
    """
    row = form.canonical_row(client_id)
    payload = json.dumps(row, sort_keys=True)
    try:
        with transaction(con):
            stage = rows_stage(con, [payload])
            run_id = open_run(
                con,
                file_sha256=hashlib.sha256(payload.encode()).hexdigest(),
                file_name="check-in form",
                source="web",
                imported_by=f"client:{client_id}",
            )
            check_rows(con, stage, canonical_mapping(), "check-in form", today=today or get_settings().today())
            problem = con.execute("select problems[1] from checked_rows where len(problems) > 0").fetchone()
            if problem:
                found = problem[0]
                raise CheckInRejected(found["field"], found["rule"], found["reason"])
            counts = upsert_valid(con, run_id) | {"quarantined": 0}
            close_run(con, run_id, counts, [])
    finally:
        drop_work_tables(con)
    return next(name for name in ("accepted", "updated", "unchanged") if counts[name])

"""Single check-in submissions (the client's check-in page): the pydantic model and its write.

`CheckInForm` reads the answers with the interpreter every file goes through
(pipelines/ingest/answers.py runs sql/macros/answers.sql); a test feeds one table of
human answers through files of every format and this model. On the form, an answer
a file would store empty with a note is an error the client can fix at once.
`missing_answers` is what the phone form asks on top (docs/ingestion.md "The phone
form"): it sends nothing until the client has answered every question a file may leave
empty or read as "no". `stored_answers` is a stored day read back for the form, so a
client changing one answer starts from what is stored.
`submit_checkin` then stores the values as read, through the same upsert as a file's
rows, after the checks only the database can make (the client's and the date's, with
the macros a file's rows are checked with); it is recorded as an ingest run with source
`web`. The answers are not read a second time: that reading is most of a file row's
cost, and a phone check-in is the write a crowd makes at once (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any, Literal

import duckdb
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from pipelines import access
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.ingest.answers import read_answers
from pipelines.ingest.fields import RULES
from pipelines.ingest.store import (
    check_read_row,
    close_run,
    drop_work_tables,
    open_run,
    upsert_valid,
)
from pipelines.settings import get_settings
from pipelines.vocabulary import SORENESS_FIELDS

# The questions the phone form requires, in the form's order. Minutes and RPE are asked
# (and required above 0) only once a session other than "none" is chosen.
FORM_QUESTIONS = (
    *SORENESS_FIELDS, "sleep_hours", "sleep_quality", "energy", "stress", "mood",
    "session_type", "session_minutes", "session_rpe", "pain",
)
SESSION_QUESTIONS = ("session_minutes", "session_rpe")


class CheckInRejected(LegdayError, ValueError):
    """A submission that breaks a rule the form cannot see (client, start date)."""

    def __init__(self, field: str, rule: str, reason: str):
        super().__init__(reason)
        self.field, self.rule, self.reason = field, rule, reason


# The Python type of each kind of answer in checkin_rules() (sql/macros/checkin_rules.sql).
KIND_TYPES = {
    "text": str, "date": dt.date, "score": int, "hours": float, "litres": float, "yes_no": bool, "session": str,
    "minutes": int, "pain": bool,
}


class CheckInAnswers(BaseModel):
    """One day's check-in as a client submits it (client_id comes from their link); the
    fields and their types come from the rules table (`CheckInForm`).

    Pass `context={"today": date}` to validate against another as-of date.
    """

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        today = (info.context or {}).get("today") or get_settings().today()
        answers = {name: data.get(name) for name in cls.model_fields}
        reading = read_answers(answers, today)
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(found["rule"], found["reason"]),
                loc=(found["field"],),
                input=answers.get(found["field"]),
            )
            for found in reading.problems + reading.notes
        ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return {name: reading.values[name] for name in cls.model_fields}

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


# A required answer has no default; an optional one is None until read (the reading
# fills every field: an unanswered session is 'none', unanswered pain is no).
CheckInForm = create_model(
    "CheckInForm",
    __base__=CheckInAnswers,
    __module__=__name__,
    **{
        rule.field: (KIND_TYPES[rule.kind], ...) if rule.required else (KIND_TYPES[rule.kind] | None, None)
        for rule in RULES.values()
        if rule.field != "client_id"
    },
)


def missing_answers(answers: dict[str, Any]) -> dict[str, Literal["unanswered", "more_than_zero"]]:
    """What the client has not answered yet, field -> rule, in the form's order (empty:
    the form may be sent). An untouched question is None: the form never fills one in."""
    session = answers.get("session_type")
    asked = [name for name in FORM_QUESTIONS if name not in SESSION_QUESTIONS or session not in (None, "none")]
    missing: dict[str, Literal["unanswered", "more_than_zero"]] = {}
    for name in asked:
        value = answers.get(name)
        if value is None or value == "":
            missing[name] = "unanswered"
        elif name in SESSION_QUESTIONS and value <= 0:
            missing[name] = "more_than_zero"
    return missing


def stored_answers(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, day: dt.date
) -> dict[str, Any] | None:
    """The client's check-in of `day` as stored, answer field -> value (None where the
    column is empty), or None when that day has none. Raises AccessDenied first when the
    viewer may not see the client."""
    access.require_client(con, viewer, client_id)
    cursor = con.execute("select * from check_ins where client_id = ? and checkin_date = ?", [client_id, day])
    row = cursor.fetchone()
    if row is None:
        return None
    stored = dict(zip([column[0] for column in cursor.description], row, strict=True))
    return {name: stored[name] for name in CheckInForm.model_fields if name != "checkin_date"}


def submit_checkin(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, form: CheckInForm, *, today: dt.date | None = None
) -> Literal["accepted", "updated", "unchanged"]:
    """Store one validated submission; one transaction, recorded as a `web` ingest run.

    Raises AccessDenied when the viewer (the client's own link) may not see the client,
    CheckInRejected when the client is inactive or the date is before the client's
    start date; nothing is written then.
    """
    access.require_client(con, viewer, client_id, functools.partial(CheckInRejected, "client_id", "unknown_client"))
    row = form.canonical_row(client_id)
    payload = json.dumps(row, sort_keys=True)
    try:
        with transaction(con):
            run_id = open_run(
                con,
                file_sha256=hashlib.sha256(payload.encode()).hexdigest(),
                file_name="check-in form",
                source="web",
                imported_by=viewer.trainer_id,
            )
            check_read_row(con, form.model_dump() | {"client_id": client_id}, today=today or get_settings().today())
            problem = con.execute("select problems[1] from checked_rows where len(problems) > 0").fetchone()
            if problem:
                found = problem[0]
                raise CheckInRejected(found["field"], found["rule"], found["reason"])
            counts = upsert_valid(con, run_id) | {"quarantined": 0}
            close_run(con, run_id, counts, [])
    finally:
        drop_work_tables(con)
    return next(name for name in ("accepted", "updated", "unchanged") if counts[name])

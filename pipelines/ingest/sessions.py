"""Done-session files: the canonical sessions CSV/JSONL and the shipped activity-export
mappings (data/mappings/*.json with "record": "sessions"), through the same path as
check-ins: one transaction per file, runs keyed by file hash + mapping, quarantine with
line and reason, the human-answer interpreter for durations and RPE
(docs/done-sessions.md "Importing sessions").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from pipelines import load_state
from pipelines.db import transaction
from pipelines.ingest.fields import normalise_name
from pipelines.ingest.mappings import mapping_file
from pipelines.ingest.outcome import IngestRefused, IngestResult, UnknownMapping
from pipelines.ingest.reading import decode, read_limited
from pipelines.ingest.staging import Stage, staged_file
from pipelines.ingest.store import (
    bound,
    close_run,
    drop_work_tables,
    ingest_sql,
    load_interpreter,
    open_run,
    previous_run,
    quarantine_rows,
)
from pipelines.settings import get_settings
from pipelines.vocabulary import DONE_SESSION_TYPES

RECORD = "sessions"
CANONICAL = "sessions"  # the shipped mapping of the canonical columns
SESSION_FIELDS = (
    "client_id", "session_date", "start_time", "session_type", "minutes", "rpe", "load", "external_id", "notes",
)
REQUIRED = ("session_date", "session_type")
# ingest_runs.mapping of a sessions import starts with this
SESSIONS_RUN_PREFIX = "sessions:"


class SessionField(BaseModel):
    """Where a session field comes from: a column; for the date, the strptime formats of a
    timestamp and the zone it is written in; for minutes, the unit of a bare number."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    column: str
    formats: list[str] = []
    timezone: str | None = None
    unit: Literal["minutes", "seconds"] = "minutes"


class SessionMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    record: Literal["sessions"]
    description: str = ""
    fields: dict[str, SessionField]
    # the source's activity types (any letter case) -> legday's; others are read as a
    # legday type or its usual words (answer_session), and are `other` otherwise
    types: dict[str, str] = {}
    ignore: list[str] = []
    # an app export has dozens of columns legday does not read: no warning naming them
    ignore_other_columns: bool = False

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: dict[str, SessionField]) -> dict[str, SessionField]:
        unknown = [name for name in fields if name not in SESSION_FIELDS]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not a session field ({', '.join(SESSION_FIELDS)})")
        missing = [name for name in REQUIRED if name not in fields]
        if missing:
            raise ValueError(f"does not map required field(s): {', '.join(missing)}")
        return fields

    @field_validator("types")
    @classmethod
    def _known_types(cls, types: dict[str, str]) -> dict[str, str]:
        wrong = sorted({kind for kind in types.values() if kind not in DONE_SESSION_TYPES})
        if wrong:
            raise ValueError(f"type(s) {', '.join(wrong)} are not one of {', '.join(DONE_SESSION_TYPES)}")
        return {normalise_name(" ".join(source.split())): kind for source, kind in types.items()}


def _spec(name: str) -> dict:
    try:
        spec = json.loads(mapping_file(name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UnknownMapping(f"mapping {name}: not valid JSON ({error})") from None
    return spec if isinstance(spec, dict) else {}


def holds_sessions(name: str | None) -> bool:
    """Whether the mapping reads done sessions (its "record" is "sessions") rather than check-ins."""
    return name is not None and _spec(name).get("record") == RECORD


def load_session_mapping(name: str) -> SessionMapping:
    try:
        return SessionMapping.model_validate(_spec(name))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UnknownMapping(f"mapping {name}: {where}: {first['msg'].removeprefix('Value error, ')}") from None


def session_columns(name: str, *, one_person: bool = False) -> tuple[list[str], list[str]]:
    """The columns a session mapping requires (the client's too, unless the file is one
    person's) and all the columns it reads (the Import page: which mapping fits)."""
    mapping = load_session_mapping(name)
    fields = [*REQUIRED] if one_person or "client_id" not in mapping.fields else ["client_id", *REQUIRED]
    return [mapping.fields[field].column for field in fields], [source.column for source in mapping.fields.values()]


def _run_key(mapping: SessionMapping, client: str | None) -> str:
    """What the run records as its mapping: its content, so a fixed mapping imports the same
    bytes again, and the client, so the same export for another client is a new import."""
    return SESSIONS_RUN_PREFIX + json.dumps(
        {"mapping": mapping.model_dump(mode="json"), "client": client}, sort_keys=True, ensure_ascii=False
    )


def _unique_headers(headers: list[str]) -> list[str]:
    """Exports repeat some column names (Strava's Elapsed Time): the raw row names the
    second one `Elapsed Time (2)`; the mapping reads the first."""
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        unique.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return unique


def mapped_sessions_sql(stage: Stage, mapping: SessionMapping, client: str | None, file_name: str) -> tuple[str, dict, list[str]]:
    """The select producing `mapped_sessions` (one text column per SESSION_FIELDS), its
    parameters, and warnings; refuses a file without the mapping's required columns."""
    positions: dict[str, int] = {}
    for index, header in enumerate(stage.headers):
        positions.setdefault(normalise_name(header), index)
    wanted = {name: normalise_name(source.column) for name, source in mapping.fields.items()}
    required = [name for name in REQUIRED if not (name == "client_id" and client)]
    if client is None:
        required.insert(0, "client_id")
    missing = [mapping.fields[name].column if name in mapping.fields else name
               for name in required if wanted.get(name) not in positions]
    if missing:
        raise IngestRefused(f"{file_name}: missing required column(s): {', '.join(missing)}")
    used = set(wanted.values()) | {normalise_name(name) for name in mapping.ignore}
    unknown = sorted({header.strip() or "(unnamed)" for header in stage.headers if normalise_name(header) not in used})
    warnings = [f"ignored column(s): {', '.join(unknown)}"] if unknown and not mapping.ignore_other_columns else []
    params = dict(stage.params)
    selects = ["line_number"]
    for name in SESSION_FIELDS:
        if name == "client_id" and client:
            params["one_client"] = client
            selects.append("$one_client::varchar as client_id")
        elif wanted.get(name) in positions:
            selects.append(f"{stage.value_sql[positions[wanted[name]]]} as {name}")
        else:
            selects.append(f"null::varchar as {name}")
    return f"select {', '.join(selects)} from {stage.relation_sql}", params, warnings  # noqa: S608 - generated


def check_sessions(
    con: duckdb.DuckDBPyConnection, stage: Stage, mapping: SessionMapping, client: str | None, file_name: str,
    allowed_client_ids: set[str] | None,
) -> list[str]:
    """Create temp table `checked_rows` of typed session rows with their problems; returns warnings."""
    load_interpreter(con)
    settings = get_settings()
    select, params, warnings = mapped_sessions_sql(stage, mapping, client, file_name)
    date = mapping.fields["session_date"]
    defaults = settings.session_rpe_defaults()
    params |= {
        "today": settings.today(),
        "allowed_clients": None if allowed_client_ids is None else sorted(allowed_client_ids),
        "date_formats": date.formats or ["%Y-%m-%d"],
        "source_zone": date.timezone,
        "practice_zone": settings.timezone,
        "minutes_unit": mapping.fields["minutes"].unit if "minutes" in mapping.fields else "minutes",
        "types_from": list(mapping.types),
        "types_to": list(mapping.types.values()),
        "rpe_types": list(defaults),
        "rpe_defaults": list(defaults.values()),
    }
    checked = ingest_sql("checked_sessions")
    sql = f"create or replace temp table checked_rows as with mapped_sessions as ({select}) select * from ({checked})"  # noqa: S608
    con.execute(sql, bound(sql, params))
    repeated = ingest_sql("repeated_sessions")
    con.execute(
        f"update checked_rows set problems = list_append(checked_rows.problems, repeated.problem) "  # noqa: S608
        f"from ({repeated}) as repeated where repeated.line_number = checked_rows.line_number"
    )
    return warnings


# A stored import of the same activity: same client and external id, or, without an
# id, the same day, type, start time, minutes and load.
_SAME_ACTIVITY = """
    stored.source = 'import' and stored.client_id = checked.client_id and (
        stored.external_id = checked.external_id
        or (checked.external_id is null and stored.external_id is null
            and stored.session_date = checked.session_date and stored.session_type = checked.session_type
            and stored.start_time is not distinct from checked.start_time
            and stored.minutes is not distinct from checked.minutes
            and stored.load is not distinct from checked.load)
    )
"""
_COMPARED = ("session_date", "start_time", "session_type", "original_type", "minutes", "rpe", "rpe_estimated", "load", "notes")
_COLUMNS = ", ".join(_COMPARED)
_SAME_VALUES = " and ".join(f"stored.{name} is not distinct from checked.{name}" for name in _COMPARED)
_ASSIGNED = ", ".join(f"{name} = checked.{name}" for name in _COMPARED)
_CHANGED = "select done_session_id from matched_rows where not unchanged"
_STORE_STEPS = (
    # each valid row's stored activity, and whether it stays as it is
    f"""create or replace temp table matched_rows as
    select checked.line_number, stored.done_session_id,
        ({_SAME_VALUES}) or stored.corrected_at is not null or stored.removed_at is not null as unchanged
    from checked_rows as checked inner join done_sessions as stored on {_SAME_ACTIVITY}
    where len(checked.problems) = 0""",  # noqa: S608 - constants
    f"""insert into done_session_history by name
    select * exclude (planned_session_id, checkin_recorded_at, run_id, line_number, created_by, created_at,
        corrected_at, removed_at), 'import changed' as change, 'imported again with other values' as reason,
        $by as changed_by
    from done_sessions where done_session_id in ({_CHANGED})""",  # noqa: S608 - constants
    f"""update done_sessions set {_ASSIGNED}, run_id = $run_id, line_number = checked.line_number
    from checked_rows as checked inner join matched_rows using (line_number)
    where matched_rows.done_session_id = done_sessions.done_session_id and not matched_rows.unchanged""",  # noqa: S608
    f"""insert into done_sessions (client_id, external_id, source, run_id, line_number, created_by, {_COLUMNS})
    select client_id, external_id, 'import', $run_id, line_number, $by, {_COLUMNS}
    from checked_rows
    where len(problems) = 0 and line_number not in (select line_number from matched_rows)
    order by line_number""",  # noqa: S608 - constants
)


def store_sessions(con: duckdb.DuckDBPyConnection, run_id: int, imported_by: str | None) -> dict:
    """Store the valid rows of `checked_rows`: new activities, changed ones (the earlier
    version to history; a session a trainer corrected or removed is left as they left it).
    `estimated` counts the file's stored rows without an RPE (the type's default counts), new or not."""
    params = {"run_id": run_id, "by": imported_by or "import"}
    counts = [con.execute(step, bound(step, params)).fetchone() for step in _STORE_STEPS]
    accepted = counts[-1][0] if counts[-1] else 0
    matched, unchanged = con.execute("select count(*), count(*) filter (where unchanged) from matched_rows").fetchone()
    touched = [row[0] for row in con.execute(
        "select distinct client_id from checked_rows where len(problems) = 0 "
        "and line_number not in (select line_number from matched_rows where unchanged)"
    ).fetchall()]
    load_state.refresh(con, touched)
    estimated = con.execute("select count(*) from checked_rows where len(problems) = 0 and rpe_estimated").fetchone()[0]
    return {"accepted": accepted, "updated": matched - unchanged, "unchanged": unchanged, "noted": 0,
            "estimated": estimated}


def ingest_sessions(
    con: duckdb.DuckDBPyConnection,
    data: bytes | Path,
    *,
    file_name: str,
    mapping: str = CANONICAL,
    client: str | None = None,
    imported_by: str | None = None,
    allowed_client_ids: set[str] | None = None,
) -> IngestResult:
    """Import one file of done sessions; raises IngestRefused when the file is refused whole.

    `client` gives every row that client (an app export is one person's file).
    """
    settings = get_settings()
    chosen = load_session_mapping(mapping)
    raw = read_limited(data, file_name, settings.max_file_mb)
    file_sha256 = hashlib.sha256(raw).hexdigest()
    key = _run_key(chosen, client)
    previous = previous_run(con, file_sha256, key)
    if previous is not None:
        return IngestResult(previous, file_name, file_sha256, already_ingested=True)
    decoded = decode(raw, file_name)
    del raw  # the decoded text is what gets staged
    try:
        with staged_file(con, decoded, file_name) as (stage, header):
            if header is not None:
                stage.params["csv_headers"] = _unique_headers(header)
            with transaction(con):
                run_id = open_run(
                    con, file_sha256=file_sha256, file_name=file_name, source=stage.source, mapping=key,
                    encoding=decoded.encoding, imported_by=imported_by,
                )
                warnings = decoded.warnings + check_sessions(con, stage, chosen, client, file_name, allowed_client_ids)
                if not con.execute("select count(*) from checked_rows").fetchone()[0]:
                    warnings.append("the file has a header but no data rows")
                counts = {"quarantined": quarantine_rows(con, run_id, file_sha256, stage)}
                counts |= store_sessions(con, run_id, imported_by)
                estimated = counts.pop("estimated")
                close_run(con, run_id, counts, warnings)
    finally:
        drop_work_tables(con)
    return IngestResult(
        run_id, file_name, file_sha256, warnings=warnings, encoding=decoded.encoding, estimated=estimated, **counts
    )

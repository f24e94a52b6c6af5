"""Column mappings (data/mappings/*.json, or any FILE.json) and the `mapped` relation they produce.

A mapping says where each canonical field's answer comes from (a column, or one value
for the whole file) and how the export's answers translate (a table of values, a linear
rescale, the order of a numeric date, the zone of a timestamp); docs/ingestion.md
"Mapping files" lists every option. What a mapping cannot translate is not guessed: the
row gets a problem (`mapping_problems`) that checked_rows.sql treats like the
interpreter's own, a field note on an optional answer and a held-back row otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, ValidationError, field_validator

from pipelines.ingest.fields import FIELDS, REQUIRED_FIELDS, SCORE_RANGES, normalise_name
from pipelines.ingest.outcome import IngestRefused, UnknownMapping
from pipelines.ingest.staging import Stage

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"
# The forms a numeric date takes once its day and month are in order (timestamp_date),
# tried after the mapping's own `formats`.
ORDERED_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p", "%Y-%m-%d",
)
PROBLEM_TYPE = "struct(field varchar, rule varchar, reason varchar)"
# The fields a mapping may give one value for the whole file: facts about the file (whose,
# which day, which session), never an answer nobody gave.
CONSTANT_FIELDS = ("client_id", "checkin_date", "session_type")


class Scale(BaseModel):
    """A linear rescale of a score: `from` [low, high] onto `to` [low, high], rounded as stated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: tuple[float, float] = Field(alias="from")
    to: tuple[float, float]
    round: Literal["nearest", "down", "up", "none"]

    @field_validator("source")
    @classmethod
    def _two_ends(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] == value[1]:
            raise ValueError("the two ends of the scale are the same")
        return value


class FieldSource(BaseModel):
    """Where one canonical field comes from, and how its answers translate."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    column: str | None = None
    value: str | None = None
    parse: Literal["text", "timestamp_date"] = "text"
    formats: list[str] = []
    values: dict[str, str] = {}
    strict: bool = False
    scale: Scale | None = None
    dates: Literal["day_first", "month_first"] | None = None
    timezone: str | None = None
    glass_liters: PositiveFloat | None = None
    bottle_liters: PositiveFloat | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("values", mode="before")
    @classmethod
    def _values_text(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {
            normalise_name(str(raw)): str(value).lower() if isinstance(value, bool) else str(value)
            for raw, value in values.items()
        }

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{value!r} is not a time zone name such as Europe/London") from None
        return value


class MappingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str = ""
    extends: str | None = None
    fields: dict[str, FieldSource]
    ignore: list[str] = []


@dataclass
class Mapping:
    """A loaded mapping; `key` (None for the canonical columns) names it in `ingest_runs.mapping`."""

    name: str | None
    fields: dict[str, FieldSource]
    ignore: list[str] = field(default_factory=list)
    canonical: bool = False

    @property
    def glass_liters(self) -> float | None:
        water = self.fields.get("water_liters")
        return water.glass_liters if water else None

    @property
    def bottle_liters(self) -> float | None:
        water = self.fields.get("water_liters")
        return water.bottle_liters if water else None

    @property
    def key(self) -> str | None:
        """The mapping as the run records it: everything that decides what is stored, so the
        same bytes with a changed mapping (or another --client) are a new ingest, and a retry
        reads the rows as they were first read."""
        if self.canonical and all(source == FieldSource(column=name) for name, source in self.fields.items()):
            return None
        fields = {
            name: source.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for name, source in self.fields.items()
        }
        return json.dumps(
            {"name": self.name, "canonical": self.canonical, "fields": fields, "ignore": self.ignore},
            sort_keys=True, ensure_ascii=False,
        )

    def with_value(self, target: str, value: str) -> Mapping:
        """One value for the whole file (`--client ID`); a column the file still has must agree."""
        column = self.fields[target].column if target in self.fields else None
        return Mapping(self.name, self.fields | {target: FieldSource(column=column, value=value)},
                       self.ignore, self.canonical)


def list_mappings() -> list[str]:
    return sorted(path.stem for path in MAPPINGS_DIR.glob("*.json"))


def canonical_mapping() -> Mapping:
    return Mapping(None, {name: FieldSource(column=name) for name in FIELDS}, canonical=True)


def mapping_file(name: str) -> Path:
    """A mapping's file: a name in data/mappings, or the path of a .json file."""
    if name.endswith(".json"):
        if Path(name).is_file():
            return Path(name)
        raise UnknownMapping(f"mapping file {name!r} does not exist")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or name not in list_mappings():
        known = ", ".join(list_mappings()) or "none"
        raise UnknownMapping(f"unknown mapping {name!r} (known: {known}; or give a FILE.json)")
    return MAPPINGS_DIR / f"{name}.json"


def _read_spec(name: str, seen: tuple[str, ...] = ()) -> dict:
    """The mapping's JSON, with the mapping it `extends` underneath (field by field)."""
    try:
        spec = json.loads(mapping_file(name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UnknownMapping(f"mapping {name}: not valid JSON ({error})") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("fields", {}), dict):
        raise UnknownMapping(f"mapping {name}: must be a JSON object with \"fields\"")
    base_name = spec.get("extends")
    if not isinstance(base_name, str):
        return spec
    if base_name in seen:
        raise UnknownMapping(f"mapping {name}: extends itself through {base_name!r}")
    base = _read_spec(base_name, (*seen, name))
    fields = dict(base.get("fields", {}))
    for target, source in spec.get("fields", {}).items():
        inherited = dict(fields.get(target, {}))
        if isinstance(source, dict) and ("column" in source or "value" in source):
            inherited.pop("column", None)
            inherited.pop("value", None)
        fields[target] = inherited | source if isinstance(source, dict) else source
    return base | {k: v for k, v in spec.items() if k != "fields"} | {"fields": fields}


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _check_fields(name: str, spec: MappingSpec) -> None:
    for target, source in spec.fields.items():
        where = f"mapping {name}: {target}"
        if target not in FIELDS:
            raise UnknownMapping(f"mapping {name}: {target!r} is not a check-in field")
        if source.column is None and source.value is None:
            raise UnknownMapping(f"{where} needs a \"column\" (the export's header) or a \"value\"")
        if source.column is not None and source.value is not None:
            raise UnknownMapping(f"{where} has both a \"column\" and a \"value\"; give one")
        if source.value is not None and target not in CONSTANT_FIELDS:
            raise UnknownMapping(
                f"{where}: a \"value\" is for {', '.join(CONSTANT_FIELDS)} (an answer is never made up)"
            )
        if source.strict and not source.values:
            raise UnknownMapping(f"{where}: \"strict\" needs a \"values\" table")
        if source.scale is not None:
            if target not in SCORE_RANGES:
                raise UnknownMapping(f"{where}: \"scale\" is for scores ({', '.join(SCORE_RANGES)})")
            low, high = SCORE_RANGES[target]
            if not all(low <= end <= high for end in source.scale.to):
                raise UnknownMapping(f"{where}: the scale goes to {list(source.scale.to)}, but {target} is {low} to {high}")
        for option in ("dates", "timezone"):
            if getattr(source, option) is not None and target != "checkin_date":
                raise UnknownMapping(f"{where}: \"{option}\" is for checkin_date")
        if source.timezone is not None and source.parse != "timestamp_date":
            raise UnknownMapping(f"{where}: \"timezone\" is for a timestamp (\"parse\": \"timestamp_date\")")
        if source.formats and source.parse != "timestamp_date":
            raise UnknownMapping(f"{where}: \"formats\" are for a timestamp (\"parse\": \"timestamp_date\")")
        if (source.glass_liters or source.bottle_liters) and target != "water_liters":
            raise UnknownMapping(f"{where}: glass and bottle sizes are for water_liters")
    missing = [target for target in REQUIRED_FIELDS if target not in spec.fields]
    if missing:
        raise UnknownMapping(f"mapping {name} does not map required field(s): {', '.join(missing)}")


def load_mapping(name: str) -> Mapping:
    """A mapping by name or path; raises UnknownMapping with a message naming what is wrong."""
    raw = _read_spec(name)
    try:
        spec = MappingSpec.model_validate(raw)
    except ValidationError as error:
        raise UnknownMapping(f"mapping {name}: {_describe(error)}") from None
    _check_fields(name, spec)
    return Mapping(name, dict(spec.fields), list(spec.ignore))


def mapping_from_key(key: str) -> Mapping:
    """The mapping a run recorded (`Mapping.key`); a run recorded before keys were the
    mapping's content holds its name."""
    if not key.startswith("{"):
        return load_mapping(key)
    recorded = json.loads(key)
    fields = {target: FieldSource.model_validate(source) for target, source in recorded["fields"].items()}
    return Mapping(recorded["name"], fields, recorded["ignore"], recorded["canonical"])


def choose_mapping(mapping: str | None, client: str | None = None) -> Mapping:
    """The mapping an ingest uses: named (or a path) or the canonical columns, and with
    `client`, that client for every row (a file that is one person's)."""
    chosen = load_mapping(mapping) if mapping else canonical_mapping()
    if client is not None:
        if not client.strip():
            raise UnknownMapping("--client needs a client id")
        chosen = chosen.with_value("client_id", client.strip())
    return chosen


def _problem(target: str, rule: str, reason_sql: str) -> str:
    # target and rule are our own names (FIELDS, the rules below); answers are columns.
    return f"ingest_problem('{target}', '{rule}', {reason_sql})"


def _constant_sql(target: str, source: FieldSource, value: str | None, params: dict) -> tuple[str, list[str]]:
    params[f"{target}_value"] = source.value
    if value is None:
        return f"${target}_value", []
    other = f"not ingest_blank({value}) and lower(ingest_text({value})) <> lower(${target}_value)"
    problem = _problem(
        target, "other_value",
        f"'{target} ''' || ingest_text({value}) || ''' is not ' || ${target}_value || ', the value given for the whole file'",
    )
    return f"if({other}, {value}, ${target}_value)", [f"case when {other} then {problem} end"]


def _translated_sql(
    target: str, source: FieldSource, value: str, params: dict, *, canonical: bool, rows_sql: str,
    file_facts: list[str],
) -> tuple[str, list[str]]:
    """The answer after the mapping's values, scale, date order and timestamp parse.
    `rows_sql` is the file's rows: without `dates`, the order its own dates show decides
    (a one-row relation appended to `file_facts`, joined to every row)."""
    sql, problems = value, []
    if source.values:
        params[f"{target}_from"] = list(source.values)
        params[f"{target}_to"] = list(source.values.values())
        listed = f"list_position(${target}_from, lower(ingest_text({sql})))"
        if source.strict:
            unlisted = f"{listed} is null and not answer_is_empty({value})"
            reason = f"'{target} ''' || ingest_text({value}) || ''' is not one of the answers the mapping lists'"
            problems.append(f"case when {unlisted} then {_problem(target, 'not_listed', reason)} end")
            sql = f"${target}_to[{listed}]"
        else:
            sql = f"coalesce(${target}_to[{listed}], {sql})"
    if source.scale is not None:
        (from_low, from_high), (to_low, to_high) = source.scale.source, source.scale.to
        params[f"{target}_scale"] = [from_low, from_high, to_low, to_high]
        params[f"{target}_scale_words"] = f"{from_low:g} to {from_high:g}"
        score = f"answer_score({sql}, {str(target.startswith('soreness_')).lower()})"
        rounding = {"nearest": "round(x)", "down": "floor(x)", "up": "ceil(x)", "none": "x"}[source.scale.round]
        outside = f"not ({score} between least(s[1], s[2]) and greatest(s[1], s[2]))"
        reason = (
            f"'{target} ''' || ingest_text({value}) || ''' is outside the mapping''s scale ' "
            f"|| ${target}_scale_words"
        )
        problems.append(
            f"list_transform([${target}_scale], lambda s: case when {outside} "
            f"then {_problem(target, 'out_of_scale', reason)} end)[1]"
        )
        scaled = f"s[3] + ({score} - s[1]) * (s[4] - s[3]) / (s[2] - s[1])"
        sql = (
            f"list_transform([${target}_scale], lambda s: case when {score} is null then {sql} "
            f"when {outside} then null else list_transform([{scaled}], lambda x: list_transform([{rounding}], "
            f"lambda r: if(r = floor(r), r::bigint::varchar, r::varchar))[1])[1] end)[1]"
        )
    if target == "checkin_date" and not canonical:
        params["date_order"] = source.dates
        keep_time = "true" if source.parse == "timestamp_date" else "false"
        shown = f"select ingest_date_evidence({sql}) as shown from {rows_sql}"  # noqa: S608 - generated, values bound
        file_facts.append(
            "(select if(count(distinct shown) = 1, any_value(shown), null) as date_order "  # noqa: S608 - generated
            f"from ({shown}) where shown is not null) as file_dates"
        )
        ordered = f"ingest_ordered_date({sql}, coalesce($date_order::varchar, file_dates.date_order), {keep_time})"
        reason = (
            f"'checkin_date ''' || ingest_text({value}) || ''' could be day/month or month/day; "
            "say \"dates\": \"day_first\" or \"month_first\" in the mapping'"
        )
        problems.append(f"case when ({ordered}).ambiguous then {_problem(target, 'ambiguous_date', reason)} end")
        sql = f"({ordered}).value"
    if source.parse == "timestamp_date":
        params[f"{target}_formats"] = [*source.formats, *ORDERED_DATE_FORMATS]
        params[f"{target}_zone"] = source.timezone
        sql = (
            f"coalesce(strftime(ingest_submission_day({sql}, ${target}_formats, $practice_zone::varchar, "
            f"$day_boundary_minutes::integer, ${target}_zone::varchar), '%Y-%m-%d'), {sql})"
        )
    return sql, problems


def mapped_sql(
    stage: Stage, mapping: Mapping, file_name: str, *, require_columns: bool = True
) -> tuple[str, dict, list[str]]:
    """The select producing `mapped` from the stage, its parameters, and warnings.

    `mapped` is line_number, one text column per canonical field and `mapping_problems`.
    Retried rows skip the column checks: their file passed them when it was ingested.
    """
    positions: dict[str, int] = {}
    repeated = []
    for index, header in enumerate(stage.headers):
        name = normalise_name(header)
        if name in positions and name:
            repeated.append(header.strip())
        positions.setdefault(name, index)
    wanted = {
        target: normalise_name(source.column) for target, source in mapping.fields.items() if source.column is not None
    }
    if require_columns and not set(wanted.values()) & set(positions):
        expected = "client_id, checkin_date, …" if mapping.canonical else f"the {mapping.name} mapping's questions"
        raise IngestRefused(f"{file_name}: no header row (expected column names such as {expected})")
    if repeated:
        raise IngestRefused(f"{file_name}: duplicate column {repeated[0]!r}")
    missing = [
        mapping.fields[t].column
        for t in REQUIRED_FIELDS
        if mapping.fields[t].value is None and wanted[t] not in positions
    ]
    if missing and require_columns:
        client_missing = mapping.fields["client_id"].value is None and wanted["client_id"] not in positions
        whose = " (a file of one person's check-ins: say whose, with --client or the Import page's Whose check-ins)" if client_missing else ""
        raise IngestRefused(f"{file_name}: missing required column(s): {', '.join(missing)}{whose}")
    used = set(wanted.values()) | {normalise_name(name) for name in mapping.ignore}
    unknown = [header.strip() or "(unnamed)" for header in stage.headers if normalise_name(header) not in used]
    warnings = [f"ignored unknown column(s): {', '.join(unknown)}"] if unknown else []
    params = dict(stage.params)
    selects, problems, file_facts = ["line_number"], [], []
    for target in FIELDS:
        source = mapping.fields.get(target)
        value = stage.value_sql[positions[wanted[target]]] if wanted.get(target) in positions else None
        if source is not None and source.value is not None:
            sql, field_problems = _constant_sql(target, source, value, params)
        elif value is not None:
            sql, field_problems = _translated_sql(
                target, source, value, params, canonical=mapping.canonical, rows_sql=stage.relation_sql,
                file_facts=file_facts,
            )
        else:
            sql, field_problems = "null::varchar", []
        selects.append(f"{sql} as {target}")
        problems += field_problems
    listed = f"list_filter([{', '.join(problems)}], lambda problem: problem is not null)" if problems else "[]"
    selects.append(f"{listed}::{PROBLEM_TYPE}[] as mapping_problems")
    joined = "".join(f" cross join {fact}" for fact in file_facts)
    select = f"select {', '.join(selects)} from {stage.relation_sql} as file_rows{joined}"  # noqa: S608 - generated, values bound
    return select, params, warnings


@dataclass
class Detected:
    """The mapping whose columns a file's header has (None: the canonical columns), and why."""

    mapping: str | None
    reason: str


def detect_mapping(headers: list[str], *, one_person: bool = False) -> Detected | None:
    """The shipped mapping (or the canonical columns) that fits a header: every column its
    required fields read is there (but the client's, for a file that is one person's).
    When several fit, the one that reads the most of the header; None when nothing fits."""
    from pipelines.ingest.sessions import (  # it reads mapping files with this module
        holds_sessions,
        session_columns,
    )

    present = {normalise_name(header) for header in headers}
    best: tuple[int, str | None, str] | None = None
    for name in [None, *list_mappings()]:
        if holds_sessions(name):
            required, columns = session_columns(name, one_person=one_person)
        else:
            mapping = canonical_mapping() if name is None else load_mapping(name)
            required = [
                mapping.fields[t].column
                for t in REQUIRED_FIELDS
                if mapping.fields[t].column and not (one_person and t == "client_id")
            ]
            columns = [source.column for source in mapping.fields.values() if source.column]
        if not all(normalise_name(column) in present for column in required):
            continue
        columns = [normalise_name(column) for column in columns]
        read = sum(column in present for column in columns)
        if best is None or read > best[0]:
            best = (read, name, f"the header has all {len(required)} of its required columns ({read} of its {len(columns)})")
    return None if best is None else Detected(best[1], best[2])

"""Named column mappings (data/mappings/*.json) and the `mapped` relation they produce."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.fields import FIELDS, REQUIRED_FIELDS, normalise_name
from pipelines.ingest.outcome import IngestRefused, UnknownMapping
from pipelines.ingest.staging import Stage

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"
PARSERS = ("text", "timestamp_date")


@dataclass
class FieldSource:
    column: str
    parse: str = "text"
    formats: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapping:
    name: str | None
    fields: dict[str, FieldSource]
    ignore: list[str] = field(default_factory=list)
    # The size of one glass or bottle, when water is answered in glasses or bottles.
    glass_liters: float | None = None
    bottle_liters: float | None = None


def list_mappings() -> list[str]:
    return sorted(path.stem for path in MAPPINGS_DIR.glob("*.json"))


def canonical_mapping() -> Mapping:
    return Mapping(None, {name: FieldSource(name) for name in FIELDS})


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


def load_mapping(name: str) -> Mapping:
    try:
        spec = json.loads(mapping_file(name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UnknownMapping(f"mapping {name}: not valid JSON ({error})") from None
    fields = {}
    for target, source in spec["fields"].items():
        if target not in FIELDS:
            raise UnknownMapping(f"mapping {name}: {target!r} is not a check-in field")
        parse = source.get("parse", "text")
        if parse not in PARSERS:
            raise UnknownMapping(f"mapping {name}: parse {parse!r} is not one of {', '.join(PARSERS)}")
        values = {normalise_name(raw): str(value) for raw, value in source.get("values", {}).items()}
        fields[target] = FieldSource(source["column"], parse, list(source.get("formats", [])), values)
    missing = [target for target in REQUIRED_FIELDS if target not in fields]
    if missing:
        raise UnknownMapping(f"mapping {name} does not map required field(s): {', '.join(missing)}")
    water = spec["fields"].get("water_liters", {})
    return Mapping(
        name, fields, list(spec.get("ignore", [])), water.get("glass_liters"), water.get("bottle_liters")
    )


def _value_sql(source: FieldSource, value: str, target: str, params: dict) -> str:
    sql = value
    if source.values:
        params[f"{target}_from"] = list(source.values)
        params[f"{target}_to"] = list(source.values.values())
        sql = (
            f"coalesce(${target}_to[list_position(${target}_from, lower(ingest_text({sql})))], {sql})"
        )
    if source.parse == "timestamp_date":
        params[f"{target}_formats"] = source.formats
        sql = (
            f"coalesce(strftime(ingest_submission_day({sql}, ${target}_formats, $practice_zone::varchar, "
            f"$day_boundary_minutes::integer), '%Y-%m-%d'), {sql})"
        )
    return sql


def mapped_sql(
    stage: Stage, mapping: Mapping, file_name: str, *, require_columns: bool = True
) -> tuple[str, dict, list[str]]:
    """The select producing `mapped` from the stage, its parameters, and warnings.

    Retried rows skip the column checks: their file passed them when it was ingested.
    """
    positions: dict[str, int] = {}
    repeated = []
    for index, header in enumerate(stage.headers):
        name = normalise_name(header)
        if name in positions and name:
            repeated.append(header.strip())
        positions.setdefault(name, index)
    wanted = {target: normalise_name(source.column) for target, source in mapping.fields.items()}
    if require_columns and not set(wanted.values()) & set(positions):
        expected = "client_id, checkin_date, …" if mapping.name is None else f"the {mapping.name} mapping's questions"
        raise IngestRefused(f"{file_name}: no header row (expected column names such as {expected})")
    if repeated:
        raise IngestRefused(f"{file_name}: duplicate column {repeated[0]!r}")
    missing = [mapping.fields[t].column for t in REQUIRED_FIELDS if wanted[t] not in positions]
    if missing and require_columns:
        raise IngestRefused(f"{file_name}: missing required column(s): {', '.join(missing)}")
    used = set(wanted.values()) | {normalise_name(name) for name in mapping.ignore}
    unknown = [header.strip() or "(unnamed)" for header in stage.headers if normalise_name(header) not in used]
    warnings = [f"ignored unknown column(s): {', '.join(unknown)}"] if unknown else []
    params = dict(stage.params)
    selects = ["line_number"]
    for target in FIELDS:
        if target in wanted and wanted[target] in positions:
            value = stage.value_sql[positions[wanted[target]]]
            selects.append(f"{_value_sql(mapping.fields[target], value, target, params)} as {target}")
        else:
            selects.append(f"null::varchar as {target}")
    select = f"select {', '.join(selects)} from {stage.relation_sql}"  # noqa: S608 - generated, values bound
    return select, params, warnings

"""The canonical check-in record's fields and rules (docs/design.md "The check-in record").

The rules are said once, in SQL (`checkin_rules()`, sql/macros/checkin_rules.sql), which
the ingest validation reads; this module reads the same table for Python: the web form's
model and widgets, the mappings' required columns, and the whitespace header names are
trimmed of.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines import sql_layers


@dataclass(frozen=True)
class Rule:
    """One field's rule: the kind of answer, its range (notes: the most characters),
    whether it must be whole, whether it is required, and its words in errors."""

    field: str
    kind: str
    low: int | None
    high: int | None
    whole: bool | None
    required: bool
    what: str


def _read_rules() -> tuple[dict[str, Rule], str]:
    con = duckdb.connect()
    try:
        con.execute(sql_layers.read("macros", "checkin_rules"))
        rules, whitespace = con.execute("select checkin_rules(), ingest_whitespace()").fetchone()
    finally:
        con.close()
    return {field: Rule(field, **rule) for field, rule in rules.items()}, whitespace


RULES, WHITESPACE = _read_rules()
FIELDS = tuple(RULES)
REQUIRED_FIELDS = tuple(field for field, rule in RULES.items() if rule.required)
OPTIONAL_FIELDS = tuple(field for field, rule in RULES.items() if not rule.required)

# The scores and their ranges: a mapping's "scale" rescales only these, and only onto
# their range.
SCORE_RANGES = {field: (rule.low, rule.high) for field, rule in RULES.items() if rule.kind == "score"}


def normalise_name(name: str) -> str:
    """Header names are trimmed and case-insensitive."""
    return name.strip(WHITESPACE).lower()

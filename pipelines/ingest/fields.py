"""The canonical check-in record's fields (docs/design.md "The check-in record")."""

from __future__ import annotations

REQUIRED_FIELDS = (
    "client_id",
    "checkin_date",
    "soreness_quads",
    "soreness_hamstrings",
    "soreness_glutes",
    "soreness_calves",
    "sleep_hours",
    "sleep_quality",
    "energy",
    "stress",
    "mood",
)

OPTIONAL_FIELDS = (
    "water_liters",
    "ate_recovery_meal",
    "session_type",
    "session_minutes",
    "session_rpe",
    "pain",
    "notes",
)

FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

# The characters trimmed from every value and header, in SQL (sql/macros/ingest_parsers.sql) and Python alike.
WHITESPACE = " \t\r\n\xa0"


def normalise_name(name: str) -> str:
    """Header names are trimmed and case-insensitive."""
    return name.strip(WHITESPACE).lower()

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

# The scores and their ranges (sql/ingest/checked_rows.sql checks the same): a mapping's
# "scale" rescales only these, and only onto their range.
SCORE_RANGES = {
    "soreness_quads": (0, 10),
    "soreness_hamstrings": (0, 10),
    "soreness_glutes": (0, 10),
    "soreness_calves": (0, 10),
    "sleep_quality": (1, 5),
    "energy": (1, 5),
    "stress": (1, 5),
    "mood": (1, 5),
    "session_rpe": (0, 10),
}

# The characters trimmed from every value and header, in SQL (sql/macros/ingest_parsers.sql) and Python alike.
WHITESPACE = " \t\r\n\xa0"


def normalise_name(name: str) -> str:
    """Header names are trimmed and case-insensitive."""
    return name.strip(WHITESPACE).lower()

"""A planned session's projection as a small with/without table (pure pandas)."""

from __future__ import annotations

import pandas as pd

ROWS = {
    "load": ("Load that day (RPE × min)", 0),
    "acute_load": ("7-day mean load", 0),
    "chronic_load": ("28-day mean load", 0),
    "acwr": ("ACWR (rolling)", 2),
    "acwr_ewma": ("ACWR (EWMA)", 2),
    "monotony": ("Monotony (7 days)", 2),
}


def _shown(value, digits: int) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.{digits}f}"


def comparison_table(projection: dict) -> pd.DataFrame:
    """One row per metric: the value without the session and with it."""
    return pd.DataFrame(
        {
            "Metric": [label for label, _ in ROWS.values()],
            "Without the session": [_shown(projection["without"][key], d) for key, (_, d) in ROWS.items()],
            "With the session": [_shown(projection["with"][key], d) for key, (_, d) in ROWS.items()],
        }
    )


def session_label(session_type: str, minutes: int, rpe: int) -> str:
    return f"{session_type.replace('_', ' ')} · {minutes} min at RPE {rpe}"
